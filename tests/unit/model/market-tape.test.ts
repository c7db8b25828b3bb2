/** The whole market's liquidations (the popup's Market view): totals per window, coins, venues, the largest one. */
import { describe, expect, it } from 'vitest';
import type { LiquidationEvent } from '../../../lib/exchanges/types';
import { MarketModel } from '../../../lib/model';
import { MarketTape, TAPE_BUCKET_MS, TOP_COINS } from '../../../lib/model/market-tape';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 6, 12);

function liq(venue: LiquidationEvent['venue'], symbol: string, side: 'long' | 'short', usd: number, time: number): LiquidationEvent {
  return {
    kind: 'liquidation',
    venue,
    instrument: `${venue}:${symbol}`,
    liquidatedSide: side,
    price: 100,
    baseQty: usd / 100,
    notionalUsd: usd,
    exchangeTime: time,
    receiveTime: time + 20,
  };
}

const window = (model: MarketModel, hours: number) => model.marketWide(NOW).windows.find((w) => w.hours === hours)!;

describe('the market-wide tape', () => {
  it('sums every coin by window, longs against shorts, by coin and by venue, with the largest single one', () => {
    const model = new MarketModel();
    model.ingest([
      liq('binance', 'BTCUSDT', 'long', 1_000_000, NOW - 10 * 60_000),
      liq('okx', 'BTC-USDT-SWAP', 'short', 250_000, NOW - 20 * 60_000),
      liq('binance', 'DOGEUSDT', 'long', 40_000, NOW - 2 * HOUR),
      liq('bybit', 'PEPEUSDT', 'short', 5_000, NOW - 11 * HOUR),
      liq('binance', 'ETHUSDT', 'long', 2_000_000, NOW - 23 * HOUR),
    ]);
    const h1 = window(model, 1);
    expect(h1).toMatchObject({ longUsd: 1_000_000, shortUsd: 250_000, liquidations: 2, coinCount: 1 });
    expect(h1.coins).toEqual([{ coin: 'BTC', longUsd: 1_000_000, shortUsd: 250_000, liquidations: 2 }]);
    expect(h1.venues.map((v) => v.venue)).toEqual(['binance', 'okx']);
    expect(h1.largest).toMatchObject({ instrument: 'binance:BTCUSDT', usd: 1_000_000, side: 'long' });
    expect(window(model, 4)).toMatchObject({ liquidations: 3, coinCount: 2 });
    expect(window(model, 12)).toMatchObject({ liquidations: 4, coinCount: 3 });
    const d1 = window(model, 24);
    expect(d1).toMatchObject({ longUsd: 3_040_000, shortUsd: 255_000, liquidations: 5, coinCount: 4 });
    expect(d1.largest?.instrument).toBe('binance:ETHUSDT');
    expect(d1.coins.map((c) => c.coin)).toEqual(['ETH', 'BTC', 'DOGE', 'PEPE']); // by USD
  });

  it('counts a liquidation a venue sends twice once, and forgets what is older than a day', () => {
    const model = new MarketModel();
    const l = liq('binance', 'SOLUSDT', 'long', 80_000, NOW - 5 * 60_000);
    model.ingest([l]);
    model.ingest([{ ...l, receiveTime: l.receiveTime + 900 }]); // re-sent after a reconnect
    model.ingest([liq('binance', 'SOLUSDT', 'long', 70_000, NOW - 25 * HOUR)]);
    expect(window(model, 24)).toMatchObject({ longUsd: 80_000, liquidations: 1 });
  });

  it('lists the top coins only, keeps every coin in the totals, and counts a day of a busy market within a bound', () => {
    const tape = new MarketTape();
    // A busy day: 300 coins on 4 venues, each liquidated once a minute somewhere (432 000 liquidations).
    let usd = 0;
    for (let minute = 0; minute < 1_440; minute++)
      for (let c = 0; c < 300; c++) {
        const venue = (['binance', 'okx', 'bybit', 'bitmex'] as const)[c % 4];
        tape.record({
          ...liq(venue, `C${c}USDT`, c % 3 ? 'long' : 'short', 1_000 + c, NOW - 24 * HOUR + minute * 60_000 + c),
          id: `${minute}|${c}`,
        });
        usd += 1_000 + c;
      }
    const d1 = tape.windows(NOW).windows.find((w) => w.hours === 24)!;
    expect(d1.coins).toHaveLength(TOP_COINS);
    // Listed by USD, largest first; past a bucket's 200 cells the rest is summed apart (OTHER), in the totals.
    expect(d1.coins.map((c) => c.longUsd + c.shortUsd)).toEqual([...d1.coins.map((c) => c.longUsd + c.shortUsd)].sort((a, b) => b - a));
    // The oldest five minutes fell out of the day; everything after is in the total.
    expect(d1.longUsd + d1.shortUsd).toBeGreaterThan(usd * 0.99);
    expect(d1.coinCount).toBeGreaterThanOrEqual(200);
    // The bound on what a day keeps: 288 buckets (and the one being filled) × 200 cells and OTHER per venue.
    expect(tape.size).toBeLessThanOrEqual(((24 * HOUR) / TAPE_BUCKET_MS + 1) * (200 + 4));
  });

  it('comes back from its snapshot with the same windows, and skips a malformed one', () => {
    const model = new MarketModel();
    model.ingest([
      liq('binance', 'BTCUSDT', 'long', 1_000_000, NOW - 10 * 60_000),
      liq('okx', 'ETH-USDT-SWAP', 'short', 30_000, NOW - 3 * HOUR),
    ]);
    const back = MarketModel.fromSnapshot(JSON.parse(JSON.stringify(model.toSnapshot())));
    expect(back.marketWide(NOW)).toEqual(model.marketWide(NOW));
    expect(MarketTape.fromSnapshot({ version: 1, cells: [[NOW, 'BTC', 'binance', -5, 0, 1, 0], 'x'], largest: [null] }).size).toBe(0);
  });

  it('counts the journal’s liquidations after a restart once: those the snapshot had, not again', () => {
    const model = new MarketModel();
    const before = liq('binance', 'BTCUSDT', 'long', 500_000, NOW - 30 * 60_000);
    const [counted] = model.ingest([before]);
    const snapshot = JSON.parse(JSON.stringify(model.toSnapshot()));
    const after = liq('binance', 'BTCUSDT', 'short', 200_000, NOW - 10 * 60_000);
    const [later] = model.ingest([after]);
    const restarted = MarketModel.fromSnapshot(snapshot);
    restarted.restoreRealized([counted, later]); // the journal holds both
    expect(window(restarted, 1)).toMatchObject({ longUsd: 500_000, shortUsd: 200_000, liquidations: 2 });
  });
});
