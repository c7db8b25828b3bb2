/** The realized-liquidation journal: appends by chunk, wraps its ring of slots, distrusts storage. */
import { describe, expect, it } from 'vitest';
import type { RealizedLiquidation } from '../../../lib/contract/market';
import type { LiquidationEvent } from '../../../lib/exchanges/types';
import { toRealized } from '../../../lib/model/realized-ledger';
import { JOURNAL_CHUNK, JOURNAL_SLOTS, journalSlotKey, RealizedJournal } from '../../../lib/worker/realized-journal';
import { FakeClock } from '../../harness/fake-clock';
import { MemoryStore } from '../../harness/memory-ports';

const liq = (i: number): RealizedLiquidation => ({
  id: `l${i}`,
  venue: 'bybit',
  instrument: 'bybit:BTCUSDT',
  liquidatedSide: i % 2 ? 'long' : 'short',
  price: 97_000 + i,
  baseQty: 0.1,
  notionalUsd: 9_700,
  exchangeTime: i,
  receiveTime: i,
});
/** The tuple as it was stored with the id and venue written out. */
const encodeAsBefore = (l: RealizedLiquidation) => [
  l.id,
  l.venue,
  l.instrument,
  l.liquidatedSide[0],
  l.price,
  l.baseQty,
  l.notionalUsd,
  l.exchangeTime,
  l.receiveTime,
];
const valid = (l: unknown): l is RealizedLiquidation => typeof (l as RealizedLiquidation)?.id === 'string';

describe('the realized journal', () => {
  it('keeps the newest chunks when it wraps, and picks up where it left off after a restart', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const journal = new RealizedJournal(store, clock, 200);
    const total = (JOURNAL_SLOTS + 3) * JOURNAL_CHUNK + 7;
    for (let i = 0; i < total; i++) journal.append([liq(i)]);
    await clock.advance(250);
    const again = new RealizedJournal(store, clock, 200);
    const restored = await again.restore(valid);
    // Every slot but the oldest reused ones: the last SLOTS − 1 full chunks and the one being filled.
    expect(restored.at(-1)?.id).toBe(`l${total - 1}`);
    expect(restored).toHaveLength((JOURNAL_SLOTS - 1) * JOURNAL_CHUNK + 7);
    expect(new Set(restored.map((l) => l.id)).size).toBe(restored.length);
    // Appending goes on in the same chunk, not over it.
    again.append([liq(total)]);
    await clock.advance(250);
    const third = await new RealizedJournal(store, clock, 200).restore(valid);
    expect(third.at(-1)?.id).toBe(`l${total}`);
    expect(third).toHaveLength(restored.length + 1);
  });

  it('stores entries without field names, and a trickle rewrites each one at most CHUNK times', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const journal = new RealizedJournal(store, clock, 200);
    let entriesWritten = 0;
    store.onWrite = (_key, value) => (entriesWritten += (value as { entries?: unknown[] }).entries?.length ?? 0);
    // One liquidation a second for three chunks: every save writes the chunk being filled.
    const count = JOURNAL_CHUNK * 3;
    for (let i = 0; i < count; i++) {
      journal.append([liq(i)]);
      await clock.advance(1_000);
    }
    expect(entriesWritten).toBeLessThanOrEqual(count * JOURNAL_CHUNK);
    const slot = store.data.get(journalSlotKey(0)) as { entries: unknown[] };
    expect(slot.entries[0]).toEqual(['l0', '', 'bybit:BTCUSDT', 's', 97_000, 0.1, 9_700, 0, 0]); // the venue is the instrument's
    const restored = await new RealizedJournal(store, clock, 200).restore(valid);
    expect(restored).toEqual(Array.from({ length: count }, (_, i) => liq(i)));
  });

  it('stores an id made of the other fields (most venues give none) as nothing, and restores it exactly', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const event = (price: number, liquidationId?: string): LiquidationEvent => ({
      kind: 'liquidation',
      venue: 'binance',
      instrument: 'binance:BTCUSDT',
      liquidatedSide: 'long',
      price,
      baseQty: 2.6399479039606844,
      notionalUsd: price * 2.6399479039606844,
      exchangeTime: 1_796_575_941_876,
      receiveTime: 1_796_575_941_900,
      ...(liquidationId ? { liquidationId } : {}),
    });
    // The ledger's own liquidations, one without a venue id and one with; then copies of both (as a
    // restart's restored list holds), which the journal must tell apart the same way.
    const list = [toRealized(event(95_959.04005224747)), toRealized(event(95_960.5, 'venue-id-7'))];
    const copies = list.map((l) => ({ ...l, exchangeTime: l.exchangeTime + 1, id: l.id.replace('876', '877') }));
    const journal = new RealizedJournal(store, clock, 200);
    journal.append([...list, ...copies]);
    journal.flush();
    const [derived, withId, derivedCopy, withIdCopy] = (store.data.get(journalSlotKey(0)) as { entries: unknown[][] }).entries;
    expect(derived.slice(0, 3)).toEqual(['', '', 'binance:BTCUSDT']);
    expect(withId[0]).toBe('binance:BTCUSDT|venue-id-7');
    expect(derivedCopy[0]).toBe('');
    expect(withIdCopy[0]).toBe('binance:BTCUSDT|venue-id-7');
    expect(JSON.stringify(derived).length).toBeLessThan(JSON.stringify(encodeAsBefore(list[0])).length * 0.7);
    expect(await new RealizedJournal(store, clock, 200).restore(valid)).toEqual([...list, ...copies]);
  });

  it('writes a burst in one storage call per save: every chunk it filled and the head together', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const journal = new RealizedJournal(store, clock, 200);
    // 400 liquidations a second for a second: 80 per save, eight chunks and a part of one each time.
    for (let n = 0; n < 400; n += 4) {
      journal.append(Array.from({ length: 4 }, (_, i) => liq(n + i)));
      await clock.advance(10);
    }
    journal.flush();
    expect(store.writes).toBeGreaterThan(40); // the same keys as one write a chunk: only the calls are fewer
    expect(store.calls).toBeLessThanOrEqual(6);
    const restored = await new RealizedJournal(store, clock, 200).restore(valid);
    expect(restored.map((l) => l.id)).toEqual(Array.from({ length: 400 }, (_, i) => `l${i}`));
  });

  it('skips what storage garbled: a stale or broken slot, bad entries, a missing head', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    expect(await new RealizedJournal(store, clock, 200).restore(valid)).toEqual([]);
    const journal = new RealizedJournal(store, clock, 200);
    for (let i = 0; i < JOURNAL_CHUNK * 2 + 3; i++) journal.append([liq(i)]);
    journal.flush();
    store.data.set(journalSlotKey(0), { index: 0 + JOURNAL_SLOTS, entries: [liq(999)] }); // a slot from another lap
    store.data.set(journalSlotKey(1), { index: 1, entries: [null, 'x', liq(1_000)] });
    const restored = await new RealizedJournal(store, clock, 200).restore(valid);
    const c = JOURNAL_CHUNK * 2;
    expect(restored.map((l) => l.id)).toEqual(['l1000', `l${c}`, `l${c + 1}`, `l${c + 2}`]);
  });
});
