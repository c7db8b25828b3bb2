/**
 * Keeps the engine's state in `storage.session` so a restarted service worker resumes where it
 * stopped (session storage survives worker restarts, not browser restarts, and is not readable by
 * content scripts). Long-term history goes to IndexedDB with the heatmap engine.
 */
import { storage } from 'wxt/utils/storage';
import { MarketEngine, type EngineSnapshot } from '@/lib/model/engine';

const engineItem = storage.defineItem<EngineSnapshot | null>('session:engine', { fallback: null });
const SAVE_EVERY_MS = 5_000;

export async function restoreEngine(): Promise<MarketEngine> {
  try {
    const saved = await engineItem.getValue();
    return saved ? MarketEngine.fromSnapshot(saved) : new MarketEngine();
  } catch (err) {
    console.warn('LiqLens: could not restore engine state, starting empty', err);
    return new MarketEngine();
  }
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
