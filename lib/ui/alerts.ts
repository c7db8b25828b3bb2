/** Options → Alerts: the words beside the master switch. */
import { formatCount, t, tn } from '../i18n';

/**
 * What the switch means with the rules as they are, beside it: "on" with no rule on used to sit
 * beside a separate "No rule below is on", which read as a contradiction.
 */
export function alertsState(enabled: boolean, on: number, rules: number): string {
  if (!enabled) return tn('alertsStateOff', rules, { on: formatCount(on) });
  if (on === 0) return t('alertsStateNone');
  return tn('alertsStateOn', rules, { on: formatCount(on) });
}
