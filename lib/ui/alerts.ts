/** Options → Alerts: the words beside the master switch. */

/**
 * What the switch means with the rules as they are, beside it: "on" with no rule on used to sit
 * beside a separate "No rule below is on", which read as a contradiction.
 */
export function alertsState(enabled: boolean, on: number, rules: number): string {
  if (!enabled) return `off: no rule fires (${on} of ${rules} ${rules === 1 ? 'rule' : 'rules'} set on below)`;
  if (on === 0) return 'on, but no rule below is on yet: nothing fires until you turn one on';
  return `on: ${on} of ${rules} ${rules === 1 ? 'rule fires' : 'rules fire'}`;
}
