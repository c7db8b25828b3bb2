/**
 * History persisted in IndexedDB, so the heatmap survives browser restarts. One record per
 * instrument, tier and hour (60 minute columns, or 60 coarse ones), rewritten as the hour fills, so
 * a write costs one small record and a restart reads ~170 records per instrument for 7 days.
 *
 * IndexedDB is a web API, not an extension one: the worker has it, and tests get it from
 * fake-indexeddb. Quota errors prune the oldest hours and say so; a database that cannot be opened
 * or read is deleted and rebuilt rather than left broken.
 */
import { deleteDB, openDB, type IDBPDatabase } from 'idb';
import { ColumnRing, InstrumentHistory, type RingSnapshot } from './history';
import { errorText } from '../error-text';
import { t, tn } from '../i18n';

const DB_NAME = 'liqlens-history';
const DB_VERSION = 1;
const STORE = 'chunks';
/** Columns per record. */
const CHUNK = 60;

interface ChunkRecord {
  /** `${instrument}|${tier}|${chunkIndex}` */
  key: string;
  instrument: string;
  tier: 'minutes' | 'coarse';
  /** Start time of the chunk's first column period. */
  start: number;
  capacity: number;
  periodMs: number;
  columns: RingSnapshot['columns'];
}

export interface HistoryStoreEvents {
  /** Something the user should know (pruned for quota, rebuilt after corruption). */
  notice?(message: string): void;
}

export class HistoryStore {
  private constructor(
    private db: IDBPDatabase,
    private readonly events: HistoryStoreEvents,
  ) {}

  static async open(events: HistoryStoreEvents = {}): Promise<HistoryStore> {
    const open = () =>
      openDB(DB_NAME, DB_VERSION, {
        upgrade(db) {
          const store = db.createObjectStore(STORE, { keyPath: 'key' });
          store.createIndex('start', 'start');
          store.createIndex('instrument', 'instrument');
        },
      });
    try {
      return new HistoryStore(await open(), events);
    } catch (err) {
      events.notice?.(t('historyReset', { error: errorText(err) }));
      await deleteDB(DB_NAME);
      return new HistoryStore(await open(), events);
    }
  }

  close(): void {
    this.db.close();
  }

  /** Write the chunks that changed since `since` (epoch ms) for one instrument. */
  async save(instrument: string, history: InstrumentHistory, since: number): Promise<void> {
    const records: ChunkRecord[] = [];
    for (const tier of ['minutes', 'coarse'] as const) {
      const ring = history[tier];
      // Only the chunks from the one holding `since` on are written: copy only their columns.
      const chunkMs = ring.periodMs * CHUNK;
      const snap = ring.toSnapshot(Math.floor(since / chunkMs) * chunkMs);
      const byChunk = new Map<number, RingSnapshot['columns']>();
      for (const col of snap.columns) {
        const chunk = Math.floor(col.t / (ring.periodMs * CHUNK));
        if ((chunk + 1) * ring.periodMs * CHUNK <= since) continue; // unchanged
        let list = byChunk.get(chunk);
        if (!list) byChunk.set(chunk, (list = []));
        list.push(col);
      }
      for (const [chunk, columns] of byChunk) {
        records.push({
          key: `${instrument}|${tier}|${chunk}`,
          instrument,
          tier,
          start: chunk * ring.periodMs * CHUNK,
          capacity: ring.capacity,
          periodMs: ring.periodMs,
          columns,
        });
      }
    }
    if (!records.length) return;
    try {
      await this.put(records);
    } catch (err) {
      if (!isQuotaError(err)) throw err;
      await this.pruneOldest(0.25);
      this.events.notice?.(t('historyPruned'));
      await this.put(records);
    }
  }

  private async put(records: ChunkRecord[]): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    await Promise.all([...records.map((r) => tx.store.put(r)), tx.done]);
  }

  /** Delete the oldest `share` of the stored chunks; returns how many were deleted. */
  async pruneOldest(share: number): Promise<number> {
    const keys = await this.db.getAllKeysFromIndex(STORE, 'start');
    const n = Math.max(1, Math.floor(keys.length * share));
    const tx = this.db.transaction(STORE, 'readwrite');
    await Promise.all([...keys.slice(0, n).map((k) => tx.store.delete(k)), tx.done]);
    return n;
  }

  /** Every stored instrument's history, rebuilt into rings. Unreadable records are skipped and counted. */
  async loadAll(): Promise<{ histories: Map<string, InstrumentHistory>; skipped: number }> {
    const records = (await this.db.getAll(STORE)) as ChunkRecord[];
    const grouped = new Map<string, { minutes: ChunkRecord[]; coarse: ChunkRecord[] }>();
    let skipped = 0;
    for (const r of records) {
      if (!r || typeof r.instrument !== 'string' || (r.tier !== 'minutes' && r.tier !== 'coarse') || !Array.isArray(r.columns)) {
        skipped += 1;
        continue;
      }
      let g = grouped.get(r.instrument);
      if (!g) grouped.set(r.instrument, (g = { minutes: [], coarse: [] }));
      g[r.tier].push(r);
    }
    const histories = new Map<string, InstrumentHistory>();
    for (const [instrument, g] of grouped) {
      const ring = (list: ChunkRecord[], fallback: ColumnRing) => {
        if (!list.length) return fallback;
        list.sort((a, b) => a.start - b.start);
        const columns = list.flatMap((r) => r.columns).filter((c) => c && typeof c.t === 'number' && c.e instanceof Uint8Array);
        return ColumnRing.fromSnapshot({ capacity: list[0].capacity, periodMs: list[0].periodMs, columns });
      };
      const h = new InstrumentHistory();
      h.minutes = ring(g.minutes, h.minutes);
      h.coarse = ring(g.coarse, h.coarse);
      histories.set(instrument, h);
    }
    if (skipped) this.events.notice?.(tn('historySkipped', skipped));
    return { histories, skipped };
  }

  /** Drop chunks older than the rings keep (30 days), so storage does not grow without bound. */
  async pruneBefore(time: number): Promise<void> {
    const keys = await this.db.getAllKeysFromIndex(STORE, 'start', IDBKeyRange.upperBound(time, true));
    if (!keys.length) return;
    const tx = this.db.transaction(STORE, 'readwrite');
    await Promise.all([...keys.map((k) => tx.store.delete(k)), tx.done]);
  }

  async clear(): Promise<void> {
    await this.db.clear(STORE);
  }
}

function isQuotaError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'QuotaExceededError' || /quota/i.test(err.message));
}
