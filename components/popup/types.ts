/** What the quick view's parts share. */
import type { MarketViewReply, ViewRange } from '@/lib/contract/view';

export interface InstrumentChoice {
  venue: string;
  symbol: string;
  coin: string;
  followed: boolean;
}

/** What the Realized tab is about: the view's coin, or one instrument, over the view's range. */
export interface RealizedScope {
  coin: string;
  /** Set when the view is one venue's instrument (All venues off). */
  instrument?: string;
  range: ViewRange;
  totals?: MarketViewReply['realized'];
}

/** Estimated (the model) or positions (real, sampled: Hyperliquid only). */
export type ViewKind = 'estimated' | 'positions';
