/**
 * The one owner of a WebSocket. Every venue connection goes through this class, so reconnect,
 * backoff, keepalive, stale detection, lifetime rotation and gap accounting are written once.
 *
 * State machine (docs/connection-states.md has the same diagram with the reasons):
 *
 *            start()                 open                 close / error / stale
 *   idle ─────────────▶ connecting ─────────▶ open ─────────────────────────────┐
 *                          ▲  │                 │ lifetime nearly over          │
 *                          │  │ error / close   ▼                               ▼
 *                          │  └──────────▶  (rotating: a second socket     backoff
 *                          │                 opens; the old one is closed     │
 *                          │                 when the new one has data)       │
 *                          └──────────────────────────────────────────────────┘
 *                                         timer (exponential, jittered)
 *   any state ── stop() ──▶ stopped
 *
 * Gaps: when an open socket is lost, a gap starts at its last frame and ends at the first frame
 * of the next socket. Gaps are reported, never papered over.
 */
import { errorText } from '../error-text';
import type { ConnectionPlan } from '../exchanges/types';
import { systemClock, type Clock, type TimerHandle } from '../clock';
import { formatCount, t } from '../i18n';
import type { ConnectionState, ConnectionStatus } from '../contract/health';

/**
 * A handler type checked bivariantly (method syntax), so the browser's `WebSocket` and the `ws`
 * package's, whose handlers take richer event types, both satisfy WebSocketLike.
 */
type Handler<E> = { bivarianceHack(ev: E): void }['bivarianceHack'];

/** The subset of the browser `WebSocket` we use; `ws` in Node and the browser's both satisfy it. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** A socket that stayed up this long resets the backoff. */
  healthyAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 60_000, factor: 2, healthyAfterMs: 10_000 };

/** Most recent gaps kept per connection. */
const MAX_GAPS = 50;

export interface FeedConnectionOptions {
  plan: ConnectionPlan;
  createSocket: WebSocketFactory;
  /** Every text frame of the delivering socket; returned frames are sent back on that socket. */
  onFrame(frame: string, receiveTime: number): string[] | void;
  /** A socket becomes the delivering one (first open, reconnect, rotation): reset per-stream state. */
  onNewStream?(): void;
  /**
   * Frames sent after the plan's subscribe frames on every (re)connect: the symbols added to and
   * removed from this connection since its plan was made.
   */
  resubscribeFrames?(): string[];
  /** A handshake that has not completed after this long is abandoned (half-open network). */
  connectTimeoutMs?: number;
  /** Called after every state change. */
  onStateChange?(status: ConnectionStatus): void;
  backoff?: Partial<BackoffOptions>;
  /** Injected for deterministic tests; `Math.random` otherwise. */
  random?: () => number;
  /** Time and timers; the system clock unless a test (or the worker core) passes its own. */
  clock?: Clock;
  /**
   * Someone calls `checkStale()` at least every 5 s (the worker core's tick, for every connection
   * at once): the connection keeps no watchdog timer of its own. Ten venues would otherwise wake a
   * quiet worker a dozen times every 5 s.
   */
  staleCheckedOutside?: boolean;
}

const OPEN = 1;

interface Outbox {
  queue: string[];
  windowStart: number;
  sent: number;
  scheduled: boolean;
}

export class FeedConnection {
  private readonly plan: ConnectionPlan;
  private readonly options: FeedConnectionOptions;
  private readonly backoff: BackoffOptions;
  private socket: WebSocketLike | null = null;
  /** During a lifetime rotation, the socket being replaced. */
  private retiring: WebSocketLike | null = null;
  /** During a lifetime rotation, the replacement that has not delivered a frame yet. */
  private pendingRotation: WebSocketLike | null = null;
  private timers = new Set<TimerHandle>();
  private watchdog: TimerHandle | null = null;
  private keepaliveTimer: TimerHandle | null = null;
  private readonly clock: Clock;
  private st: ConnectionStatus;
  private readonly connectTimeoutMs: number;
  /** Frames waiting for the venue's message rate, per socket. */
  private readonly outboxes = new WeakMap<WebSocketLike, Outbox>();

  constructor(options: FeedConnectionOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
    this.plan = options.plan;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.st = {
      id: options.plan.id,
      state: 'idle',
      url: options.plan.url,
      frames: 0,
      reconnects: 0,
      failedAttempts: 0,
      failures: 0,
      gaps: [],
    };
  }

  get status(): ConnectionStatus {
    return { ...this.st, gaps: [...this.st.gaps] };
  }

