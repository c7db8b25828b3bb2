/**
 * A ground-truth market: synthetic traders open leveraged positions along a price path, close some
 * by hand, and are liquidated when price reaches their (exactly known) liquidation prices. It emits
 * what Binance would publish — aggTrade, markPrice@1s and forceOrder frames, and open-interest REST
 * bodies — or what Hyperliquid would: trades naming both wallets, activeAssetCtx with open interest,
 * and (on request) each wallet's clearinghouseState. So the engine can be fed venue frames only and
 * compared with the truth, which no public data set can offer. Deterministic for a seed.
 *
 * Without the circle: with `traders: 'seeded'` the traders' leverage mix and holding time are drawn
 * from the seed, over leverages the model has no tier for, instead of copying the model's prior.
 * With `traders: 'accounts'` they also margin as real accounts do (docs/model.md#checking-it): some
 * isolated at their leverage, most cross with spare account equity that pushes the liquidation
 * price out by a drawn multiple, some with no liquidation price at all; the shares are drawn too.
 */
import { DEFAULT_TIERS, liquidationPrice, tierFor } from '../model/liquidation-price';
import { DEFAULT_PARAMS, type LeverageWeight } from '../model/params';

export interface SimOptions {
  seed: number;
  symbol: string;
  startPrice: number;
  startTime: number;
  /** Simulated duration, minutes. */
  minutes: number;
  /** Standard deviation of the per-second log return. */
  volatility: number;
  /** New positions per second (Poisson mean). */
  opensPerSecond: number;
  meanPositionUsd: number;
  /** Chance per second that an open position is closed by hand. */
  closeChancePerSecond: number;
  /** Background volume per second (USD) between existing traders: no OI change, random sides. */
  noiseUsdPerSecond: number;
  leverage: LeverageWeight[];
  /** Open-interest poll interval (ms), like the extension's Binance REST poll. */
  oiEveryMs: number;
  /** Which venue's frames to emit. */
  venue: 'binance' | 'hyperliquid';
  /**
   * `model`: traders use `leverage` and `closeChancePerSecond` as given (by default the model's own
   * prior: the circle). `seeded`: both are drawn from the seed (docs/model.md#checking-it).
   * `accounts`: drawn from the seed, and margined as accounts (`MarginMix`, drawn as well).
   */
  traders: 'model' | 'seeded' | 'accounts';
  /** How positions are margined; without it every position is isolated at its leverage. */
  margin?: MarginMix;
}

/** How the simulated traders margin their positions. */
export interface MarginMix {
  /** Share of positions with no liquidation price (the account covers any move). */
  noLiquidationShare: number;
  /** Share isolated at their leverage (the exact formula). */
  isolatedShare: number;
  /** The rest are cross: their distance is the isolated one × a multiple, log-uniform in [min, max]. */
  equityMultiple: [number, number];
}

export const DEFAULT_SIM: SimOptions = {
  seed: 42,
  symbol: 'BTCUSDT',
  startPrice: 100_000,
  startTime: Date.UTC(2026, 10, 1),
  minutes: 240,
  volatility: 0.0004,
  opensPerSecond: 1.5,
  meanPositionUsd: 20_000,
  // Average holding time of six hours.
  closeChancePerSecond: 1 / 21_600,
  noiseUsdPerSecond: 20_000,
  leverage: DEFAULT_PARAMS.leverage,
  oiEveryMs: 10_000,
  venue: 'binance',
  traders: 'model',
};

/** Leverages traders may pick in the seeded world: Hyperliquid's usual range, most of them no model tier. */
export const SEEDED_LEVERAGES = [2, 3, 5, 8, 10, 15, 20, 25, 40];

export interface Position {
  /** Hyperliquid: the trader's wallet (one wallet per position). */
  wallet?: string;
  /** When it was closed or liquidated. */
  endedAt?: number;
  side: 'long' | 'short';
  entry: number;
  leverage: number;
  qty: number;
  liqPrice: number;
  openedAt: number;
}

