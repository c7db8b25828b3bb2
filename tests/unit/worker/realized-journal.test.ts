/** The realized-liquidation journal: appends by chunk, wraps its ring of slots, distrusts storage. */
import { describe, expect, it } from 'vitest';
import type { RealizedLiquidation } from '../../../lib/contract/market';
import type { LiquidationEvent } from '../../../lib/exchanges/types';
import { toRealized } from '../../../lib/model/realized-ledger';
import {
  JOURNAL_BUSY_SAVE_MS,
  JOURNAL_CHUNK,
  JOURNAL_HEAD_KEY,
  JOURNAL_SLOTS,
  journalSlotKey,
  RealizedJournal,
} from '../../../lib/worker/realized-journal';
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
/** A slot's entries as written: one JSON text of tuples. */
const slotEntries = (store: MemoryStore, slot: number) => {
  const entries = (store.data.get(journalSlotKey(slot)) as { entries: unknown }).entries;
  expect(typeof entries).toBe('string');
  return JSON.parse(entries as string);
};

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
    store.onWrite = (_key, value) => {
      const entries = (value as { entries?: string }).entries;
      if (entries !== undefined) entriesWritten += JSON.parse(entries).length;
    };
    // One liquidation a second for three chunks: every save writes the chunk being filled.
    const count = JOURNAL_CHUNK * 3;
    for (let i = 0; i < count; i++) {
      journal.append([liq(i)]);
      await clock.advance(1_000);
    }
    expect(entriesWritten).toBeLessThanOrEqual(count * JOURNAL_CHUNK);
    expect(slotEntries(store, 0)[0]).toEqual(['l0', '', 'bybit:BTCUSDT', 's', 97_000, 0.1, 9_700, 0, 0]); // the venue is the instrument's
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
    const [derived, withId, derivedCopy, withIdCopy] = slotEntries(store, 0);
    expect(derived.slice(0, 3)).toEqual(['', '', 'binance:BTCUSDT']);
    expect(withId[0]).toBe('binance:BTCUSDT|venue-id-7');
    expect(derivedCopy[0]).toBe('');
    expect(withIdCopy[0]).toBe('binance:BTCUSDT|venue-id-7');
    expect(JSON.stringify(derived).length).toBeLessThan(JSON.stringify(encodeAsBefore(list[0])).length * 0.7);
    expect(await new RealizedJournal(store, clock, 200).restore(valid)).toEqual([...list, ...copies]);
  });

  it('writes a cascade once a second, every chunk it filled and the head in one call; a trickle within 200 ms', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const journal = new RealizedJournal(store, clock, 200);
    const restoredIds = async () => (await new RealizedJournal(store, clock, 200).restore(valid)).map((l) => l.id);
    // 400 liquidations a second for three seconds.
    const start = clock.now();
    const callsAt: number[] = [];
    store.onWrite = () => callsAt.at(-1) !== clock.now() - start && callsAt.push(clock.now() - start);
    for (let n = 0; n < 1_200; n += 4) {
      journal.append(Array.from({ length: 4 }, (_, i) => liq(n + i)));
      await clock.advance(10);
    }
    // The first 200 ms after it began, then a second apart.
    expect(callsAt).toEqual([200, 1_200, 2_200]);
    expect(store.calls).toBe(3);
    // Each full chunk once; each call adds the chunk being filled and the head.
    expect(store.writes).toBeLessThanOrEqual(1_200 / JOURNAL_CHUNK + 2 * store.calls);
    // What came after the last write is written at most a second after it.
    await clock.advance(JOURNAL_BUSY_SAVE_MS);
    expect(await restoredIds()).toEqual(Array.from({ length: 1_200 }, (_, i) => `l${i}`).slice(-((JOURNAL_SLOTS - 1) * JOURNAL_CHUNK)));
    // Quiet again: one liquidation is written 200 ms after it, however recent the last write.
    journal.append([liq(5_000)]);
    await clock.advance(200);
    expect((await restoredIds()).at(-1)).toBe('l5000');
  });

  it('writes a cascade faster than the ring holds as the ring: each slot once, the newest chunks', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const journal = new RealizedJournal(store, clock, 200);
    const total = JOURNAL_SLOTS * JOURNAL_CHUNK * 3 + 5;
    journal.append(Array.from({ length: total }, (_, i) => liq(i)));
    journal.flush();
    expect(store.writes).toBe(JOURNAL_SLOTS + 1); // every slot and the head
    const restored = await new RealizedJournal(store, clock, 200).restore(valid);
    expect(restored.map((l) => l.id)).toEqual(
      Array.from({ length: total }, (_, i) => `l${i}`).slice(-((JOURNAL_SLOTS - 1) * JOURNAL_CHUNK + 5)),
    );
  });

  it('skips what storage garbled: a stale or broken slot, bad entries, a missing head', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    expect(await new RealizedJournal(store, clock, 200).restore(valid)).toEqual([]);
    const journal = new RealizedJournal(store, clock, 200);
    for (let i = 0; i < JOURNAL_CHUNK * 2 + 3; i++) journal.append([liq(i)]);
    journal.flush();
    store.data.set(journalSlotKey(0), { index: 0 + JOURNAL_SLOTS, entries: JSON.stringify([encodeAsBefore(liq(999))]) }); // a slot from another lap
    store.data.set(journalSlotKey(1), { index: 1, entries: JSON.stringify([null, 'x', encodeAsBefore(liq(1_000))]) });
    const logged: string[] = [];
    const restored = await new RealizedJournal(store, clock, 200, (m) => logged.push(m)).restore(valid);
    const c = JOURNAL_CHUNK * 2;
    expect(restored.map((l) => l.id)).toEqual(['l1000', `l${c}`, `l${c + 1}`, `l${c + 2}`]);
    expect(logged).toEqual([]);
    // A chunk whose text is cut short is skipped, and said.
    store.data.set(journalSlotKey(1), { index: 1, entries: JSON.stringify([encodeAsBefore(liq(1_000))]).slice(0, 30) });
    const cut = await new RealizedJournal(store, clock, 200, (m) => logged.push(m)).restore(valid);
    expect(cut.map((l) => l.id)).toEqual([`l${c}`, `l${c + 1}`, `l${c + 2}`]);
    expect(logged).toEqual(['skipped an unreadable journal chunk (realized:1)']);
  });

  it('restores chunks stored as arrays (before entries were one text), objects included', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    store.data.set(JOURNAL_HEAD_KEY, { index: 1 });
    store.data.set(journalSlotKey(0), { index: 0, entries: [liq(0), encodeAsBefore(liq(1))] });
    store.data.set(journalSlotKey(1), { index: 1, entries: [encodeAsBefore(liq(2))] });
    const journal = new RealizedJournal(store, clock, 200);
    expect(await journal.restore(valid)).toEqual([liq(0), liq(1), liq(2)]);
    // Appending goes on in the chunk being filled, written in today's form.
    journal.append([liq(3)]);
    journal.flush();
    expect(slotEntries(store, 1).length).toBe(2);
    expect((await new RealizedJournal(store, clock, 200).restore(valid)).map((l) => l.id)).toEqual(['l0', 'l1', 'l2', 'l3']);
  });
});
