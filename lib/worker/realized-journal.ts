/**
 * Realized liquidations kept across worker restarts by appending, not rewriting: in session storage
 * as a ring of chunks (`realized:0` … `realized:N-1`, CHUNK entries each) and a head naming the chunk
 * being filled. A liquidation burst rewrites only the current chunk (at most CHUNK entries, at most
 * every `saveMs`), not the whole recent list; a full chunk is written once, the head moves on, and the
 * oldest slot is reused. Between full engine snapshots this is what a restarted worker merges back.
 *
 * What a write costs the worker is mostly turning the value into the browser's storage format, so
 * entries are tuples (no field names), encoded once when journaled, and a chunk's entries are stored
 * as one JSON text: the extension API converts a string in one copy, where an array of tuples is
 * converted value by value (in a 400-a-second cascade that conversion was the journal's main cost).
 * Chunks are small: the chunk being filled is rewritten at every save, so a liquidation is written
 * once per save until its chunk is full: at a trickle, up to CHUNK times; in a burst, about once.
 *
 * Each storage call also has a fixed cost on the worker, so in a cascade (a chunk or more filled since
 * the last write) writes are at least JOURNAL_BUSY_SAVE_MS apart: a worker stopped mid-cascade loses at
 * most that much of it; a trickle is still written within `saveMs`.
 */
import type { Clock, TimerHandle } from '../clock';
import type { RealizedLiquidation } from '../contract/market';
import { liquidationId } from '../model';
import type { KeyValueStore } from './ports';

export const JOURNAL_CHUNK = 10;
/** Slots in the ring: enough chunks to hold the engine's recent list (500) and the one being filled. */
export const JOURNAL_SLOTS = 51;
export const JOURNAL_HEAD_KEY = 'realized:head';
export const journalSlotKey = (index: number) => `realized:${index % JOURNAL_SLOTS}`;
/** In a cascade, at most one write in this (at 400 liquidations a second, 5 calls a second became 1). */
export const JOURNAL_BUSY_SAVE_MS = 1_000;

/**
 * A realized liquidation as stored: its fields in a fixed order, the side as 'l' or 's'. The id and
 * the venue are '' when they are what the other fields say (most venues give no liquidation id, so
 * the id repeats instrument, time, side, price and size): half the bytes of a burst's writes.
 */
type StoredEntry = [string, string, string, 'l' | 's', number, number, number, number, number];

interface StoredChunk {
  /** Which chunk this slot holds (slots are reused: an old index is a stale slot). */
  index: number;
  /** `JSON.stringify(StoredEntry[])`; an array of entries as versions before this stored them. */
  entries: string | StoredEntry[];
}

const venueOf = (instrument: string) => instrument.slice(0, instrument.indexOf(':'));
/** `l.venue === venueOf(l.instrument)`, without a slice per liquidation of a burst. */
const venueIsInstruments = (l: RealizedLiquidation) =>
  l.instrument.charCodeAt(l.venue.length) === 58 /* ':' */ && l.instrument.startsWith(l.venue);

function encode(l: RealizedLiquidation): StoredEntry {
  return [
    l.id === liquidationId(l) ? '' : l.id, // a realized liquidation has no venue id field: the fields' id
    venueIsInstruments(l) ? '' : l.venue,
    l.instrument,
    l.liquidatedSide === 'long' ? 'l' : 's',
    l.price,
    l.baseQty,
    l.notionalUsd,
    l.exchangeTime,
    l.receiveTime,
  ];
}

/** A stored entry back as a liquidation (objects, as versions before tuples stored them, pass through). */
function decode(entry: unknown): unknown {
  if (!Array.isArray(entry)) return entry;
  if (entry.length !== 9 || (entry[3] !== 'l' && entry[3] !== 's') || typeof entry[2] !== 'string') return undefined;
  const [id, venue, instrument, side, price, baseQty, notionalUsd, exchangeTime, receiveTime] = entry as StoredEntry;
  const liquidatedSide = side === 'l' ? 'long' : 'short';
  return {
    id: id || liquidationId({ instrument, exchangeTime, liquidatedSide, price, baseQty }),
    venue: venue || venueOf(instrument),
    instrument,
    liquidatedSide,
    price,
    baseQty,
    notionalUsd,
    exchangeTime,
    receiveTime,
  };
}

