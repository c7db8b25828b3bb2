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
   */
  traders: 'model' | 'seeded';
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
  /** Hyperliquid: when it was closed or liquidated. */
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
  /** The leverage mix and mean holding time the traders used. */
  traders: { leverage: LeverageWeight[]; meanHoldingHours: number };
  /** Hyperliquid: every position ever opened, with when it ended (closed or liquidated). */
  history: Position[];
  /** Price at a time (seconds resolution) within the run. */
  priceAt(t: number): number;
  /** Hyperliquid's `clearinghouseState` reply for a wallet at time `t`, in the documented shape. */
  clearinghouseAt(wallet: string, t: number): string;
}

export function runSimulation(
  options: Partial<SimOptions> = {},
  onMinute?: (time: number, frames: SimOutput['frames']) => void,
): SimOutput {
  const o = { ...DEFAULT_SIM, ...options };
  let s = o.seed >>> 0;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  if (o.traders === 'seeded') {
    // Weights from a skewed draw (low leverage more likely, as real books show), holding 2–12 h.
    const raw = SEEDED_LEVERAGES.map((l) => -Math.log(1 - rand()) / Math.sqrt(l));
    const sum = raw.reduce((a, b) => a + b, 0);
    o.leverage = SEEDED_LEVERAGES.map((leverage, i) => ({ leverage, weight: raw[i] / sum }));
    o.closeChancePerSecond = 1 / ((2 + rand() * 10) * 3_600);
  }
  const hl = o.venue === 'hyperliquid';
  const coin = o.symbol.replace(/USDT$|USD$/, '');
  const walletOf = (n: number) => `0x${(o.seed >>> 0).toString(16).padStart(8, '0')}${n.toString(16).padStart(32, '0')}`;
  /** Market makers: the counterparties of every trader, never liquidated. */
  const makers = Array.from({ length: 16 }, (_, i) => `0x${'f'.repeat(8)}${i.toString(16).padStart(32, '0')}`);
  let walletCount = 0;
  /** Each market maker's position changes over time ([time, signed coins]), so it can be read at any moment. */
  const makerFills = new Map<string, [number, number][]>(makers.map((m) => [m, []]));
  const fill = (wallet: string, t: number, qty: number) => makerFills.get(wallet)?.push([t, qty]);
  const history: Position[] = [];
  const prices = new Float64Array(o.minutes * 60 + 1);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const poisson = (mean: number) => {
    let k = 0;
    let p = Math.exp(-mean);
    let sum = p;
    const u = rand();
    while (u > sum && k < 50) {
      k += 1;
      p *= mean / k;
      sum += p;
    }
    return k;
  };
  const pickLeverage = () => {
    let u = rand();
    for (const l of o.leverage) if ((u -= l.weight) <= 0) return l.leverage;
    return o.leverage[o.leverage.length - 1].leverage;
  };

  const frames: SimOutput['frames'] = [];
  const open: Position[] = [];
  const liquidated: SimOutput['liquidated'] = [];
  let price = o.startPrice;
  let drift = 0;
  let tradeId = 1;
  const sym = o.symbol.toLowerCase();
  const ws = (t: number, stream: string, data: unknown) => frames.push({ kind: 'ws', t, body: JSON.stringify({ stream, data }) });
  const maker = () => makers[Math.floor(rand() * makers.length)];
  // Binance never publishes a zero-quantity trade; a sub-lot remainder is not a trade.
  const trade = (t: number, takerBuy: boolean, qty: number, trader?: string) =>
    Number(qty.toFixed(6)) > 0 &&
    (hl
      ? frames.push({
          kind: 'ws',
          t,
          body: JSON.stringify({
            channel: 'trades',
            data: [
              {
                coin,
                side: takerBuy ? 'B' : 'A',
                px: price.toFixed(1),
                sz: qty.toFixed(5),
                hash: '0x0',
                time: t,
                tid: tradeId++,
                // [buyer, seller]: the trader on its side, a market maker on the other.
                users: (() => {
                  const buyer = takerBuy ? (trader ?? maker()) : maker();
                  const seller = takerBuy ? maker() : (trader ?? maker());
                  fill(buyer, t, qty);
                  fill(seller, t, -qty);
                  return [buyer, seller];
                })(),
              },
            ],
          }),
        })
      : ws(t, `${sym}@aggTrade`, {
          e: 'aggTrade',
          E: t,
          s: o.symbol,
          a: tradeId++,
          p: price.toFixed(2),
          q: qty.toFixed(6),
          f: 0,
          l: 0,
          T: t,
          m: !takerBuy,
        }));

  /** Bounds on the open positions' liquidation prices (a closed position may leave them loose, never too tight). */
  let highestLongLiq = -Infinity;
  let lowestShortLiq = Infinity;
  const bound = (p: Position) => {
    if (p.side === 'long') highestLongLiq = Math.max(highestLongLiq, p.liqPrice);
    else lowestShortLiq = Math.min(lowestShortLiq, p.liqPrice);
  };

  let emittedUpTo = 0;
  prices[0] = price;
  for (let sec = 0; sec < o.minutes * 60; sec++) {
    const t = o.startTime + sec * 1000;
    // Price: a random walk with slowly changing drift, so there are trends that sweep levels.
    if (sec % 600 === 0) drift = normal() * o.volatility * 0.15;
    const prev = price;
    price = price * Math.exp(drift + o.volatility * normal());
    const low = Math.min(prev, price);
    const high = Math.max(prev, price);
    prices[sec + 1] = price;

    // Liquidations: every position whose price was reached this second. Most seconds reach none, and
    // the book holds thousands of positions: the scan runs only when the price reached the highest
    // long or the lowest short liquidation price (bounds kept as positions open, exact after a scan).
    if (low <= highestLongLiq || high >= lowestShortLiq) {
      let highestLong = -Infinity;
      let lowestShort = Infinity;
      for (let i = open.length - 1; i >= 0; i--) {
        const p = open[i];
        if ((p.side === 'long' && low <= p.liqPrice) || (p.side === 'short' && high >= p.liqPrice)) {
          open.splice(i, 1);
          liquidated.push({ ...p, at: t, price: p.liqPrice });
          if (hl) p.endedAt = t;
          // Hyperliquid publishes no liquidation: the liquidator's market order is an ordinary trade.
          if (hl) {
            trade(t, p.side === 'short', p.qty, p.wallet);
            continue;
          }
          const q = p.qty.toFixed(6);
          ws(t, '!forceOrder@arr', {
            e: 'forceOrder',
            E: t,
            o: {
              s: o.symbol,
              S: p.side === 'long' ? 'SELL' : 'BUY',
              o: 'LIMIT',
              f: 'IOC',
              q,
              p: p.liqPrice.toFixed(2),
              ap: p.liqPrice.toFixed(2),
              X: 'FILLED',
              l: q,
              z: q,
              T: t,
            },
          });
        } else if (p.side === 'long') highestLong = Math.max(highestLong, p.liqPrice);
        else lowestShort = Math.min(lowestShort, p.liqPrice);
      }
      highestLongLiq = highestLong;
      lowestShortLiq = lowestShort;
    }

    // Opens: longs via taker buys, shorts via taker sells; a little more buying into strength.
    for (let n = poisson(o.opensPerSecond); n > 0; n--) {
      const side: Position['side'] = rand() < 0.5 + Math.max(-0.15, Math.min(0.15, drift * 500)) ? 'long' : 'short';
      const usd = o.meanPositionUsd * -Math.log(1 - rand());
      const qty = usd / price;
      const leverage = pickLeverage();
      const tier = tierFor(DEFAULT_TIERS, DEFAULT_PARAMS.typicalPositionUsd);
      const liqPrice = liquidationPrice(side, price, leverage, tier.mmr, tier.cum, DEFAULT_PARAMS.typicalPositionUsd / price);
      const position: Position = {
        side,
        entry: price,
        leverage,
        qty,
        liqPrice,
        openedAt: t,
        ...(hl ? { wallet: walletOf(++walletCount) } : {}),
      };
      open.push(position);
      bound(position);
      if (hl) history.push(position);
      trade(t, side === 'long', qty, position.wallet);
    }

    // Closes by hand: the opposite taker trade. One draw per open position per second (the same draws
    // as `rand() >= closeChancePerSecond`), taken on a local copy of the generator's state: this loop
    // is most of a long run's time.
    const closeBelow = o.closeChancePerSecond * 4294967296;
    let state = s;
    for (let i = open.length - 1; i >= 0; i--) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      if (state >= closeBelow) continue;
      s = state; // trade() may draw (a market maker on the other side)
      const [p] = open.splice(i, 1);
      if (hl) p.endedAt = t;
      trade(t, p.side === 'short', p.qty, p.wallet);
      state = s;
    }
    s = state;

    // Background volume between existing traders: no change in open interest.
    const noise = o.noiseUsdPerSecond * rand() * 2;
    if (noise > 0) trade(t, rand() < 0.5, noise / price);

    if (hl) {
      // activeAssetCtx: mark price and open interest (coins, one side) as Hyperliquid sends them.
      const oi = open.reduce((q, p) => q + p.qty, 0);
      const ctx = {
        dayNtlVlm: '0',
        prevDayPx: price.toFixed(1),
        markPx: price.toFixed(1),
        midPx: price.toFixed(1),
        funding: '0.0000125',
        openInterest: oi.toFixed(5),
        oraclePx: price.toFixed(1),
      };
      frames.push({ kind: 'ws', t, body: JSON.stringify({ channel: 'activeAssetCtx', data: { coin, ctx } }) });
    } else
      ws(t, `${sym}@markPrice@1s`, {
        e: 'markPriceUpdate',
        E: t,
        s: o.symbol,
        p: price.toFixed(2),
        i: price.toFixed(2),
        P: price.toFixed(2),
        r: '0.0001',
        T: t + 3_600_000,
      });
    if (!hl && (sec * 1000) % o.oiEveryMs === 0) {
      // Open interest in coins, as Binance's /fapi/v1/openInterest reports it. The simulated traders
      // face unleveraged market makers, so every trader position is one contract of open interest.
      const oi = open.reduce((q, p) => q + p.qty, 0);
      frames.push({ kind: 'oi', t, body: JSON.stringify({ openInterest: oi.toFixed(6), symbol: o.symbol, time: t }) });
    }
    if (onMinute && sec % 60 === 59) {
      onMinute(t, frames.slice(emittedUpTo));
      emittedUpTo = frames.length;
    }
  }
  const priceAt = (t: number) => prices[Math.max(0, Math.min(prices.length - 1, Math.floor((t - o.startTime) / 1000)))];
  const byWallet = new Map(history.map((p) => [p.wallet!, p]));
  return {
    frames,
    open,
    liquidated,
    endPrice: price,
    endTime: o.startTime + o.minutes * 60_000,
    traders: { leverage: o.leverage, meanHoldingHours: 1 / (o.closeChancePerSecond * 3_600) },
    history,
    priceAt,
    clearinghouseAt(wallet, t) {
      const p = byWallet.get(wallet);
      const live = p && p.openedAt <= t && (p.endedAt === undefined || p.endedAt > t) ? [p] : [];
      const px = priceAt(t);
      // A market maker: its net position at t, well collateralised (2x cross, no liquidation price).
      const fills = makerFills.get(wallet);
      if (fills) {
        const net = fills.reduce((q, [ft, d]) => (ft <= t ? q + d : q), 0);
        if (Math.abs(net) > 1e-9)
          live.push({ side: net > 0 ? 'long' : 'short', entry: px, leverage: 2, qty: Math.abs(net), liqPrice: NaN, openedAt: 0 });
      }
      return JSON.stringify({
        marginSummary: { accountValue: '0.0', totalNtlPos: '0.0', totalRawUsd: '0.0', totalMarginUsed: '0.0' },
        crossMarginSummary: { accountValue: '0.0', totalNtlPos: '0.0', totalRawUsd: '0.0', totalMarginUsed: '0.0' },
        crossMaintenanceMarginUsed: '0.0',
        withdrawable: '0.0',
        assetPositions: live.map((q) => ({
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
    },
  };
}
