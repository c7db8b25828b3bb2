/**
 * Normalized market events and the interface every venue adapter implements.
 *
 * Everything downstream of a parser (model, snapshots, UIs) speaks only these types, so a venue's
 * quirks (side conventions, contract units, envelopes) stay inside its own file in `lib/exchanges/`.
 */
import type { MessageKey } from '../i18n';

export type VenueId = 'binance' | 'bybit' | 'okx' | 'bitmex' | 'deribit' | 'hyperliquid' | 'bitget' | 'gate' | 'dydx' | 'kraken';

/** `<venue>:<the venue's own symbol>`, e.g. `binance:BTCUSDT`, `okx:BTC-USDT-SWAP`. */
export type InstrumentKey = `${VenueId}:${string}`;

export function instrumentKey(venue: VenueId, venueSymbol: string): InstrumentKey {
  return `${venue}:${venueSymbol}`;
}

interface EventBase {
  venue: VenueId;
  instrument: InstrumentKey;
  /** Exchange timestamp, epoch ms. */
  exchangeTime: number;
  /** When this process received the frame, epoch ms. */
  receiveTime: number;
}

/** A forced order the venue reported: a realized liquidation, never an estimate. */
export interface LiquidationEvent extends EventBase {
  kind: 'liquidation';
  /** The venue's id for this forced order, where it gives one (BitMEX orderID): de-duplication key. */
  liquidationId?: string;
  /** Which position was force-closed. A long is liquidated by a SELL order. */
  liquidatedSide: 'long' | 'short';
  /** Average fill price where known, else the order price. */
  price: number;
  /** Size in base coin (e.g. BTC). */
  baseQty: number;
  notionalUsd: number;
}

export interface TradeEvent extends EventBase {
  kind: 'trade';
  /** The venue's trade id, where it gives one: used to drop trades re-sent after a reconnect. */
  tradeId?: string;
  takerSide: 'buy' | 'sell';
  price: number;
  baseQty: number;
  notionalUsd: number;
  /**
   * The two wallets of the trade, `[buyer, seller]`, where the venue publishes them (Hyperliquid):
   * how LiqLens discovers whose positions to read. Lowercase 0x addresses, validated by the parser.
   */
  wallets?: readonly [string, string];
}

export interface MarkPriceEvent extends EventBase {
  kind: 'markPrice';
  markPrice: number;
  indexPrice?: number;
  /** Funding rate per funding interval, as a fraction (0.0001 = 0.01 %). */
  fundingRate?: number;
}

/** Open interest of one side (longs = shorts), in base coin and USD. */
export interface OpenInterestEvent extends EventBase {
  kind: 'openInterest';
  baseQty: number;
  notionalUsd?: number;
}

export type MarketEvent = LiquidationEvent | TradeEvent | MarkPriceEvent | OpenInterestEvent;

/**
 * What a parser makes of one raw text frame. Parsers never throw: a frame is either turned into
 * events, skipped (known but irrelevant to LiqLens: acks, order books, heartbeats) or an error
 * (malformed or unknown), and every outcome is counted by the caller.
 */
export type ParseOutcome = (
  { status: 'events'; events: MarketEvent[] } | { status: 'skipped'; reason: string } | { status: 'error'; error: string }
) & {
  /** Frames to send back on the same socket (e.g. Deribit's answer to a heartbeat test_request). */
  reply?: string[];
};

/** Parses one frame. A parser may keep state for its connection (table partials, ticker deltas). */
export type FrameParser = (frame: string, receiveTime: number) => ParseOutcome;

/**
 * What LiqLens needs to know of an instrument to turn venue quantities into coins and USD.
 * Loaded from each venue's public REST (cached), with built-in defaults for the majors.
 */