export interface SimOutput {
  /** `{kind:'ws'|'oi', t, body}` in time order. */
  frames: { kind: 'ws' | 'oi'; t: number; body: string }[];
  /** Positions still open at the end: the true liquidation-level distribution. */
  open: Position[];
  /** Positions liquidated during the run, with the time. */
  liquidated: (Position & { at: number; price: number })[];
  endPrice: number;
  endTime: number;
  /** The leverage mix, mean holding time and margining the traders used. */
  traders: { leverage: LeverageWeight[]; meanHoldingHours: number; margin?: MarginMix };
  /** Every position ever opened, with when it ended (closed or liquidated). */
  history: Position[];
  /** Price at a time (seconds resolution) within the run. */
  priceAt(t: number): number;
  /** Hyperliquid's `clearinghouseState` reply for a wallet at time `t`, in the documented shape. */
  clearinghouseAt(wallet: string, t: number): string;
}

/** The simulator's one seeded random stream (a 32-bit linear congruential generator). */
class SimRandom {
  constructor(public state: number) {}

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return this.state / 4294967296;
  }

  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  poisson(mean: number): number {
    let k = 0;
    let p = Math.exp(-mean);
    let sum = p;
    const u = this.next();
    while (u > sum && k < 50) {
      k += 1;
      p *= mean / k;
      sum += p;
    }
    return k;
  }
}

/** The traders of a run: as given (the model's prior), or drawn from the seed. */
function tradersOf(o: SimOptions, rng: SimRandom): Pick<SimOptions, 'leverage' | 'closeChancePerSecond' | 'margin'> {
  if (o.traders === 'model') return o;
  // Weights from a skewed draw (low leverage more likely, as real books show), holding 2–12 h.
  const raw = SEEDED_LEVERAGES.map((l) => -Math.log(1 - rng.next()) / Math.sqrt(l));
  const sum = raw.reduce((a, b) => a + b, 0);
  const leverage = SEEDED_LEVERAGES.map((l, i) => ({ leverage: l, weight: raw[i] / sum }));
  const closeChancePerSecond = 1 / ((2 + rng.next() * 10) * 3_600);
  if (o.traders === 'seeded') return { leverage, closeChancePerSecond };
  // Accounts: 5–25 % never liquidated, 15–45 % isolated, the rest cross with 1.5–3× to 4–12× spare equity.
  const margin: MarginMix = {
    noLiquidationShare: 0.05 + rng.next() * 0.2,
    isolatedShare: 0.15 + rng.next() * 0.3,
    equityMultiple: [1.5 + rng.next() * 1.5, 4 + rng.next() * 8],
  };
  return { leverage, closeChancePerSecond, margin };
}

/** Market makers: the counterparties of every Hyperliquid trader, never liquidated. */
const MAKERS = Array.from({ length: 16 }, (_, i) => `0x${'f'.repeat(8)}${i.toString(16).padStart(32, '0')}`);

/**
 * What one venue publishes, as frames: Binance's aggTrade, forceOrder, markPrice@1s and open-interest
 * REST bodies, or Hyperliquid's trades (naming both wallets), activeAssetCtx, and no liquidation
 * (its liquidator's market order is an ordinary trade).
 */
class SimVenue {
  readonly frames: SimOutput['frames'] = [];
  /** Each market maker's position changes over time ([time, signed coins]), so it can be read at any moment. */
  readonly makerFills = new Map<string, [number, number][]>(MAKERS.map((m) => [m, []]));
  readonly hl: boolean;
  readonly coin: string;
  private tradeId = 1;
  private readonly sym: string;

  constructor(
    private readonly o: SimOptions,
    private readonly rng: SimRandom,
  ) {
    this.hl = o.venue === 'hyperliquid';
    this.coin = o.symbol.replace(/USDT$|USD$/, '');
    this.sym = o.symbol.toLowerCase();
  }

  private ws(t: number, stream: string, data: unknown): void {
    this.frames.push({ kind: 'ws', t, body: JSON.stringify({ stream, data }) });
  }