  start(): void {
    if (this.st.state !== 'idle') return;
    this.connect();
    // One periodic check instead of re-arming a timer on every frame (frames can arrive at 100s/s).
    const every = Math.max(250, Math.min(5_000, this.plan.staleAfterMs / 4));
    if (!this.options.staleCheckedOutside || every < 5_000) this.watchdog = this.clock.setInterval(() => this.checkStale(), every);
    if (this.plan.keepalive) {
      const { frame, everyMs } = this.plan.keepalive;
      this.keepaliveTimer = this.clock.setInterval(() => {
        if (this.socket?.readyState === OPEN) this.socket.send(frame);
      }, everyMs);
    }
  }

  stop(): void {
    this.setState('stopped');
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    this.clock.clearInterval(this.watchdog);
    this.clock.clearInterval(this.keepaliveTimer);
    this.watchdog = this.keepaliveTimer = null;
    this.closeSocket(this.socket, 1000, 'stopped');
    this.closeSocket(this.retiring, 1000, 'stopped');
    this.closeSocket(this.pendingRotation, 1000, 'stopped');
    this.socket = this.retiring = this.pendingRotation = null;
  }

  private later(fn: () => void, ms: number): void {
    const t = this.clock.setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private setState(state: ConnectionState, extra: Partial<ConnectionStatus> = {}): void {
    this.st = { ...this.st, ...extra, state };
    this.options.onStateChange?.(this.status);
  }

  private connect(): void {
    if (this.st.state === 'stopped') return;
    this.setState('connecting', { nextRetryAt: undefined });
    const socket = this.openSocket();
    if (socket) this.socket = socket;
  }

  private openSocket(): WebSocketLike | null {
    let socket: WebSocketLike;
    try {
      socket = this.options.createSocket(this.plan.url);
    } catch (err) {
      // A malformed URL (bad endpoint override) throws synchronously: report it, retry later.
      this.fail(t('connCannotOpen', { url: this.plan.url, error: errorText(err) }));
      return null;
    }
    let sawFrame = false;
    const handshakeTimer = this.clock.setTimeout(() => {
      if (socket === this.pendingRotation) {
        // The replacement never came up; the current socket keeps serving until the venue cuts it.
        this.pendingRotation = null;
        this.closeSocket(socket, 1000, 'handshake timeout');
        return;
      }
      if (socket !== this.socket || this.st.state !== 'connecting') return;
      this.socket = null;
      this.closeSocket(socket, 1000, 'handshake timeout');
      this.fail(t('connNoAnswer', { seconds: formatCount(Math.round(this.connectTimeoutMs / 1000)) }));
    }, this.connectTimeoutMs);
    this.timers.add(handshakeTimer);
    socket.onopen = () => {
      this.clock.clearTimeout(handshakeTimer);
      this.timers.delete(handshakeTimer);
      this.enqueue(socket, [...this.plan.subscribeFrames, ...(this.options.resubscribeFrames?.() ?? [])]);
      if (socket !== this.socket) return; // a rotation socket takes over on its first frame
      this.options.onNewStream?.();
      this.setState('open', { openedAt: this.clock.now(), lastError: undefined });
      if (this.plan.maxLifetimeMs) this.later(() => this.rotate(socket), this.plan.maxLifetimeMs);
      this.later(() => {
        if (this.socket === socket && this.st.state === 'open') this.st.failedAttempts = 0;
      }, this.backoff.healthyAfterMs);
    };
    socket.onmessage = (ev) => {
      if (socket === this.pendingRotation) this.takeOver(socket);
      if (socket !== this.socket) return; // the retiring socket: its replacement has the stream
      const now = this.clock.now();
      if (!sawFrame) {
        sawFrame = true;
        this.closeGap(now);
      }
      this.st.frames += 1;
      this.st.lastFrameAt = now;
      if (typeof ev.data !== 'string') return; // every venue LiqLens speaks sends text frames
      const replies = this.options.onFrame(ev.data, now);
      if (replies) for (const r of replies) socket.send(r);
    };
    socket.onerror = () => {
      // Browsers give no detail on WebSocket errors; the close event that follows carries the code.
      // A socket we already gave up on (timeout, stale) keeps the more precise reason.
      if (socket !== this.socket) return;
      this.st.lastError = t('connError');
    };
    socket.onclose = (ev) => {
      this.clock.clearTimeout(handshakeTimer);
      this.timers.delete(handshakeTimer);
      if (socket === this.retiring) this.retiring = null;
      if (socket === this.pendingRotation) this.pendingRotation = null; // the old socket keeps serving
      if (socket !== this.socket) return;
      this.socket = null;
      if (this.st.state === 'stopped') return;
      const reason =
        ev.code === 1000
          ? t('connClosedByVenue')
          : ev.reason
            ? t('connClosedWithReason', { code: ev.code, reason: ev.reason })
            : t('connClosedWithCode', { code: ev.code });
      this.fail(sawFrame || this.st.state === 'open' ? reason : (this.st.lastError ?? reason));
    };
    return socket;
  }

  /**
   * Send frames on the delivering socket (live subscribe and unsubscribe), within the venue's message
   * rate. Without an open socket nothing is sent: the next connection subscribes the current set.
   */
  send(frames: readonly string[]): void {
    const socket = this.socket;
    if (socket?.readyState === OPEN && this.st.state === 'open') this.enqueue(socket, frames);
  }

  /**
   * Frames go out within the venue's message rate (`maxMessagesPerSecond`), one message a second left
   * for the keepalive: as many as the current second allows, the rest in the seconds after. A socket
   * closed meanwhile gets nothing more.
   */
  private enqueue(socket: WebSocketLike, frames: readonly string[]): void {
    const perSecond = this.plan.maxMessagesPerSecond;
    if (!perSecond) {
      for (const frame of frames) socket.send(frame);
      return;
    }
    let box = this.outboxes.get(socket);
    if (!box) this.outboxes.set(socket, (box = { queue: [], windowStart: this.clock.now(), sent: 0, scheduled: false }));
    box.queue.push(...frames);
    this.drain(socket, box, Math.max(1, perSecond - 1));
  }

  private drain(socket: WebSocketLike, box: Outbox, perSecond: number): void {
    if (socket.readyState !== OPEN || (socket !== this.socket && socket !== this.pendingRotation)) {
      box.queue.length = 0;
      return;
    }
    const now = this.clock.now();
    if (now - box.windowStart >= 1_000) {
      box.windowStart = now;
      box.sent = 0;
    }
    while (box.queue.length && box.sent < perSecond) {
      socket.send(box.queue.shift()!);
      box.sent += 1;
    }
    if (box.queue.length && !box.scheduled) {
      box.scheduled = true;
      this.later(
        () => {
          box.scheduled = false;
          this.drain(socket, box, perSecond);
        },
        box.windowStart + 1_000 - now,
      );
    }
  }

  /** Open a replacement before the venue's lifetime cut so the stream has no gap. */
  private rotate(old: WebSocketLike): void {
    if (this.socket !== old || this.st.state !== 'open') return;
    const next = this.openSocket();
    if (!next) return;
    // Until `next` delivers a frame, `old` keeps serving: the roles swap in takeOver().
    this.pendingRotation = next;
  }

  private takeOver(next: WebSocketLike): void {
    this.pendingRotation = null;
    this.options.onNewStream?.();
    this.retiring = this.socket;
    this.socket = next;
    this.st.reconnects += 1;
    this.setState('open', { openedAt: this.clock.now() });
    if (this.plan.maxLifetimeMs) this.later(() => this.rotate(next), this.plan.maxLifetimeMs);
    this.closeSocket(this.retiring, 1000, 'rotated');
  }

  /** Close and reconnect a socket that has been silent longer than the venue's stale window. */
  checkStale(): void {
    if (this.st.state !== 'open') return;
    const last = this.st.lastFrameAt ?? this.st.openedAt ?? this.clock.now();
    if (this.clock.now() - last > this.plan.staleAfterMs) {
      const socket = this.socket;
      this.socket = null;
      this.closeSocket(socket, 4000, 'stale');
      this.fail(t('connStale', { seconds: formatCount(Math.round(this.plan.staleAfterMs / 1000)) }));
    }
  }

  private fail(reason: string): void {
    if (this.st.state === 'stopped') return;
    if (this.st.state === 'open') this.openGap(reason);
    const attempt = this.st.failedAttempts;
    const base = Math.min(this.backoff.maxMs, this.backoff.initialMs * this.backoff.factor ** attempt);
    // "Equal jitter": half fixed, half random, so clients that dropped together do not return together.
    const delay = Math.round(base / 2 + (this.options.random ?? Math.random)() * (base / 2));
    this.setState('backoff', {
      lastError: reason,
      failedAttempts: attempt + 1,
      failures: this.st.failures + 1,
      nextRetryAt: this.clock.now() + delay,
      reconnects: this.st.reconnects + 1,
      openedAt: undefined,
    });
    this.later(() => this.connect(), delay);
  }

  private openGap(reason: string): void {
    const from = this.st.lastFrameAt ?? this.st.openedAt ?? this.clock.now();
    this.st.gaps.push({ from, reason });
    if (this.st.gaps.length > MAX_GAPS) this.st.gaps.shift();
  }

  private closeGap(now: number): void {
    const gap = this.st.gaps[this.st.gaps.length - 1];
    if (gap && gap.to === undefined) gap.to = now;
  }

  private closeSocket(socket: WebSocketLike | null, code: number, reason: string): void {
    if (!socket) return;
    try {
      socket.close(code, reason);
    } catch {
      // Closing a socket that never opened can throw in some engines; it is gone either way.
    }
  }
}
