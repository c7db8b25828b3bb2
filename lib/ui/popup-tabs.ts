/**
 * The quick view's tabs, in order, with their labels. `?view=<id>` opens one. Pure data, so the
 * e2e screenshot matrix walks every tab there is.
 */
export const POPUP_TABS = [
  ['zones', 'Zones'],
  ['map', 'Liq. map'],
  ['imbalance', 'Imbalance'],
  ['realized', 'Realized'],
  ['market', 'Market'],
  ['positions', 'Positions'],
  ['alerts', 'Alerts'],
  ['feeds', 'Feeds'],
  ['page', 'This page'],
] as const;
export type PopupTab = (typeof POPUP_TABS)[number][0];
