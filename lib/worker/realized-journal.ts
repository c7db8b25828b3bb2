/**
 * Realized liquidations kept across worker restarts by appending, not rewriting: in session storage
 * as a ring of chunks (`realized:0` … `realized:N-1`, CHUNK entries each) and a head naming the chunk
 * being filled. A liquidation burst rewrites only the current chunk (at most CHUNK entries, at most
 * every `saveMs`), not the whole recent list; a full chunk is written once, the head moves on, and the
 * oldest slot is reused. Between full engine snapshots this is what a restarted worker merges back.
 *
 * What a write costs the worker is mostly turning the value into the browser's storage format, so
 * entries are stored as tuples (no field names), encoded once when journaled, and chunks are small:
 * the chunk being filled is rewritten at every save, so a liquidation is written once per save until
 * its chunk is full: at a trickle, up to CHUNK times (50 before, now 10); in a burst, about once.
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

/**
 * A realized liquidation as stored: its fields in a fixed order, the side as 'l' or 's'. The id and
 * the venue are '' when they are what the other fields say (most venues give no liquidation id, so
 * the id repeats instrument, time, side, price and size): half the bytes of a burst's writes.
 */
type StoredEntry = [string, string, string, 'l' | 's', number, number, number, number, number];

interface StoredChunk {
  /** Which chunk this slot holds (slots are reused: an old index is a stale slot). */
  index: number;
  entries: StoredEntry[];
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

export class RealizedJournal {
  private index = 0;
  private current: StoredEntry[] = [];
  private timer: TimerHandle | null = null;
  /** Chunks filled but not yet written (normally one). */
  private sealed: StoredChunk[] = [];
  /** The head as last written: it is written again only when the chunk being filled changes. */
  private headWritten: number | undefined;

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
        if (!chunk || chunk.index !== i || !Array.isArray(chunk.entries)) continue;
        const entries = chunk.entries.map(decode).filter(valid);
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
    if (!this.timer) this.timer = this.clock.setTimeout(() => this.flush(), this.saveMs);
  }

  /** Write what is pending now (the worker may be about to stop). */
  flush(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = null;
    const values: Record<string, unknown> = {};
    for (const c of [...this.sealed, { index: this.index, entries: this.current.slice() }]) values[journalSlotKey(c.index)] = c;
    this.sealed = [];
    if (this.headWritten !== this.index) {
      this.headWritten = this.index;
      values[JOURNAL_HEAD_KEY] = { index: this.index };
    }
    // One call for every chunk of the flush and the head: in a burst that is 5 writes a second, not 50.
    this.store.setMany(values).catch((err) => this.log('could not save liquidations', err));
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
