/** The realized ledger keeps each liquidation once: listed (bounded), counted per instrument, restored without double counts. */
import { describe, expect, it } from 'vitest';
import type { LiquidationEvent } from '../../../lib/exchanges/types';
import { RealizedLedger } from '../../../lib/model/realized-ledger';

const liq = (i: number, side: 'long' | 'short' = 'long'): LiquidationEvent => ({
  kind: 'liquidation',
  venue: 'bybit',
  instrument: 'bybit:BTCUSDT',
  liquidatedSide: side,
  price: 100 + i,
  baseQty: 1,
  notionalUsd: 100 + i,
  exchangeTime: i,
  receiveTime: i,
});

describe('realized ledger', () => {
  it('records a liquidation once, lists the newest within its bound and counts them all', () => {
    const ledger = new RealizedLedger(3);
    for (let i = 0; i < 8; i++) expect(ledger.record(liq(i))).not.toBeNull();
    expect(ledger.record(liq(7))).toBeNull(); // a venue's re-delivery
    expect(ledger.newest(10).map((l) => l.price)).toEqual([107, 106, 105]);
    expect(ledger.newest(0)).toEqual([]);
    expect(ledger.totals('bybit:BTCUSDT')).toEqual({ liquidations: 8, longLiquidatedUsd: 828, shortLiquidatedUsd: 0 });
    expect(ledger.toSnapshot().countedIds).toHaveLength(3);
  });

  it('restores from its snapshot and the journal: listed again, counted once', () => {
    const before = new RealizedLedger(10);
    before.record(liq(1));
    before.record(liq(2, 'short'));
    const snapshot = structuredClone(before.toSnapshot());
    const after3 = before.record(liq(3))!; // journaled after the snapshot
    const journal = before.newest(10);
    const ledger = RealizedLedger.fromSnapshot(snapshot, 10);
    expect(ledger.restore(journal)).toBe(3);
    expect(ledger.totals('bybit:BTCUSDT')).toEqual(before.totals('bybit:BTCUSDT'));
    expect(ledger.newest(10)).toEqual(journal);
    expect(ledger.record(liq(3))).toBeNull();
    expect(after3.id).toBe(journal[0].id);
  });
});
