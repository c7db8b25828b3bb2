/**
 * History backfill from the venues' REST: on start, and for each coin followed later, instruments
 * whose minute history is missing or stale get their last day fetched while their live events wait
 * in the model (so it sees time in order). Each run has a time budget; what is not fetched by then is
 * skipped and live data resumes. Progress (and what failed) is shown in the popup.
 */
import type { Clock } from '../clock';
import type { BackfillProgress } from '../contract/health';
import { errorText } from '../error-text';
import type { InstrumentSpec, VenueFeedConfig, VenueId } from '../exchanges/types';
import { backfillSince, type MarketModel } from '../model';
import { backfillTargets, runBackfill } from '../net/backfill-runner';
import type { FetchLike } from '../net/rest-poller';
import { t } from '../i18n';

/** How long a backfill run may take; what is not fetched by then is skipped and live data resumes. */
const BACKFILL_BUDGET_MS = 30_000;

const IDLE: BackfillProgress = { state: 'idle', total: 0, done: 0, failed: [] };

export interface BackfillServiceOptions {
  fetch: FetchLike;
  clock: Clock;
  model(): MarketModel;
  specOf(venue: VenueId, symbol: string): InstrumentSpec | undefined;
  /** An instrument's backfilled day is older than what the periodic save looks at: save it whole. */
  saveHistoryOf(instrument: string): void;
  changed(): void;
  notice(message: string): void;
}

export class BackfillService {
  private progressNow: BackfillProgress = IDLE;
  /** Runs and their progress (one at start, one more per coin followed meanwhile). */
  private readonly runs = new Map<AbortController, BackfillProgress>();
  /** Instruments a run is fetching, and which run. */
  private readonly fetching = new Map<string, AbortController>();

  constructor(private readonly o: BackfillServiceOptions) {}

  /** All runs together, as the popup shows them. */
  get progress(): BackfillProgress {
    return { ...this.progressNow, failed: [...this.progressNow.failed] };
  }

  get running(): boolean {
    return [...this.runs.values()].some((p) => p.state === 'running');
  }

  /**
   * Fetch the history of those instruments of `configs` whose history is missing or stale and that
   * no run is fetching already (a coin followed while the first day loads gets a run of its own).
   * Call before the feeds start, so their live events wait for it.
   */
  start(configs: VenueFeedConfig[]): void {
    const model = this.o.model();
    const now = this.o.clock.now();
    const since = (instrument: string) => backfillSince(model.historyOf(instrument)?.minutes.lastTime(), now);
    const targets = backfillTargets(configs, since).filter((i) => !this.fetching.has(i));
    if (!targets.length) return;
    const controller = new AbortController();
    for (const instrument of targets) {
      model.awaitBackfill(instrument);
      this.fetching.set(instrument, controller);
    }
    // The model may be replaced meanwhile (new parameters): each step asks for the current one.
    const current = () => this.o.model();
    const budget = this.o.clock.setTimeout(() => controller.abort(), BACKFILL_BUDGET_MS);
    this.runs.set(controller, { state: 'running', total: targets.length, done: 0, failed: [] });
    void runBackfill({
      fetch: this.o.fetch,
      clock: this.o.clock,
      configs,
      since: (instrument) => (targets.includes(instrument) ? since(instrument) : undefined),
      // Older days at the venue's coarse step, from where the kept history ends (7d and 30d views).
      historyEnd: (instrument) => model.historyOf(instrument)?.minutes.lastTime() ?? 0,
      // Backfill feeds the estimate only: realized figures stay what the venues reported live.
      onEvents: (events) => current().ingest(events, 'backfill'),
      specOf: this.o.specOf,
      onInstrumentDone: (instrument) => {
        if (this.fetching.has(instrument) && this.fetching.get(instrument) !== controller) return; // a newer run's now
        current().backfillDone(instrument);
        this.o.saveHistoryOf(instrument);
      },
      onProgress: (p) => {
        if (controller.signal.aborted && !this.runs.has(controller)) return; // superseded by new settings
        this.runs.set(controller, p);
        this.progressNow = combined([...this.runs.values()]);
        this.o.changed();
      },
      signal: controller.signal,
    })
      .catch((err) => this.o.notice(t('backfillFailed', { error: errorText(err) })))
      .finally(() => {
        this.o.clock.clearTimeout(budget);
        // Only what this run still owns: an instrument a newer run took over stays held for it.
        for (const instrument of targets) {
          if (this.fetching.get(instrument) !== controller && this.fetching.has(instrument)) continue;
          current().backfillDone(instrument);
          this.fetching.delete(instrument);
        }
        // The figures of finished runs stay until every run is done, so the progress never goes back.
        if ([...this.runs.values()].every((p) => p.state === 'done')) this.runs.clear();
      });
  }

  /**
   * Runs for old settings fetch from old endpoints (or for symbols gone): they stop, and what they
   * failed at no longer applies (a venue turned off is not "failed").
   */
  reset(): void {
    this.stop();
    this.progressNow = IDLE;
  }

  /** Forget finished runs so the instruments still without history are asked for again. */
  forgetFinished(): void {
    this.runs.clear();
    this.fetching.clear();
  }

  stop(): void {
    for (const run of this.runs.keys()) run.abort();
    this.runs.clear();
    this.fetching.clear();
  }
}

function combined(runs: BackfillProgress[]): BackfillProgress {
  return {
    state: runs.some((r) => r.state === 'running') ? 'running' : 'done',
    total: runs.reduce((n, r) => n + r.total, 0),
    done: runs.reduce((n, r) => n + r.done, 0),
    failed: runs.flatMap((r) => r.failed),
  };
}
