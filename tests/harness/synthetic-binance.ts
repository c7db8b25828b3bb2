/**
 * A synthetic Binance market for the demo and soak runs: a mean-reverting random walk per symbol,
 * taker trades, a mark price every second, and forced orders that cluster where price moves fast
 * (a fall liquidates longs below, a rise liquidates shorts above), as real cascades do.
 * Deterministic for a given seed.
 */
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
      server.aggTrade(m.symbol, m.price, m.liqSize * rand() * 0.5, move >= 0 ? 'buy' : 'sell', tradeId++);
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
