/**
 * Everything the worker keeps across restarts, and every storage key it uses, in one place:
 *
 *   session  model snapshot (every 15 s when it changed) · realized journal (within 200 ms; in a cascade, once a second) · true book
 *   local    instrument lists per venue · alert history · discovered wallets
 *   database minute history per instrument (IndexedDB through the HistoryDatabase port)
 *
 * A restarted worker resumes from `restoreModel` and `openHistory`; session storage does not outlive
 * the browser, the database and local storage do.
 */
import type { Clock } from '../clock';
import type { FiredAlert, RealizedLiquidation } from '../contract/market';
import { errorText } from '../error-text';
import type { InstrumentSpec, VenueId } from '../exchanges/types';
import { COARSE_CAPACITY, COARSE_PERIOD_MS, MarketModel, type MarketModelSnapshot, type ModelParams } from '../model';
import type { SpecCache } from '../net/feed-manager';
import { TrueBook } from '../positions/true-book';
import { WalletTable } from '../positions/wallets';
import type { HistoryDatabase, KeyValueStore, WorkerPorts } from './ports';
import { RealizedJournal } from './realized-journal';
import { t } from '../i18n';

/** Storage keys (session: model state; local: caches and alert history). */
export const KEYS = {
  model: 'engine',
  startedAt: 'workerStartedAt',
  alertHistory: 'alertHistory',
  wallets: 'positions:wallets',
  trueBook: 'positions:book',
  /** The live score's hourly tallies (local: a 7-day score outlives the browser). */
  score: 'modelScore',
  specs: (venue: VenueId) => `specs:${venue}`,
} as const;

/**
 * Realized liquidations are journaled within this, so a worker stopped between model snapshots
 * keeps them (restart.e2e stops it 400 ms after one): each write is the chunk being filled, however
 * fast they arrive. In a cascade the journal writes once a second (JOURNAL_BUSY_SAVE_MS).
 */
export const REALIZED_SAVE_MS = 200;
/** Heatmap history in the database: a browser closed between two saves loses at most this. */
export const HISTORY_SAVE_EVERY_MS = 15_000;

type Log = (message: string, error?: unknown) => void;

/**
 * The model a (re)started worker resumes with: the last snapshot from session storage, plus the
 * realized liquidations journaled after it.
 */
export async function restoreModel(
  stores: { session: KeyValueStore; local: KeyValueStore },
  params: ModelParams,
  journal: RealizedJournal,
  log: Log,
): Promise<MarketModel> {
  let model: MarketModel;
  try {
    model = MarketModel.fromSnapshot((await stores.session.get(KEYS.model)) as MarketModelSnapshot | undefined, { params });
  } catch (err) {
    log('could not restore engine state, starting empty', err);
    model = new MarketModel({ params });
  }
  model.restoreRealized(await journal.restore(isRealized));
  try {
    model.restoreScores(await stores.local.get(KEYS.score));
  } catch (err) {
    log('could not restore the model score, starting a new one', err);
  }
  return model;
}

export class Persistence {
  readonly journal: RealizedJournal;
  private history: HistoryDatabase | null = null;
  private historySavedUpTo = 0;
  private historySaving = false;
  /** The newest minute column each instrument's last periodic save wrote: no new column, nothing to write. */
  private historySavedColumn = new Map<string, number | undefined>();
  private savedRevision = -1;
  private savedScoreRevision = 0;
  private positionsSaved = { wallets: -1, book: -1 };

  constructor(
    private readonly ports: Pick<WorkerPorts, 'session' | 'local' | 'openHistory'> & { clock: Clock },
    private readonly notice: (message: string) => void,
    private readonly log: Log,
  ) {
    this.journal = new RealizedJournal(ports.session, ports.clock, REALIZED_SAVE_MS, log);
  }

  /** The instrument lists' cache (a venue's list is fetched at most daily). */
  readonly specCache: SpecCache = {
    load: async (venue) => validSpecEntry(await this.ports.local.get(KEYS.specs(venue))),
    save: (venue, entry) => this.ports.local.set(KEYS.specs(venue), entry),
  };

  noteStart(now: number): void {
    this.ports.session.set(KEYS.startedAt, now).catch((err) => this.log('could not note the start time', err));
  }

  restoreModel(params: ModelParams): Promise<MarketModel> {
    return restoreModel(this.ports, params, this.journal, this.log);
  }

  /** The model snapshot, when it changed since the last save (the journal keeps the realized list). */
  saveModel(model: MarketModel): void {
    if (model.scoreRevision !== this.savedScoreRevision) {
      this.savedScoreRevision = model.scoreRevision;
      this.ports.local.set(KEYS.score, model.scoreSnapshot()).catch((err) => this.log('could not save the model score', err));
    }
    if (model.revision === this.savedRevision) return;
    this.savedRevision = model.revision;
    this.ports.session.set(KEYS.model, model.toSnapshot()).catch((err) => this.log('could not save engine state', err));
  }

