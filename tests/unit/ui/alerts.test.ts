/** The alerts switch says what it does with the rules as they are, never 'on' beside 'no rule is on'. */
import { describe, expect, it } from 'vitest';
import { alertsState } from '../../../lib/ui/alerts';

describe('the alerts switch', () => {
  it('says how many rules fire, and says so when none would', () => {
    expect(alertsState(true, 2, 3)).toBe('on: 2 of 3 rules fire');
    expect(alertsState(true, 1, 1)).toBe('on: 1 of 1 rule fires');
    expect(alertsState(true, 0, 3)).toMatch(/^on, but no rule below is on yet/);
    expect(alertsState(false, 2, 3)).toBe('off: no rule fires (2 of 3 rules set on below)');
  });
});
