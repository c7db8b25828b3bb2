/**
 * Keeps the engine's state in `storage.session` so a restarted service worker resumes where it
 * stopped (session storage survives worker restarts, not browser restarts, and is not readable by
 * content scripts). Long-term history goes to IndexedDB with the heatmap engine.
 */
import { storage } from 'wxt/utils/storage';
import type { InstrumentSpec, VenueId } from '@/lib/exchanges/types';
import { MarketEngine, type EngineSnapshot, type RealizedLiquidation } from '@/lib/model/engine';
import type { ModelParams } from '@/lib/model/params';
import type { SpecCache } from '@/lib/net/feed-manager';
import { HistoryStore } from '@/lib/model/history-store';
import { COARSE_CAPACITY, COARSE_PERIOD_MS } from '@/lib/model/history';

const engineItem = storage.defineItem<EngineSnapshot | null>('session:engine', { fallback: null });
/**
 * Realized liquidations, saved within REALIZED_SAVE_MS of arriving: the full snapshot is written
 * every SAVE_EVERY_MS, and a worker stopped in between must not lose what it already showed.
 */
const realizedItem = storage.defineItem<RealizedLiquidation[]>('session:realized', { fallback: [] });
const SAVE_EVERY_MS = 5_000;
const REALIZED_SAVE_MS = 200;

export async function restoreEngine(params: ModelParams): Promise<MarketEngine> {
  let engine: MarketEngine;
  try {
    const saved = await engineItem.getValue();
    engine = saved ? MarketEngine.fromSnapshot(saved, { params }) : new MarketEngine({ params });
  } catch (err) {
    console.warn('LiqLens: could not restore engine state, starting empty', err);
    engine = new MarketEngine({ params });
  }
  try {
    const realized = await realizedItem.getValue();
    if (Array.isArray(realized)) engine.mergeRealized(realized.filter(isRealized));
  } catch (err) {
    console.warn('LiqLens: could not restore recent liquidations', err);
  }
  return engine;
}

function isRealized(l: unknown): l is RealizedLiquidation {
  const r = l as RealizedLiquidation;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.id === 'string' &&
    typeof r.instrument === 'string' &&
    Number.isFinite(r.notionalUsd) &&
    Number.isFinite(r.receiveTime)
  );
}

/** Call after each batch with a realized liquidation: saved at most every REALIZED_SAVE_MS. */
export function realizedSaver(engine: () => MarketEngine): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      realizedItem
        .setValue(engine().recentLiquidations().slice())
        .catch((err) => console.warn('LiqLens: could not save liquidations', err));
    }, REALIZED_SAVE_MS);
  };
}

export function startEnginePersistence(engine: () => MarketEngine): void {
  let savedRevision = engine().revision;
  setInterval(() => {
    const current = engine();
    if (current.revision === savedRevision) return;
    savedRevision = current.revision;
    engineItem.setValue(current.toSnapshot()).catch((err) => console.warn('LiqLens: could not save engine state', err));
  }, SAVE_EVERY_MS);
}

/** Instrument lists per venue in `storage.local`, refreshed at most daily (FeedManager decides). */
export const specCache: SpecCache = {
  async load(venue: VenueId) {
    const item = storage.defineItem<{ at: number; specs: InstrumentSpec[] } | null>(`local:specs:${venue}`, { fallback: null });
    const value = await item.getValue();
    return value && Array.isArray(value.specs) && typeof value.at === 'number' ? value : undefined;
  },
  async save(venue: VenueId, entry) {
    await storage.setItem(`local:specs:${venue}`, entry);
  },
};

const HISTORY_SAVE_EVERY_MS = 15_000;

/**
 * Heatmap history in IndexedDB: loaded into the engine at start, then saved every 15 s (only the
 * hours that changed), and in full for an instrument whose backfill just wrote its past day (those
 * hours are older than any periodic save looks at). A browser closed between two saves loses at most
 * those 15 s. Problems are logged and reported as notices, never thrown into the worker.
 */
export async function startHistoryPersistence(
  engine: () => MarketEngine,
  notice: (message: string) => void,
): Promise<{ reset(): Promise<void>; saveAll(instrument: string): Promise<void> }> {
  let store: HistoryStore;
  try {
    store = await HistoryStore.open({ notice });
    const { histories } = await store.loadAll();
    for (const [instrument, history] of histories) engine().levels.attachHistory(instrument, history);
  } catch (err) {
    notice(`Heatmap history is not available: ${err instanceof Error ? err.message : String(err)}`);
    return { reset: async () => {}, saveAll: async () => {} };
  }
  let savedUpTo = Date.now() - HISTORY_SAVE_EVERY_MS;
  setInterval(() => {
    const since = savedUpTo - HISTORY_SAVE_EVERY_MS;
    savedUpTo = Date.now();
    const levels = engine().levels;
    void (async () => {
      try {
        for (const instrument of levels.instruments()) await store.save(instrument, levels.history(instrument)!, since);
        await store.pruneBefore(Date.now() - COARSE_CAPACITY * COARSE_PERIOD_MS);
      } catch (err) {
        notice(`Could not save heatmap history: ${err instanceof Error ? err.message : String(err)}`);
      }
    })();
  }, HISTORY_SAVE_EVERY_MS);
  // Columns of another grid cannot be read back: a model change starts the stored history anew.
  return {
    reset: () => store.clear(),
    async saveAll(instrument) {
      const history = engine().levels.history(instrument);
      if (!history) return;
      try {
        await store.save(instrument, history, 0);
      } catch (err) {
        notice(`Could not save heatmap history: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}
