/**
 * Runs every enabled venue: builds each venue's connection plans, owns the FeedConnections and REST
 * pollers, loads instrument specs, parses frames with the venue's adapter and hands normalized events
 * to one callback. Counts every frame as events, skipped or error, so a misbehaving venue is visible
 * in the popup instead of silent, and one venue's trouble never touches another's.
 */
import { getVenue, listVenues } from '../exchanges';
import { SpecBook } from '../exchanges/specs';
import type {
  ConnectionPlan,
  FrameParser,
  InstrumentSpec,
  MarginTier,
  MarketEvent,
  ParseOutcome,
  VenueAdapter,
  VenueFeedConfig,
  VenueId,
} from '../exchanges/types';
import { FeedConnection, type BackoffOptions, type WebSocketFactory } from './feed-connection';
import type { FetchLike } from './rest-poller';
import { systemClock, type Clock } from '../clock';
import type { WeightBudget } from './weight-budget';
import type { VenueHealth } from '../contract/health';
import { t } from '../i18n';
import { VenueRest } from './venue-rest';

/** Where instrument lists are cached between worker starts (storage in the extension). */
export interface SpecCache {
  load(venue: VenueId): Promise<{ at: number; specs: InstrumentSpec[] } | undefined>;
  save(venue: VenueId, entry: { at: number; specs: InstrumentSpec[] }): Promise<void>;
}

export interface FeedManagerOptions {
  createSocket: WebSocketFactory;
  onEvents(events: MarketEvent[]): void;
  /** Called on connection state changes (not on every frame). */
  onHealthChange?(): void;
  /** Every raw frame (and polled REST body, with its path and the POST body it answered), for the recorder. */
  onRawFrame?(venue: VenueId, frame: string, receiveTime: number, restPath?: string, requestBody?: string): void;
  /** A venue's public maintenance tiers for one instrument, once fetched. */
  onMarginTiers?(instrument: string, tiers: MarginTier[]): void;
  /** A venue's instrument list, once loaded (from the cache or the venue): limits for the model. */
  onSpecs?(venue: VenueId, specs: readonly InstrumentSpec[]): void;
  /** For instrument lists and polled resources; without it, defaults and WebSocket data only. */
  fetch?: FetchLike;
  specCache?: SpecCache;
  /** Instrument lists younger than this are not fetched again. */
  specMaxAgeMs?: number;
  backoff?: Partial<BackoffOptions>;
  connectTimeoutMs?: number;
  random?: () => number;
  /** Adjusts each connection plan before use. */
  tunePlan?(plan: ConnectionPlan): ConnectionPlan;
  /** Time and timers for every connection and poller (tests pass a fake clock). */
  clock?: Clock;
  /** The weight budget of a REST host, where LiqLens keeps one (Hyperliquid's). */
  budgetFor?(url: string): WeightBudget | undefined;
  /** The owner calls tick() every 5 s: connections check for silence then, with no timer each. */
  staleCheckedOnTick?: boolean;
  /** Trades of an instrument counted so far: polls of what only trades change skip rounds without any. */
  tradesOf?(instrument: string): number;
}

const MAX_RECENT_ERRORS = 5;
const RATE_WINDOW_MS = 5_000;

/** One socket of a venue and the symbols it carries now. */
interface ConnectionSlot {
  connection: FeedConnection;
  /** The URL without its query: symbols move only between connections of one group (Bybit linear / inverse). */
  group: string;
  /** What the plan subscribed when the connection was made. */
  planned: readonly string[];
  /** What it carries now (live subscribes and unsubscribes since). */
  symbols: Set<string>;
}