  /** A taker trade at `price`. Binance never publishes a zero-quantity trade: a sub-lot remainder is none. */
  trade(t: number, price: number, takerBuy: boolean, qty: number, trader?: string): void {
    if (!(Number(qty.toFixed(6)) > 0)) return;
    if (!this.hl) {
      this.ws(t, `${this.sym}@aggTrade`, {
        e: 'aggTrade',
        E: t,
        s: this.o.symbol,
        a: this.tradeId++,
        p: price.toFixed(2),
        q: qty.toFixed(6),
        f: 0,
        l: 0,
        T: t,
        m: !takerBuy,
      });
      return;
    }
    const tid = this.tradeId++;
    // [buyer, seller]: the trader on its side, a market maker on the other.
    const buyer = takerBuy ? (trader ?? this.maker()) : this.maker();
    const seller = takerBuy ? this.maker() : (trader ?? this.maker());
    this.makerFills.get(buyer)?.push([t, qty]);
    this.makerFills.get(seller)?.push([t, -qty]);
    const trade = { coin: this.coin, side: takerBuy ? 'B' : 'A', px: price.toFixed(1), sz: qty.toFixed(5), hash: '0x0', time: t, tid };
    this.frames.push({ kind: 'ws', t, body: JSON.stringify({ channel: 'trades', data: [{ ...trade, users: [buyer, seller] }] }) });
  }

  /** A position liquidated: Binance's forceOrder at its price, or Hyperliquid's liquidator trading at the market. */
  liquidation(t: number, p: Position, price: number): void {
    if (this.hl) return this.trade(t, price, p.side === 'short', p.qty, p.wallet);
    const q = p.qty.toFixed(6);
    const px = p.liqPrice.toFixed(2);
    const order = {
      s: this.o.symbol,
      S: p.side === 'long' ? 'SELL' : 'BUY',
      o: 'LIMIT',
      f: 'IOC',
      q,
      p: px,
      ap: px,
      X: 'FILLED',
      l: q,
      z: q,
      T: t,
    };
    this.ws(t, '!forceOrder@arr', { e: 'forceOrder', E: t, o: order });
  }

  /** Every second: the mark price (Hyperliquid: with open interest); Binance's open interest on its poll. */
  second(t: number, sec: number, price: number, openInterest: () => number): void {
    if (this.hl) {
      const px = price.toFixed(1);
      const oi = openInterest().toFixed(5);
      const ctx = { dayNtlVlm: '0', prevDayPx: px, markPx: px, midPx: px, funding: '0.0000125', openInterest: oi, oraclePx: px };
      this.frames.push({ kind: 'ws', t, body: JSON.stringify({ channel: 'activeAssetCtx', data: { coin: this.coin, ctx } }) });
      return;
    }
    const px = price.toFixed(2);
    this.ws(t, `${this.sym}@markPrice@1s`, {
      e: 'markPriceUpdate',
      E: t,
      s: this.o.symbol,
      p: px,
      i: px,
      P: px,
      r: '0.0001',
      T: t + 3_600_000,
    });
    if ((sec * 1000) % this.o.oiEveryMs === 0) {
      // Open interest in coins, as Binance's /fapi/v1/openInterest reports it. The simulated traders
      // face unleveraged market makers, so every trader position is one contract of open interest.
      this.frames.push({
        kind: 'oi',
        t,
        body: JSON.stringify({ openInterest: openInterest().toFixed(6), symbol: this.o.symbol, time: t }),
      });
    }
  }

  private maker(): string {
    return MAKERS[Math.floor(this.rng.next() * MAKERS.length)];
  }
}

/** The traders' book: opens, closes by hand, and liquidations when the price reaches them. */
class SimBook {
  readonly open: Position[] = [];
  readonly liquidated: SimOutput['liquidated'] = [];
  /** Every position ever opened (with when it ended). */
  readonly history: Position[] = [];
  /** Bounds on the open positions' liquidation prices (a closed position may leave them loose, never too tight). */
  private highestLongLiq = -Infinity;
  private lowestShortLiq = Infinity;
  private wallets = 0;

  constructor(
    private readonly o: SimOptions,
    private readonly rng: SimRandom,
    private readonly venue: SimVenue,
  ) {}

  /**
   * Every position whose price was reached this second. Most seconds reach none, and the book holds
   * thousands of positions: the scan runs only when the price reached the highest long or the
   * lowest short liquidation price (bounds kept as positions open, exact after a scan).
   */
  liquidate(t: number, price: number, low: number, high: number): void {
    if (low > this.highestLongLiq && high < this.lowestShortLiq) return;
    let highestLong = -Infinity;
    let lowestShort = Infinity;
    for (let i = this.open.length - 1; i >= 0; i--) {
      const p = this.open[i];
      if ((p.side === 'long' && low <= p.liqPrice) || (p.side === 'short' && high >= p.liqPrice)) {
        this.open.splice(i, 1);
        this.liquidated.push({ ...p, at: t, price: p.liqPrice });
        p.endedAt = t;
        this.venue.liquidation(t, p, price);
      } else if (!Number.isFinite(p.liqPrice)) continue;
      else if (p.side === 'long') highestLong = Math.max(highestLong, p.liqPrice);
      else lowestShort = Math.min(lowestShort, p.liqPrice);
    }
    this.highestLongLiq = highestLong;
    this.lowestShortLiq = lowestShort;
  }