/** A slot's entries as an array: parsed from its JSON text, or as stored (undefined when neither). */
export function storedEntries(entries: unknown): unknown[] | undefined {
  if (Array.isArray(entries)) return entries;
  if (typeof entries !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(entries);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export class RealizedJournal {
  private index = 0;
  private current: StoredEntry[] = [];
  private timer: TimerHandle | null = null;
  /** Chunks filled but not yet written (normally one). */
  private sealed: { index: number; entries: StoredEntry[] }[] = [];
  /** The head as last written: it is written again only when the chunk being filled changes. */
  private headWritten: number | undefined;
  private lastWriteAt = -Infinity;

  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
    private readonly saveMs: number,
    private readonly log: (message: string, error?: unknown) => void = () => {},
  ) {}

  /**
   * What was journaled before a restart, oldest first, and where to go on appending. `valid` filters
   * entries (storage is not trusted). Unreadable parts are skipped and logged.
   */
  async restore(valid: (l: unknown) => l is RealizedLiquidation): Promise<RealizedLiquidation[]> {
    try {
      const head = (await this.store.get(JOURNAL_HEAD_KEY)) as { index?: unknown } | undefined | null;
      const h = typeof head?.index === 'number' && Number.isInteger(head.index) && head.index >= 0 ? head.index : undefined;
      if (h === undefined) return [];
      const out: RealizedLiquidation[] = [];
      for (let i = Math.max(0, h - JOURNAL_SLOTS + 1); i <= h; i++) {
        const chunk = (await this.store.get(journalSlotKey(i))) as Partial<StoredChunk> | undefined | null;
        if (!chunk || chunk.index !== i) continue;
        const stored = storedEntries(chunk.entries);
        if (!stored) {
          if (chunk.entries !== undefined) this.log(`skipped an unreadable journal chunk (${journalSlotKey(i)})`);
          continue;
        }
        const entries = stored.map(decode).filter(valid);
        out.push(...entries);
        if (i === h) this.current = entries.map(encode);
      }
      this.index = h;
      this.headWritten = h;
      if (this.current.length >= JOURNAL_CHUNK) this.roll();
      return out;
    } catch (err) {
      this.log('could not restore recent liquidations', err);
      return [];
    }
  }

  /** Journal new liquidations; written within `saveMs`, only the chunk(s) they went into. */
  append(liquidations: readonly RealizedLiquidation[]): void {
    for (const l of liquidations) {
      this.current.push(encode(l));
      if (this.current.length >= JOURNAL_CHUNK) this.roll();
    }
    if (!this.timer) this.timer = this.clock.setTimeout(() => this.saveDue(), this.saveMs);
  }

  /** Write what is pending now (the worker may be about to stop). */
  flush(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.lastWriteAt = this.clock.now();
    const values: Record<string, StoredChunk | { index: number }> = {};
    // Faster than the ring holds, older chunks would only be written over in the same call.
    for (const c of [...this.sealed.slice(-(JOURNAL_SLOTS - 1)), { index: this.index, entries: this.current }])
      values[journalSlotKey(c.index)] = { index: c.index, entries: JSON.stringify(c.entries) };
    this.sealed = [];
    if (this.headWritten !== this.index) {
      this.headWritten = this.index;
      values[JOURNAL_HEAD_KEY] = { index: this.index };
    }
    // One call for every chunk of the flush and the head: in a burst, one write a second.
    this.store.setMany(values).catch((err) => this.log('could not save liquidations', err));
  }

  /** `saveMs` after the first unwritten liquidation; in a cascade, not before JOURNAL_BUSY_SAVE_MS since the last write. */
  private saveDue(): void {
    this.timer = null;
    const wait = this.lastWriteAt + JOURNAL_BUSY_SAVE_MS - this.clock.now();
    if (this.sealed.length && wait > 0) this.timer = this.clock.setTimeout(() => this.flush(), wait);
    else this.flush();
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private roll(): void {
    this.sealed.push({ index: this.index, entries: this.current });
    this.index += 1;
    this.current = [];
  }
}