interface RunningVenue {
  adapter: VenueAdapter;
  config: VenueFeedConfig;
  /** Endpoints (and, for venues without live subscriptions, the symbols): a change restarts the venue. */
  planKey: string;
  specs: SpecBook;
  connections: ConnectionSlot[];
  /** Instrument list, per-symbol polls and margin tables (null without a fetch). */
  rest: VenueRest | null;
  /** Sockets opened for symbols added later, for unique connection ids. */
  extraConnections: number;
  counts: { frames: number; events: number; skipped: number; errors: number };
  recentErrors: string[];
  rateSample: { at: number; frames: number };
  lastRate: number;
}

export class FeedManager {
  private readonly options: FeedManagerOptions;
  private running = new Map<VenueId, RunningVenue>();
  private readonly clock: Clock;

  constructor(options: FeedManagerOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
  }

  /** Bring the running venues in line with `configs`: start new, restart changed, stop removed. */
  configure(configs: VenueFeedConfig[]): void {
    const wanted = new Map(configs.map((c) => [c.venue, c]));
    for (const [id, run] of this.running) {
      const next = wanted.get(id);
      if (!next || planKey(next, run.adapter) !== run.planKey) this.stopVenue(id);
      else if (!sameSymbols(next.symbols, run.config.symbols)) this.changeSymbols(run, next);
    }
    for (const config of configs) if (!this.running.has(config.venue)) this.startVenue(config);
    this.options.onHealthChange?.();
  }

  stopAll(): void {
    for (const id of [...this.running.keys()]) this.stopVenue(id);
  }

  /** Instrument specs per venue, as currently known (for the symbol picker and the model). */
  specs(venue: VenueId): InstrumentSpec[] {
    return this.running.get(venue)?.specs.all() ?? [];
  }

  /** One instrument's spec, as currently known (backfill of venues whose history counts contracts). */
  specOf(venue: VenueId, symbol: string): InstrumentSpec | undefined {
    return this.running.get(venue)?.specs.get(symbol);
  }

  /**
   * The worker's tick (every 5 s): silent sockets are found (with staleCheckedOnTick) and parked
   * polls (rounds skipped for want of trades) ask again once they are wanted.
   */
  tick(): void {
    for (const run of this.running.values()) {
      if (this.options.staleCheckedOnTick) for (const c of run.connections) c.connection.checkStale();
      run.rest?.resumeIfWanted();
    }
  }

  private stopVenue(id: VenueId): void {
    const run = this.running.get(id);
    if (!run) return;
    for (const c of run.connections) c.connection.stop();
    run.rest?.stop();
    this.running.delete(id);
  }

  private record(run: RunningVenue, outcome: ParseOutcome, source = ''): void {
    if (outcome.status === 'events') {
      run.counts.events += outcome.events.length;
      if (outcome.events.length > 0) this.options.onEvents(outcome.events);
    } else if (outcome.status === 'skipped') {
      run.counts.skipped += 1;
    } else {
      run.counts.errors += 1;
      this.noteError(run, `${source}${outcome.error}`);
    }
  }

  private noteError(run: RunningVenue, error: string): void {
    run.recentErrors.push(error);
    if (run.recentErrors.length > MAX_RECENT_ERRORS) run.recentErrors.shift();
  }

  private startVenue(config: VenueFeedConfig): void {
    const adapter = getVenue(config.venue);
    if (!adapter) return;
    const run: RunningVenue = {
      adapter,
      config,
      planKey: planKey(config, adapter),
      specs: new SpecBook(adapter.specs.defaults),
      connections: [],
      rest: null,
      extraConnections: 0,
      counts: { frames: 0, events: 0, skipped: 0, errors: 0 },
      recentErrors: [],
      rateSample: { at: this.clock.now(), frames: 0 },
      lastRate: 0,
    };
    this.running.set(config.venue, run);

    for (const plan of adapter.connections(config.endpoints, config.symbols)) this.addConnection(run, plan);
    for (const c of run.connections) c.connection.start();
    if (this.options.fetch) {
      run.rest = this.venueRest(run, this.options.fetch);
      run.rest.start(config);
    }
  }

