/**
 * A synthetic Binance market for the demo and soak runs: a mean-reverting random walk per symbol,
 * taker trades, a mark price every second, and forced orders that cluster where price moves fast
 * (a fall liquidates longs below, a rise liquidates shorts above), as real cascades do.
 * Deterministic for a given seed.
 */
import { binanceDialect } from './dialects';
import type { FakeBinanceServer } from './fake-binance';

export interface SyntheticSymbol {
  symbol: string;
  price: number;
  /** Typical size of one liquidation, in base coin. */
  liqSize: number;
}

export const DEMO_SYMBOLS: SyntheticSymbol[] = [
  { symbol: 'BTCUSDT', price: 97_000, liqSize: 0.6 },
  { symbol: 'ETHUSDT', price: 3_400, liqSize: 12 },
];

/** Open interest per symbol (coins), moved by the synthetic market; the demo's REST route serves it. */
export const syntheticOpenInterest = new Map<string, number>(DEMO_SYMBOLS.map((s) => [s.symbol, 40_000]));

export function startSyntheticMarket(server: FakeBinanceServer, symbols = DEMO_SYMBOLS, seed = 7): () => void {
  let s = seed;
  const rand = () => (s = (s * 1664525 + 1013904223) % 4294967296) / 4294967296;
  const state = symbols.map((sym) => ({ ...sym, anchor: sym.price, last: sym.price }));
  let tradeId = 1;

  const tick = setInterval(() => {
    for (const m of state) {
      const prev = m.price;
      // Random walk with a pull back to the anchor so the demo stays on screen.
      m.price = prev * (1 + (rand() - 0.5) * 0.0016) + (m.anchor - prev) * 0.01;
      const move = (m.price - m.last) / m.last;
      const qty = m.liqSize * rand() * 0.5;
      server.aggTrade(m.symbol, m.price, qty, move >= 0 ? 'buy' : 'sell', tradeId++);
      // Most taker volume opens positions while the market trends: open interest grows with it.
      syntheticOpenInterest.set(m.symbol, (syntheticOpenInterest.get(m.symbol) ?? 0) + qty * (rand() < 0.8 ? 1 : -1));
      // Liquidation odds grow with the speed of the move over the last second.
      if (rand() < 0.08 + Math.min(0.5, Math.abs(move) * 400)) {
        const longs = rand() < (move < 0 ? 0.85 : 0.15);
        const offset = (longs ? -1 : 1) * rand() * 0.004;
        const size = m.liqSize * (0.2 + rand() ** 3 * 8);
        server.forceOrder({
          symbol: m.symbol,
          side: longs ? 'SELL' : 'BUY',
          price: Number((m.price * (1 + offset)).toFixed(2)),
          qty: Number(size.toFixed(3)),
        });
      }
    }
  }, 200);
  const mark = setInterval(() => {
    for (const m of state) {
      server.markPrice(m.symbol, m.price);
      m.last = m.price;
    }
  }, 1000);
  return () => {
    clearInterval(tick);
    clearInterval(mark);
  };
}

/**
 * The fake Binance dialect whose REST open interest follows the synthetic market, so the estimated
 * levels build live (and the synthetic day of candles the fake server serves backfills the heatmap).
 */
export const syntheticBinanceDialect = {
  ...binanceDialect,
  rest: {
    ...binanceDialect.rest,
    '/fapi/v1/openInterest': (url: URL) => {
      const symbol = url.searchParams.get('symbol') ?? '';
      return JSON.stringify({ openInterest: (syntheticOpenInterest.get(symbol) ?? 0).toFixed(3), symbol, time: Date.now() });
    },
  },
};