  /** New positions: longs via taker buys, shorts via taker sells; a little more buying into strength. */
  openNew(t: number, price: number, drift: number): void {
    for (let n = this.rng.poisson(this.o.opensPerSecond); n > 0; n--) {
      const side: Position['side'] = this.rng.next() < 0.5 + Math.max(-0.15, Math.min(0.15, drift * 500)) ? 'long' : 'short';
      const usd = this.o.meanPositionUsd * -Math.log(1 - this.rng.next());
      const qty = usd / price;
      const leverage = this.pickLeverage();
      const liqPrice = this.liquidationOf(side, price, leverage);
      const position: Position = {
        side,
        entry: price,
        leverage,
        qty,
        liqPrice,
        openedAt: t,
        ...(this.venue.hl ? { wallet: this.walletOf(++this.wallets) } : {}),
      };
      this.open.push(position);
      if (!Number.isFinite(liqPrice)) {
        // never liquidated: outside the bounds
      } else if (side === 'long') this.highestLongLiq = Math.max(this.highestLongLiq, liqPrice);
      else this.lowestShortLiq = Math.min(this.lowestShortLiq, liqPrice);
      this.history.push(position);
      this.venue.trade(t, price, side === 'long', qty, position.wallet);
    }
  }

  /**
   * Closes by hand: the opposite taker trade. One draw per open position per second (the same draws
   * as `next() < closeChancePerSecond`), taken on a local copy of the generator's state: this loop is
   * most of a long run's time.
   */
  closeByHand(t: number, price: number): void {
    const closeBelow = this.o.closeChancePerSecond * 4294967296;
    let state = this.rng.state;
    for (let i = this.open.length - 1; i >= 0; i--) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      if (state >= closeBelow) continue;
      this.rng.state = state; // trade() may draw (a market maker on the other side)
      const [p] = this.open.splice(i, 1);
      p.endedAt = t;
      this.venue.trade(t, price, p.side === 'short', p.qty, p.wallet);
      state = this.rng.state;
    }
    this.rng.state = state;
  }

  openInterest(): number {
    return this.open.reduce((q, p) => q + p.qty, 0);
  }

  /** Where a new position is liquidated: isolated by the exact formula, cross further out, or never (NaN). */
  private liquidationOf(side: Position['side'], entry: number, leverage: number): number {
    const tier = tierFor(DEFAULT_TIERS, DEFAULT_PARAMS.typicalPositionUsd);
    const isolated = liquidationPrice(side, entry, leverage, tier.mmr, tier.cum, DEFAULT_PARAMS.typicalPositionUsd / entry);
    const m = this.o.margin;
    if (!m) return isolated;
    const u = this.rng.next();
    if (u < m.noLiquidationShare) return NaN;
    if (u < m.noLiquidationShare + m.isolatedShare) return isolated;
    const [lo, hi] = m.equityMultiple;
    const distance = Math.abs(isolated / entry - 1) * lo * Math.pow(hi / lo, this.rng.next());
    if (side === 'long') return distance < 1 ? entry * (1 - distance) : NaN;
    return entry * (1 + distance);
  }

  private pickLeverage(): number {
    let u = this.rng.next();
    for (const l of this.o.leverage) if ((u -= l.weight) <= 0) return l.leverage;
    return this.o.leverage[this.o.leverage.length - 1].leverage;
  }

  private walletOf(n: number): string {
    return `0x${(this.o.seed >>> 0).toString(16).padStart(8, '0')}${n.toString(16).padStart(32, '0')}`;
  }
}

