/**
 * The quick view's tabs, in order, with their labels' catalogue keys. `?view=<id>` opens one. Pure
 * data, so the e2e screenshot matrix walks every tab there is.
 */
import { t } from '../i18n';

export const POPUP_TABS = [
  ['zones', 'tabZones'],
  ['map', 'tabMap'],
  ['imbalance', 'tabImbalance'],
  ['realized', 'tabRealized'],
  ['market', 'tabMarket'],
  ['positions', 'tabPositions'],
  ['alerts', 'tabAlerts'],
  ['feeds', 'tabFeeds'],
  ['page', 'tabPage'],
] as const;
export type PopupTab = (typeof POPUP_TABS)[number][0];

/** Each tab with its label in the browser's language. */
export function popupTabs(): [PopupTab, string][] {
  return POPUP_TABS.map(([id, key]) => [id, t(key)]);
}