export interface InstrumentSpec {
  venue: VenueId;
  /** Exactly as the venue spells it. */
  symbol: string;
  /** Normalized coin: XBT → BTC, 1000PEPE / kPEPE → PEPE. */
  base: string;
  quote: string;
  /** Inverse: quantities are USD contracts, settled in the coin. */
  inverse: boolean;
  /**
   * One venue quantity unit × contractSize = one quote-priced lot (linear) or USD (inverse).
   * OKX BTC-USDT-SWAP 0.01, BTC-USD-SWAP 100; Binance and Bybit linear 1; BitMEX XBTUSD 1.
   */
  contractSize: number;
  /** Coins per quoted lot: 1000 for 1000PEPEUSDT and kPEPE, else 1. */
  baseMultiplier: number;
  tickSize?: number;
  maxLeverage?: number;
  /** Quanto contracts (BitMEX ETHUSD) settle in another coin; LiqLens cannot size their liquidations yet. */
  quanto?: boolean;
}

/** An HTTP request a venue needs (specs, open-interest polling), run by lib/net/rest-poller. */
export interface RestRequest {
  url: string;
  method?: 'GET' | 'POST';
  /** JSON body for POST (Hyperliquid's info endpoint). */
  body?: string;
  /**
   * Request weight against the host's per-IP budget, where the venue weighs requests (Hyperliquid:
   * `meta` 20, `clearinghouseState` 2). Requests with a weight wait for the host's WeightBudget.
   */
  weight?: number;
}

/** A REST resource polled on an interval (Binance open interest). */
export interface PollPlan {
  id: string;
  request: RestRequest;
  everyMs: number;
  /**
   * The instrument whose trades are the only way this resource changes (open interest moves only
   * when contracts trade): a round with no trade of it since the last reading asks nothing.
   */
  changesOnlyWithTradesOf?: string;
  parse(body: string, receiveTime: number): ParseOutcome;
}

/** Where a venue's instrument specs come from. */
export interface SpecSource {
  request(endpoints: VenueEndpoints): RestRequest;
  parse(body: string): InstrumentSpec[] | { error: string };
  /** Used until (or if never) the REST list arrives. */
  defaults: InstrumentSpec[];
}

export interface VenueEndpoints {
  /** WebSocket base URL, without path, e.g. `wss://fstream.binance.com`. */
  ws: string;
  /** REST base URL, e.g. `https://fapi.binance.com`. */
  rest: string;
}

/** A venue adapter: pure functions from settings to connection plans, and from frames to events. */
/** What settings and UIs need to know of a venue, without its protocol code (lib/exchanges/catalog.ts). */
/** How much of a venue's liquidations its public feed carries (VenueInfo.liquidationCompleteness). */
export type LiquidationCompleteness = 'complete' | 'sampled' | 'none';

export interface VenueInfo {
  id: VenueId;
  /** Human name for the UI. */
  label: string;
  /** The real public endpoints; settings may override them (tests, proxies, relays). */
  defaultEndpoints: VenueEndpoints;
  /** Whether the venue publishes realized liquidations at all (Hyperliquid does not). */
  hasLiquidationFeed: boolean;
  /**
   * How much of the venue's liquidations its public feed carries, per its docs: `complete` (every
   * one), `sampled` (a subset: totals undercount) or `none`; `note` says how, for the UI (a
   * catalogue key: the worker words it in the browser's language when it reports health).
   */
  liquidationCompleteness: { kind: LiquidationCompleteness; note: MessageKey };
  /** How far back the venue's public history fills the heatmap at start (backfill), for the UI: a catalogue key. */
  historyDepth: MessageKey;
  /** Symbols to subscribe when the user has not chosen any. */
  defaultSymbols: string[];
}

export interface VenueAdapter extends VenueInfo {
  /**
   * One entry per WebSocket this venue needs for these symbols. The venue-wide channels (Binance
   * `!forceOrder@arr`, OKX and Bitget liquidations) go on the first plan, unless `venueWide` is false:
   * a connection opened later for more symbols, beside one that already carries them.
   */
  connections(endpoints: VenueEndpoints, symbols: string[], options?: { venueWide?: boolean }): ConnectionPlan[];
  /**
   * Frames that subscribe or unsubscribe these symbols on an open connection of this venue, chunked
   * to its limits. Without it, a symbol change restarts the venue's connections.
   */
  liveFrames?(action: 'subscribe' | 'unsubscribe', symbols: string[]): string[];
  /** The most symbols one connection carries (the venue's stream or subscription cap); more open another. */
  maxSymbolsPerConnection?: number;
  /** A parser for one connection (or one replayed recording), sizing quantities with `specs`. */
  createParser(specs: SpecLookup): FrameParser;
  /** REST resources polled while the venue runs (only where the WebSocket lacks them). */
  polls?(endpoints: VenueEndpoints, symbols: string[]): PollPlan[];
  specs: SpecSource;
  /** Public REST history for the heatmap's first minutes (candles and open interest since `since`). */
  backfill?: BackfillSource;
  /** The venue's public maintenance-margin table for a symbol, where it publishes one. */
  marginTiers?: MarginTierSource;
  /** Published REST limits, for the poller's budget and the docs. */
  restLimit?: string;
}

