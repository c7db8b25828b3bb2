/**
 * Runs the venues' backfill requests (lib/exchanges/<venue>.ts `backfill`) for the instruments that
 * need it, one symbol at a time (well inside every venue's REST limit), and hands the resulting
 * events to the engine in time order. Reports progress; stops when aborted, and then delivers
 * nothing more (live data must never be followed by older backfilled events).
 */
import { getVenue } from '../exchanges';
import { instrumentKey, type InstrumentSpec, type MarketEvent, type VenueFeedConfig, type VenueId } from '../exchanges/types';
import { backfillEvents } from '../model';
import { request, type FetchLike } from './rest-poller';
import { systemClock, type Clock } from '../clock';
import type { BackfillProgress } from '../contract/health';

export interface BackfillOptions {
  fetch: FetchLike;
  configs: VenueFeedConfig[];
  /** From when each instrument needs history (epoch ms), or undefined when it needs none. */
  since(instrument: string): number | undefined;
  onEvents(events: MarketEvent[]): void;
  /** The instrument's spec where known (venues whose history counts contracts need it). */
  specOf?(venue: VenueId, symbol: string): InstrumentSpec | undefined;
  /** Called once per instrument when its backfill is over (done, failed or aborted). */
  onInstrumentDone?(instrument: string): void;
  onProgress?(progress: BackfillProgress): void;
  signal?: AbortSignal;
  clock?: Clock;
}

/** Instruments that `runBackfill` will fetch for these configs (to hold their live events first). */
export function backfillTargets(configs: VenueFeedConfig[], since: (instrument: string) => number | undefined): string[] {
  return configs.flatMap((c) =>
    getVenue(c.venue)?.backfill ? c.symbols.map((s) => instrumentKey(c.venue, s)).filter((i) => since(i) !== undefined) : [],
  );
}

export async function runBackfill(o: BackfillOptions): Promise<BackfillProgress> {
  const jobs = o.configs.flatMap((c) => {
    const adapter = getVenue(c.venue);
    if (!adapter?.backfill) return [];
    return c.symbols.flatMap((symbol) => {
      const instrument = instrumentKey(c.venue, symbol);
      const since = o.since(instrument);
      return since === undefined ? [] : [{ config: c, source: adapter.backfill!, symbol, instrument, since }];
    });
  });
  const progress: BackfillProgress = { state: jobs.length ? 'running' : 'done', total: jobs.length, done: 0, failed: [] };
  const clock = o.clock ?? systemClock;
  const startedAt = clock.now();
  const finished = new Set<string>();
  const finish = (instrument: string) => {
    if (finished.has(instrument)) return;
    finished.add(instrument);
    o.onInstrumentDone?.(instrument);
  };
  o.onProgress?.({ ...progress });
  for (const job of jobs) {
    if (o.signal?.aborted) break;
    const bodies: string[] = [];
    let failure: string | undefined;
    for (const req of job.source.requests(job.config.endpoints, job.symbol, job.since)) {
      const res = await request(o.fetch, req, clock);
      if (!res.ok) {
        failure = res.error ?? `HTTP ${res.status}`;
        break;
      }
      bodies.push(res.body ?? '');
    }
    if (o.signal?.aborted) break;
    const data = failure ? { error: failure } : job.source.parse(bodies, o.specOf?.(job.config.venue, job.symbol));
    if ('error' in data) progress.failed.push(`${job.instrument}: ${data.error}`);
    // Only what happened between `since` and the start of this run: the candle still open now would
    // put invented events ahead of the live data that follows.
    else
      o.onEvents(
        backfillEvents(job.config.venue, job.instrument, data).filter((e) => e.exchangeTime >= job.since && e.exchangeTime < startedAt),
      );
    finish(job.instrument);
    progress.done += 1;
    o.onProgress?.({ ...progress });
  }
  for (const job of jobs) finish(job.instrument); // aborted ones resume live at once
  progress.state = 'done';
  o.onProgress?.({ ...progress });
  return progress;
}