export function runSimulation(
  options: Partial<SimOptions> = {},
  onMinute?: (time: number, frames: SimOutput['frames']) => void,
): SimOutput {
  const given = { ...DEFAULT_SIM, ...options };
  const rng = new SimRandom(given.seed >>> 0);
  const o: SimOptions = { ...given, ...tradersOf(given, rng) };
  const venue = new SimVenue(o, rng);
  const book = new SimBook(o, rng, venue);
  const prices = new Float64Array(o.minutes * 60 + 1);
  let price = o.startPrice;
  let drift = 0;
  let emittedUpTo = 0;
  prices[0] = price;
  for (let sec = 0; sec < o.minutes * 60; sec++) {
    const t = o.startTime + sec * 1000;
    // Price: a random walk with slowly changing drift, so there are trends that sweep levels.
    if (sec % 600 === 0) drift = rng.normal() * o.volatility * 0.15;
    const prev = price;
    price = price * Math.exp(drift + o.volatility * rng.normal());
    prices[sec + 1] = price;
    book.liquidate(t, price, Math.min(prev, price), Math.max(prev, price));
    book.openNew(t, price, drift);
    book.closeByHand(t, price);
    // Background volume between existing traders: no change in open interest.
    const noise = o.noiseUsdPerSecond * rng.next() * 2;
    if (noise > 0) venue.trade(t, price, rng.next() < 0.5, noise / price);
    venue.second(t, sec, price, () => book.openInterest());
    if (onMinute && sec % 60 === 59) {
      onMinute(t, venue.frames.slice(emittedUpTo));
      emittedUpTo = venue.frames.length;
    }
  }
  const priceAt = (t: number) => prices[Math.max(0, Math.min(prices.length - 1, Math.floor((t - o.startTime) / 1000)))];
  const byWallet = new Map(book.history.map((p) => [p.wallet!, p]));
  return {
    frames: venue.frames,
    open: book.open,
    liquidated: book.liquidated,
    endPrice: price,
    endTime: o.startTime + o.minutes * 60_000,
    traders: { leverage: o.leverage, meanHoldingHours: 1 / (o.closeChancePerSecond * 3_600), ...(o.margin ? { margin: o.margin } : {}) },
    history: book.history,
    priceAt,
    clearinghouseAt(wallet, t) {
      const p = byWallet.get(wallet);
      const live = p && p.openedAt <= t && (p.endedAt === undefined || p.endedAt > t) ? [p] : [];
      // A market maker: its net position at t, well collateralised (2x cross, no liquidation price).
      const fills = venue.makerFills.get(wallet);
      if (fills) {
        const net = fills.reduce((q, [ft, d]) => (ft <= t ? q + d : q), 0);
        if (Math.abs(net) > 1e-9)
          live.push({ side: net > 0 ? 'long' : 'short', entry: priceAt(t), leverage: 2, qty: Math.abs(net), liqPrice: NaN, openedAt: 0 });
      }
      return clearinghouseReply(venue.coin, live, priceAt(t), t);
    },
  };
}

/** Hyperliquid's `clearinghouseState` reply for these positions, in the documented shape. */
function clearinghouseReply(coin: string, positions: readonly Position[], px: number, t: number): string {
  const zero = { accountValue: '0.0', totalNtlPos: '0.0', totalRawUsd: '0.0', totalMarginUsed: '0.0' };
  return JSON.stringify({
    marginSummary: zero,
    crossMarginSummary: zero,
    crossMaintenanceMarginUsed: '0.0',
    withdrawable: '0.0',
    assetPositions: positions.map((q) => ({
      type: 'oneWay',
      position: {
        coin,
        szi: (q.side === 'long' ? q.qty : -q.qty).toFixed(5),
        leverage: Number.isFinite(q.liqPrice)
          ? { type: 'isolated', value: q.leverage, rawUsd: '0.0' }
          : { type: 'cross', value: q.leverage },
        entryPx: q.entry.toFixed(1),
        positionValue: (q.qty * px).toFixed(2),
        unrealizedPnl: '0.0',
        returnOnEquity: '0.0',
        liquidationPx: Number.isFinite(q.liqPrice) ? q.liqPrice.toFixed(1) : null,
        marginUsed: ((q.qty * q.entry) / q.leverage).toFixed(2),
        maxLeverage: 40,
        cumFunding: { allTime: '0.0', sinceOpen: '0.0', sinceChange: '0.0' },
      },
    })),
    time: t,
  });
}