  /** Open the history database and give the model its stored minutes; without it, history stays in memory. */
  async openHistory(model: MarketModel, now: number): Promise<void> {
    this.historySavedUpTo = now - HISTORY_SAVE_EVERY_MS;
    try {
      const db = await this.ports.openHistory();
      const { histories } = await db.loadAll();
      for (const [instrument, history] of histories) model.restoreHistory(instrument, history);
      this.history = db;
    } catch (err) {
      this.notice(t('historyUnavailable', { error: errorText(err) }));
    }
  }

  /** The hours that changed since the last save, then drop what is older than the rings keep. */
  async saveHistory(model: MarketModel, now: number): Promise<void> {
    if (!this.history || this.historySaving) return;
    const since = this.historySavedUpTo - HISTORY_SAVE_EVERY_MS;
    this.historySavedUpTo = now;
    this.historySaving = true;
    try {
      for (const instrument of model.modelledInstruments()) {
        // Columns are written once a minute; a save every 15 s would copy the same hour up to four
        // times (and the copies were most of an idle worker's garbage).
        const newest = model.historyOf(instrument)?.minutes.lastTime();
        if (newest === undefined || this.historySavedColumn.get(instrument) === newest) continue;
        await this.saveHistoryOf(model, instrument, since, true);
        this.historySavedColumn.set(instrument, newest);
      }
      await this.history.pruneBefore(now - COARSE_CAPACITY * COARSE_PERIOD_MS);
    } catch (err) {
      this.notice(t('historyNotSaved', { error: errorText(err) }));
    } finally {
      this.historySaving = false;
    }
  }

  /** One instrument's history from `since` (0: all of it, as after its backfill). */
  async saveHistoryOf(model: MarketModel, instrument: string, since = 0, rethrow = false): Promise<void> {
    const history = model.historyOf(instrument);
    if (!this.history || !history) return;
    try {
      await this.history.save(instrument, history, since);
    } catch (err) {
      if (rethrow) throw err;
      this.notice(t('historyNotSaved', { error: errorText(err) }));
    }
  }

  /** New model parameters make the stored history meaningless: it goes, and reloads from the venues. */
  clearHistory(): void {
    void this.history?.clear().catch((err) => this.notice(t('historyNotCleared', { error: errorText(err) })));
  }

  async loadAlertHistory(): Promise<FiredAlert[]> {
    try {
      const saved = await this.ports.local.get(KEYS.alertHistory);
      return Array.isArray(saved) ? saved.filter(isFiredAlert) : [];
    } catch (err) {
      this.log('could not read alert history', err);
      return [];
    }
  }

  saveAlertHistory(history: readonly FiredAlert[]): void {
    this.ports.local.set(KEYS.alertHistory, history.slice()).catch((err) => this.log('could not save alert history', err));
  }

  /** Discovered wallets (local) and the true book (session), as the last worker left them. */
  async loadPositions(): Promise<{ wallets: WalletTable; book: TrueBook } | null> {
    try {
      const [wallets, book] = await Promise.all([this.ports.local.get(KEYS.wallets), this.ports.session.get(KEYS.trueBook)]);
      return { wallets: WalletTable.fromSnapshot(wallets), book: TrueBook.fromSnapshot(book) };
    } catch (err) {
      this.log('could not restore discovered wallets', err);
      return null;
    }
  }

  /** Wallets and the true book, each when it changed since the last save. */
  savePositions(wallets: WalletTable, book: TrueBook, readings: number): void {
    const walletsKey = wallets.size + readings;
    if (walletsKey !== this.positionsSaved.wallets) {
      this.positionsSaved.wallets = walletsKey;
      this.ports.local.set(KEYS.wallets, wallets.toSnapshot()).catch((err) => this.log('could not save discovered wallets', err));
    }
    if (book.revision !== this.positionsSaved.book) {
      this.positionsSaved.book = book.revision;
      this.ports.session.set(KEYS.trueBook, book.toSnapshot()).catch((err) => this.log('could not save positions', err));
    }
  }

  stop(): void {
    this.journal.flush();
    this.journal.stop();
  }
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

function isFiredAlert(a: unknown): a is FiredAlert {
  const r = a as FiredAlert;
  return typeof r === 'object' && r !== null && typeof r.id === 'string' && typeof r.title === 'string' && Number.isFinite(r.at);
}

function validSpecEntry(value: unknown): { at: number; specs: InstrumentSpec[] } | undefined {
  const v = value as { at?: unknown; specs?: unknown } | null | undefined;
  return v && typeof v.at === 'number' && Array.isArray(v.specs) ? (v as { at: number; specs: InstrumentSpec[] }) : undefined;
}
