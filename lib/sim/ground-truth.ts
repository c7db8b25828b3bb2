/**
 * A ground-truth market: synthetic traders open leveraged positions along a price path, close some
 * by hand, and are liquidated when price reaches their (exactly known) liquidation prices. It emits
 * what Binance would publish — aggTrade, markPrice@1s and forceOrder frames, and open-interest REST
 * bodies — so the engine can be fed venue frames only and compared with the truth, which no public
 * data set can offer. Deterministic for a seed.
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
};

export interface Position {
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
}

export function runSimulation(
  options: Partial<SimOptions> = {},
  onMinute?: (time: number, frames: SimOutput['frames']) => void,
): SimOutput {
  const o = { ...DEFAULT_SIM, ...options };
  let s = o.seed >>> 0;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
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
  // Binance never publishes a zero-quantity trade; a sub-lot remainder is not a trade.
  const trade = (t: number, takerBuy: boolean, qty: number) =>
    Number(qty.toFixed(6)) > 0 &&
    ws(t, `${sym}@aggTrade`, {
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
    });

  let emittedUpTo = 0;
  for (let sec = 0; sec < o.minutes * 60; sec++) {
    const t = o.startTime + sec * 1000;
    // Price: a random walk with slowly changing drift, so there are trends that sweep levels.
    if (sec % 600 === 0) drift = normal() * o.volatility * 0.15;
    const prev = price;
    price = price * Math.exp(drift + o.volatility * normal());
    const low = Math.min(prev, price);
    const high = Math.max(prev, price);

    // Liquidations: every position whose price was reached this second.
    for (let i = open.length - 1; i >= 0; i--) {
      const p = open[i];
      if ((p.side === 'long' && low <= p.liqPrice) || (p.side === 'short' && high >= p.liqPrice)) {
        open.splice(i, 1);
        liquidated.push({ ...p, at: t, price: p.liqPrice });
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
      }
    }

    // Opens: longs via taker buys, shorts via taker sells; a little more buying into strength.
    for (let n = poisson(o.opensPerSecond); n > 0; n--) {
      const side: Position['side'] = rand() < 0.5 + Math.max(-0.15, Math.min(0.15, drift * 500)) ? 'long' : 'short';
      const usd = o.meanPositionUsd * -Math.log(1 - rand());
      const qty = usd / price;
      const leverage = pickLeverage();
      const tier = tierFor(DEFAULT_TIERS, DEFAULT_PARAMS.typicalPositionUsd);
      const liqPrice = liquidationPrice(side, price, leverage, tier.mmr, tier.cum, DEFAULT_PARAMS.typicalPositionUsd / price);
      open.push({ side, entry: price, leverage, qty, liqPrice, openedAt: t });
      trade(t, side === 'long', qty);
    }

    // Closes by hand: the opposite taker trade.
    for (let i = open.length - 1; i >= 0; i--) {
      if (rand() >= o.closeChancePerSecond) continue;
      const [p] = open.splice(i, 1);
      trade(t, p.side === 'short', p.qty);
    }

    // Background volume between existing traders: no change in open interest.
    const noise = o.noiseUsdPerSecond * rand() * 2;
    if (noise > 0) trade(t, rand() < 0.5, noise / price);

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
    if ((sec * 1000) % o.oiEveryMs === 0) {
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
  return { frames, open, liquidated, endPrice: price, endTime: o.startTime + o.minutes * 60_000 };
}