  /** A connection of `run` for `original` (not started). */
  private addConnection(run: RunningVenue, original: ConnectionPlan): ConnectionSlot {
    const { adapter, config } = run;
    const plan = this.options.tunePlan?.(original) ?? original;
    // One parser per delivering socket: table partials and ticker deltas belong to one stream.
    let parse: FrameParser = adapter.createParser(run.specs);
    const planned = plan.symbols ?? [];
    const slot: ConnectionSlot = { connection: null!, group: urlGroup(plan.url), planned, symbols: new Set(planned) };
    slot.connection = new FeedConnection({
      plan,
      createSocket: this.options.createSocket,
      onNewStream: () => (parse = adapter.createParser(run.specs)),
      // A reconnect subscribes what the connection carries now, not what its plan said.
      resubscribeFrames: () => {
        const removed = planned.filter((s) => !slot.symbols.has(s));
        const added = [...slot.symbols].filter((s) => !planned.includes(s));
        return [
          ...(removed.length ? (adapter.liveFrames?.('unsubscribe', removed) ?? []) : []),
          ...(added.length ? (adapter.liveFrames?.('subscribe', added) ?? []) : []),
        ];
      },
      onFrame: (frame, receiveTime) => {
        run.counts.frames += 1;
        this.options.onRawFrame?.(config.venue, frame, receiveTime);
        const outcome = parse(frame, receiveTime);
        this.record(run, outcome);
        return outcome.reply;
      },
      onStateChange: () => this.options.onHealthChange?.(),
      backoff: this.options.backoff,
      connectTimeoutMs: this.options.connectTimeoutMs,
      random: this.options.random,
      clock: this.clock,
      staleCheckedOutside: !!this.options.staleCheckedOnTick,
    });
    run.connections.push(slot);
    return slot;
  }

  /**
   * Symbols added or removed on a running venue: unsubscribe frames on the connections that carry
   * the removed ones, subscribe frames on a connection of the right group with room, one more
   * connection only where every one is full. Nothing else is touched: the other instruments keep
   * their sockets, counts, gaps and health.
   */
  private changeSymbols(run: RunningVenue, config: VenueFeedConfig): void {
    const { adapter } = run;
    const live = adapter.liveFrames!;
    const before = new Set(run.config.symbols);
    const after = new Set(config.symbols);
    run.config = config;
    for (const slot of run.connections) {
      const gone = [...slot.symbols].filter((s) => !after.has(s));
      if (!gone.length) continue;
      for (const s of gone) slot.symbols.delete(s);
      slot.connection.send(live('unsubscribe', gone));
    }
    const cap = adapter.maxSymbolsPerConnection ?? Infinity;
    const byGroup = new Map<string, string[]>();
    for (const s of config.symbols) {
      if (before.has(s)) continue;
      const [plan] = adapter.connections(config.endpoints, [s]);
      if (!plan) continue;
      const group = urlGroup(plan.url);
      byGroup.set(group, [...(byGroup.get(group) ?? []), s]);
    }
    for (const [group, waiting] of byGroup) {
      for (const slot of run.connections) {
        if (slot.group !== group || !waiting.length) continue;
        const take = waiting.splice(0, Math.max(0, cap - slot.symbols.size));
        if (!take.length) continue;
        for (const s of take) slot.symbols.add(s);
        slot.connection.send(live('subscribe', take));
      }
      if (!waiting.length) continue;
      // The venue-wide channels are on the venue's first connection already.
      for (const plan of adapter.connections(config.endpoints, waiting, { venueWide: false })) {
        run.extraConnections += 1;
        this.addConnection(run, { ...plan, id: `${plan.id}+${run.extraConnections}` }).connection.start();
      }
    }
    run.rest?.sync(config);
    this.options.onHealthChange?.();
  }

