/**
 * One venue's REST side: its instrument list (from the cache when fresh, else fetched once), its
 * per-symbol polls (open interest where the venue publishes it over REST only) and its margin tables.
 * Every request goes through one poller helper: the feeds' clock, the host's weight budget, and a
 * failure noted on the venue as "what: why" for the popup's Feeds tab.
 */
import type { Clock } from '../clock';
import type { PollerStatus } from '../contract/health';
import type { InstrumentSpec, MarginTier, ParseOutcome, RestRequest, VenueAdapter, VenueFeedConfig } from '../exchanges/types';
import type { SpecBook } from '../exchanges/specs';
import { Poller, type FetchLike, type PollerOptions } from './rest-poller';
import type { WeightBudget } from './weight-budget';
import { t } from '../i18n';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface VenueRestOptions {
  adapter: VenueAdapter;
  specs: SpecBook;
  fetch: FetchLike;
  clock: Clock;
  /** Instrument lists younger than this are not fetched again. */
  specMaxAgeMs?: number;
  specCache?: {
    load(venue: VenueAdapter['id']): Promise<{ at: number; specs: InstrumentSpec[] } | undefined>;
    save(venue: VenueAdapter['id'], entry: { at: number; specs: InstrumentSpec[] }): Promise<void>;
  };
  budgetFor?(url: string): WeightBudget | undefined;
  /** Trades of an instrument counted so far: polls of what only trades change skip rounds without any. */
  tradesOf?(instrument: string): number;
  onSpecs?(specs: readonly InstrumentSpec[]): void;
  onMarginTiers?(instrument: string, tiers: MarginTier[]): void;
  /** A polled body (for the recorder) and what its parse gave. */
  onPolled(body: string, t: number, restPath: string, requestBody: string | undefined, outcome: ParseOutcome): void;
  noteError(error: string): void;
  /** Still the running venue (a restarted one ignores its old cache read). */
  current(): boolean;
}

export class VenueRest {
  private pollers: Poller[] = [];
  private readonly specsId: string;

  constructor(private readonly o: VenueRestOptions) {
    this.specsId = `${o.adapter.id}/specs`;
  }

  /** The instrument list (cached or fetched) and the symbols' polls. */
  start(config: VenueFeedConfig): void {
    const { adapter, specs } = this.o;
    const specPoller = this.poller('restErrorInstrumentList', {
      id: this.specsId,
      request: adapter.specs.request(config.endpoints),
      everyMs: 0,
      once: true,
      onBody: (body, at) => {
        const listed = adapter.specs.parse(body);
        if ('error' in listed) return this.o.noteError(t('restInstrumentListBad', { error: listed.error }));
        specs.set(listed, at);
        this.o.onSpecs?.(listed);
        void this.o.specCache?.save(adapter.id, { at, specs: listed }).catch(() => {});
      },
    });
    this.pollers.push(specPoller);
    this.sync(config);
    const cache = this.o.specCache;
    if (!cache) return specPoller.start(0);
    void cache
      .load(adapter.id)
      .catch(() => undefined)
      .then((cached) => {
        if (!this.o.current()) return;
        if (cached) {
          specs.set(cached.specs, cached.at);
          this.o.onSpecs?.(cached.specs);
        }
        const age = cached ? this.o.clock.now() - cached.at : Infinity;
        if (age > (this.o.specMaxAgeMs ?? DAY_MS)) specPoller.start(0);
      });
  }

  /** The per-symbol polls and margin tables for the venue's current symbols: new ones start, gone ones stop. */
  sync(config: VenueFeedConfig): void {
    const wanted = [...this.symbolPolls(config), ...this.marginTables(config)];
    const wantedIds = new Set(wanted.map((p) => p.status.id));
    const kept = this.pollers.filter((p) => p.status.id === this.specsId || wantedIds.has(p.status.id));
    for (const p of this.pollers) if (!kept.includes(p)) p.stop();
    const running = new Set(kept.map((p) => p.status.id));
    const started = wanted.filter((p) => !running.has(p.status.id));
    this.pollers = [...kept, ...started];
    for (const p of started) p.start(0);
  }

  /** Parked polls (rounds skipped for want of trades) ask again once they are wanted. */
  resumeIfWanted(): void {
    for (const p of this.pollers) p.resumeIfWanted();
  }

  stop(): void {
    for (const p of this.pollers) p.stop();
  }

  get statuses(): PollerStatus[] {
    return this.pollers.map((p) => p.status);
  }

  private symbolPolls(config: VenueFeedConfig): Poller[] {
    const { adapter, tradesOf } = this.o;
    return (adapter.polls?.(config.endpoints, config.symbols) ?? []).map((plan) => {
      const instrument = plan.changesOnlyWithTradesOf;
      // Trades counted when the last reading that arrived was asked for (-1: none yet, always ask), and
      // when the request in flight was: a failed request is retried however quiet the market is.
      let tradesAtReading = -1;
      let tradesAtRequest = -1;
      return this.poller('restErrorPoll', {
        id: plan.id,
        request: plan.request,
        everyMs: plan.everyMs,
        wanted:
          instrument && tradesOf
            ? () => {
                tradesAtRequest = tradesOf(instrument);
                return tradesAtRequest !== tradesAtReading;
              }
            : undefined,
        onBody: (body, at) => {
          tradesAtReading = tradesAtRequest;
          this.o.onPolled(body, at, new URL(plan.request.url).pathname, plan.request.body, plan.parse(body, at));
        },
      });
    });
  }

  private marginTables(config: VenueFeedConfig): Poller[] {
    const { adapter, onMarginTiers } = this.o;
    const source = adapter.marginTiers;
    if (!source || !onMarginTiers) return [];
    return config.symbols.map((symbol) =>
      this.poller('restErrorMarginTiers', {
        id: `${adapter.id}/tiers/${symbol}`,
        request: source.request(config.endpoints, symbol),
        everyMs: 0,
        once: true,
        onBody: (body) => {
          const tiers = source.parse(body, symbol);
          if ('error' in tiers) this.o.noteError(t('restErrorMarginTiers', { error: tiers.error }));
          else onMarginTiers(`${adapter.id}:${symbol}`, tiers);
        },
      }),
    );
  }

  /** One REST resource of this venue: on the feeds' clock and fetch, within its host's budget, failures noted as `what: why; fallback`. */
  /** A poll whose failures are noted in `errorKey`'s words (what failed, and what is used instead). */
  private poller(
    errorKey: 'restErrorInstrumentList' | 'restErrorPoll' | 'restErrorMarginTiers',
    p: Pick<PollerOptions, 'id' | 'everyMs' | 'once' | 'wanted' | 'onBody'> & { request: RestRequest },
  ): Poller {
    return new Poller({
      ...p,
      fetch: this.o.fetch,
      clock: this.o.clock,
      budget: this.o.budgetFor?.(p.request.url),
      onStatus: (s) => s.lastError && this.o.noteError(t(errorKey, { error: s.lastError })),
    });
  }
}
