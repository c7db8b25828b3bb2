/**
 * Runs every enabled venue: builds each venue's connection plans, owns the FeedConnections, parses
 * frames with the venue's adapter and hands normalized events to one callback. Counts every frame
 * as events, skipped or error, so a misbehaving venue is visible in the popup instead of silent.
 */
import { getVenue } from '../exchanges';
import type { MarketEvent, VenueEndpoints, VenueId } from '../exchanges/types';
import { FeedConnection, type BackoffOptions, type ConnectionStatus, type Gap, type WebSocketFactory } from './feed-connection';

export interface VenueFeedConfig {
  venue: VenueId;
  symbols: string[];
  endpoints: VenueEndpoints;
}

/** How a venue is doing, as the popup and options page show it. */
export interface VenueHealth {
  venue: VenueId;
  label: string;
  /** connected: every socket open; degraded: some open; connecting: first attempt; down: none open. */
  state: 'connected' | 'degraded' | 'connecting' | 'down';
  hasLiquidationFeed: boolean;
  symbols: string[];
  frames: number;
  events: number;
  skipped: number;
  errors: number;
  /** The latest few parse errors, newest last. */
  recentErrors: string[];
  messagesPerSec: number;
  lastMessageAt?: number;
  /** Latest connection problem, with a hint for the user. */
  lastError?: string;
  nextRetryAt?: number;
  reconnects: number;
  gaps: Gap[];
  connections: ConnectionStatus[];
}

export interface FeedManagerOptions {
  createSocket: WebSocketFactory;
  onEvents(events: MarketEvent[]): void;
  /** Called on connection state changes (not on every frame). */
  onHealthChange?(): void;
  backoff?: Partial<BackoffOptions>;
  random?: () => number;
}

const MAX_RECENT_ERRORS = 5;
const RATE_WINDOW_MS = 5_000;

interface RunningVenue {
  config: VenueFeedConfig;
  /** Identity of the plan set; a config change that alters it restarts the venue. */
  planKey: string;
  connections: FeedConnection[];
  counts: { frames: number; events: number; skipped: number; errors: number };
  recentErrors: string[];
  rateSample: { at: number; frames: number };
  lastRate: number;
}

export class FeedManager {
  private readonly options: FeedManagerOptions;
  private running = new Map<VenueId, RunningVenue>();

  constructor(options: FeedManagerOptions) {
    this.options = options;
  }

  /** Bring the running venues in line with `configs`: start new, restart changed, stop removed. */
  configure(configs: VenueFeedConfig[]): void {
    const wanted = new Map(configs.map((c) => [c.venue, c]));
    for (const [id, run] of this.running) {
      const next = wanted.get(id);
      if (!next || planKey(next) !== run.planKey) this.stopVenue(id);
    }
    for (const config of configs) if (!this.running.has(config.venue)) this.startVenue(config);
    this.options.onHealthChange?.();
  }

  stopAll(): void {
    for (const id of [...this.running.keys()]) this.stopVenue(id);
  }

  private stopVenue(id: VenueId): void {
    const run = this.running.get(id);
    if (!run) return;
    for (const c of run.connections) c.stop();
    this.running.delete(id);
  }

  private startVenue(config: VenueFeedConfig): void {
    const adapter = getVenue(config.venue);
    if (!adapter) return;
    const run: RunningVenue = {
      config,
      planKey: planKey(config),
      connections: [],
      counts: { frames: 0, events: 0, skipped: 0, errors: 0 },
      recentErrors: [],
      rateSample: { at: Date.now(), frames: 0 },
      lastRate: 0,
    };
    const onFrame = (frame: string, receiveTime: number) => {
      run.counts.frames += 1;
      const outcome = adapter.parse(frame, receiveTime);
      if (outcome.status === 'events') {
        run.counts.events += outcome.events.length;
        if (outcome.events.length > 0) this.options.onEvents(outcome.events);
      } else if (outcome.status === 'skipped') {
        run.counts.skipped += 1;
      } else {
        run.counts.errors += 1;
        run.recentErrors.push(outcome.error);
        if (run.recentErrors.length > MAX_RECENT_ERRORS) run.recentErrors.shift();
      }
    };
    for (const plan of adapter.connections(config.endpoints, config.symbols)) {
      run.connections.push(
        new FeedConnection({
          plan,
          createSocket: this.options.createSocket,
          onFrame,
          onStateChange: () => this.options.onHealthChange?.(),
          backoff: this.options.backoff,
          random: this.options.random,
        }),
      );
    }
    this.running.set(config.venue, run);
    for (const c of run.connections) c.start();
  }

  health(now = Date.now()): VenueHealth[] {
    const out: VenueHealth[] = [];
    for (const [id, run] of this.running) {
      const adapter = getVenue(id);
      const conns = run.connections.map((c) => c.status);
      const open = conns.filter((c) => c.state === 'open').length;
      const everOpened = conns.some((c) => c.openedAt !== undefined || c.frames > 0 || c.reconnects > 0);
      const state: VenueHealth['state'] =
        open === conns.length && open > 0 ? 'connected' : open > 0 ? 'degraded' : everOpened ? 'down' : 'connecting';
      if (now - run.rateSample.at >= RATE_WINDOW_MS) {
        run.lastRate = ((run.counts.frames - run.rateSample.frames) * 1000) / (now - run.rateSample.at);
        run.rateSample = { at: now, frames: run.counts.frames };
      }
      const lastMessageAt = maxOf(conns.map((c) => c.lastFrameAt));
      const withError = conns.filter((c) => c.state !== 'open' && c.lastError);
      out.push({
        venue: id,
        label: adapter?.label ?? id,
        state,
        hasLiquidationFeed: adapter?.hasLiquidationFeed ?? false,
        symbols: run.config.symbols,
        ...run.counts,
        recentErrors: [...run.recentErrors],
        messagesPerSec: Math.round(run.lastRate * 10) / 10,
        lastMessageAt,
        lastError: withError[0]?.lastError,
        nextRetryAt: maxOf(withError.map((c) => c.nextRetryAt)),
        reconnects: conns.reduce((n, c) => n + c.reconnects, 0),
        gaps: conns.flatMap((c) => c.gaps).sort((a, b) => a.from - b.from),
        connections: conns,
      });
    }
    return out;
  }
}

function planKey(config: VenueFeedConfig): string {
  return JSON.stringify([config.endpoints.ws, config.endpoints.rest, [...config.symbols].sort()]);
}

function maxOf(values: (number | undefined)[]): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length ? Math.max(...defined) : undefined;
}