  private venueRest(run: RunningVenue, fetchImpl: FetchLike): VenueRest {
    const { adapter } = run;
    return new VenueRest({
      adapter,
      specs: run.specs,
      fetch: fetchImpl,
      clock: this.clock,
      specMaxAgeMs: this.options.specMaxAgeMs,
      specCache: this.options.specCache,
      budgetFor: this.options.budgetFor,
      tradesOf: this.options.tradesOf,
      onSpecs: this.options.onSpecs && ((specs) => this.options.onSpecs?.(adapter.id, specs)),
      onMarginTiers: this.options.onMarginTiers,
      onPolled: (body, t, path, request, outcome) => {
        this.options.onRawFrame?.(adapter.id, body, t, path, request);
        this.record(run, outcome, 'REST: ');
      },
      noteError: (error) => this.noteError(run, error),
      current: () => this.running.get(adapter.id) === run,
    });
  }

  health(now = this.clock.now()): VenueHealth[] {
    const out: VenueHealth[] = [];
    for (const [id, run] of this.running) {
      const conns = run.connections.map((c) => c.connection.status);
      const open = conns.filter((c) => c.state === 'open').length;
      const everOpened = conns.some((c) => c.openedAt !== undefined || c.frames > 0 || c.reconnects > 0);
      const state: VenueHealth['state'] =
        open === conns.length && open > 0 ? 'connected' : open > 0 ? 'degraded' : everOpened ? 'down' : 'connecting';
      if (now - run.rateSample.at >= RATE_WINDOW_MS) {
        run.lastRate = ((run.counts.frames - run.rateSample.frames) * 1000) / (now - run.rateSample.at);
        run.rateSample = { at: now, frames: run.counts.frames };
      }
      const withError = conns.filter((c) => c.state !== 'open' && c.lastError);
      out.push({
        venue: id,
        label: run.adapter.label,
        state,
        hasLiquidationFeed: run.adapter.hasLiquidationFeed,
        liquidationCompleteness: { kind: run.adapter.liquidationCompleteness.kind, note: t(run.adapter.liquidationCompleteness.note) },
        historyDepth: t(run.adapter.historyDepth),
        symbols: run.config.symbols,
        unlisted: run.config.symbols.filter((s) => run.specs.isListed(s) === false),
        ...run.counts,
        recentErrors: [...run.recentErrors],
        messagesPerSec: Math.round(run.lastRate * 10) / 10,
        lastMessageAt: maxOf(conns.map((c) => c.lastFrameAt)),
        lastError: withError[0]?.lastError,
        nextRetryAt: maxOf(withError.map((c) => c.nextRetryAt)),
        reconnects: conns.reduce((n, c) => n + c.reconnects, 0),
        connectionErrors: conns.reduce((n, c) => n + c.failures, 0),
        gaps: conns.flatMap((c) => c.gaps).sort((a, b) => a.from - b.from),
        connections: conns,
        rest: run.rest?.statuses ?? [],
        specs: { count: run.specs.size, loadedAt: run.specs.loadedAt },
      });
    }
    // Registry order, whatever order the venues were (re)started in.
    const order = listVenues().map((v) => v.id);
    return out.sort((a, b) => order.indexOf(a.venue) - order.indexOf(b.venue));
  }
}

/**
 * What restarts a venue: its endpoints; and its symbols where the adapter cannot subscribe live, or a
 * plan does not say which symbols it carries.
 */
function planKey(config: VenueFeedConfig, adapter: VenueAdapter): string {
  const live = adapter.liveFrames && adapter.connections(config.endpoints, config.symbols).every((p) => p.symbols);
  return JSON.stringify([config.endpoints.ws, config.endpoints.rest, live ? [] : [...config.symbols].sort()]);
}

function sameSymbols(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** A connection URL without its query (Binance names its streams there). */
function urlGroup(url: string): string {
  return url.split('?')[0];
}

function maxOf(values: (number | undefined)[]): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length ? Math.max(...defined) : undefined;
}