export interface SpecLookup {
  get(symbol: string): InstrumentSpec | undefined;
}

export interface ConnectionPlan {
  /** Stable id used in status and logs, e.g. `binance/market-0`. */
  id: string;
  url: string;
  /** Frames to send after every (re)connect. */
  subscribeFrames: string[];
  /** Application-level keepalive, for venues that need one. */
  keepalive?: { frame: string; everyMs: number };
  /** No frame for this long means the socket is dead even if the TCP side looks open. */
  staleAfterMs: number;
  /** The venue closes connections after this long; reconnect before it does. */
  maxLifetimeMs?: number;
  /** The venue's cap on messages a client sends per second on one connection (Bitget, Gate): frames are paced to it. */
  maxMessagesPerSecond?: number;
  /**
   * The venue symbols this connection carries. With the adapter's `liveFrames`, a symbol change is
   * then sent on the open connection that carries (or has room for) the symbol, instead of a restart.
   */
  symbols?: string[];
}

/** Candles and open interest of one symbol since a time, for backfill (lib/model/backfill.ts). */
export interface BackfillSource {
  requests(endpoints: VenueEndpoints, symbol: string, since: number): RestRequest[];
  /**
   * The bodies of `requests`, in order. `spec` is the symbol's instrument spec where known, for venues
   * whose history counts contracts (Gate).
   */
  parse(bodies: string[], spec?: InstrumentSpec): BackfillData | { error: string };
  /**
   * Older history at a coarser step, where the venue publishes it (the 7-day and 30-day views):
   * how far back it reaches and the requests for [since, until), parsed by `coarseParse`.
   */
  coarse?: {
    intervalMs: number;
    depthMs: number;
    requests(endpoints: VenueEndpoints, symbol: string, since: number, until: number): RestRequest[];
    parse(bodies: string[], spec?: InstrumentSpec): BackfillData | { error: string };
  };
}

/** Maintenance tiers of one symbol from a venue's public endpoint (lib/model/liquidation-price.ts). */
export interface MarginTierSource {
  request(endpoints: VenueEndpoints, symbol: string): RestRequest;
  parse(body: string, symbol: string): MarginTier[] | { error: string };
}

/** One candle of a venue's public history (backfill). */
export interface Candle {
  /** Open time, epoch ms. */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Base-coin volume. */
  volume: number;
  /** Taker-buy base volume, where the venue publishes it (Binance); else split by direction. */
  takerBuyVolume?: number;
  /** Quote volume, for the candle's VWAP; else the typical price (H + L + C) / 3. */
  quoteVolume?: number;
}

export interface OpenInterestPoint {
  time: number;
  /** One side, in coins. */
  coins: number;
}

/** A symbol's history as a venue's REST gives it: what lib/model/backfill.ts turns into events. */
export interface BackfillData {
  candles: Candle[];
  openInterest: OpenInterestPoint[];
  intervalMs: number;
}

/** One maintenance-margin tier of an instrument (lib/model/liquidation-price.ts uses it). */
export interface MarginTier {
  /** Upper bound of position notional (USD) for this tier; Infinity for the last. */
  maxNotionalUsd: number;
  /** Maintenance margin rate, e.g. 0.004. */
  mmr: number;
  /** Maintenance amount (USD) that makes tiers continuous. */
  cum: number;
  /** Highest leverage allowed in this tier. */
  maxLeverage: number;
}

/** What to run on one venue: its symbols and endpoints (from the settings, plus coins followed for pages). */
export interface VenueFeedConfig {
  venue: VenueId;
  symbols: string[];
  endpoints: VenueEndpoints;
}
