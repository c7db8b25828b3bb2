/**
 * Runs the venues' backfill requests (lib/exchanges/<venue>.ts `backfill`) for the instruments that
 * need it, one symbol at a time (well inside every venue's REST limit), and hands the resulting
 * events to the engine in time order. Reports progress; stops when aborted, and then delivers
 * nothing more (live data must never be followed by older backfilled events).
 */
import { getVenue } from '../exchanges';
import {
  instrumentKey,
  type InstrumentSpec,
  type MarketEvent,
  type RestRequest,
  type VenueFeedConfig,
  type VenueId,
} from '../exchanges/types';
import { backfillEvents } from '../model';
import { request, type FetchLike } from './rest-poller';
import { systemClock, type Clock } from '../clock';
import type { BackfillProgress } from '../contract/health';
import { t } from '../i18n';

/** Less than this between the coarse start and the fine backfill: not worth a request. */
const COARSE_MIN_SPAN_MS = 3_600_000;

export interface BackfillOptions {
  fetch: FetchLike;
  configs: VenueFeedConfig[];
  /** From when each instrument needs history (epoch ms), or undefined when it needs none. */
  since(instrument: string): number | undefined;
  /**
   * Where an instrument's kept history ends (0: none): older days than the fine backfill reaches are
   * fetched at the venue's coarse step from there (or as far back as the venue keeps), for the
   * 7-day and 30-day views. Without it, no coarse history.
   */
  historyEnd?(instrument: string): number;
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
  const fetchAll = async (requests: RestRequest[]): Promise<string[] | { error: string }> => {
    const bodies: string[] = [];
    for (const req of requests) {
      const res = await request(o.fetch, req, clock);
      if (!res.ok) return { error: res.error ?? `HTTP ${res.status}` };
      bodies.push(res.body ?? '');
    }
    return bodies;
  };
  for (const job of jobs) {
    if (o.signal?.aborted) break;
    const spec = o.specOf?.(job.config.venue, job.symbol);
    // Older days first, at the coarse step (events must reach the model in time order).
    const coarse = job.source.coarse;
    const coarseSince = coarse && o.historyEnd ? Math.max(o.historyEnd(job.instrument), startedAt - coarse.depthMs) : undefined;
    let events: MarketEvent[] = [];
    if (coarse && coarseSince !== undefined && job.since - coarseSince >= COARSE_MIN_SPAN_MS) {
      const bodies = await fetchAll(coarse.requests(job.config.endpoints, job.symbol, coarseSince, job.since));
      if (o.signal?.aborted) break;
      const data = Array.isArray(bodies) ? coarse.parse(bodies, spec) : bodies;
      if ('error' in data) progress.failed.push(t('backfillOlderFailed', { instrument: job.instrument, error: data.error }));
      else
        events = backfillEvents(job.config.venue, job.instrument, data).filter(
          (e) => e.exchangeTime >= coarseSince && e.exchangeTime < job.since,
        );
    }
    const bodies = await fetchAll(job.source.requests(job.config.endpoints, job.symbol, job.since));
    if (o.signal?.aborted) break;
    const data = Array.isArray(bodies) ? job.source.parse(bodies, spec) : bodies;
    if ('error' in data) progress.failed.push(`${job.instrument}: ${data.error}`);
    // Only what happened between `since` and the start of this run: the candle still open now would
    // put invented events ahead of the live data that follows.
    else
      events = events.concat(
        backfillEvents(job.config.venue, job.instrument, data).filter((e) => e.exchangeTime >= job.since && e.exchangeTime < startedAt),
      );
    if (events.length) o.onEvents(events);
    finish(job.instrument);
    progress.done += 1;
    o.onProgress?.({ ...progress });
  }
  for (const job of jobs) finish(job.instrument); // aborted ones resume live at once
  progress.state = 'done';
  o.onProgress?.({ ...progress });
  return progress;
}
