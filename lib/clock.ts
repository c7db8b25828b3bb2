/**
 * Time as a port. Everything in lib/ that waits (reconnect backoff, heartbeats, stale checks, REST
 * retries, the worker's tick) asks this object instead of the globals, so tests drive it with a fake
 * clock and run a minute of reconnects in microseconds, and the worker core stays plain TypeScript.
 */
export type TimerHandle = { readonly __timer: unique symbol } | number | object;

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined | null): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined | null): void;
}

/** The real clock: the platform's timers (a worker, a page, Node). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms) as unknown as TimerHandle,
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => globalThis.setInterval(fn, ms) as unknown as TimerHandle,
  clearInterval: (h) => globalThis.clearInterval(h as ReturnType<typeof setInterval>),
};

/**
 * A clock that moves only when told: timers fire in due order as `advance` passes them. Tests and
 * the offline simulations (lib/dev) run hours of reconnects, budgets and ticks in milliseconds with
 * it. Between timers `advance` lets pending promises and ready I/O run (`settle`), so a reply to a
 * request can land before the next timer fires.
 */
interface Timer {
  id: number;
  at: number;
  every?: number;
  fn: () => void;
}

export class ManualClock implements Clock {
  private t: number;
  private nextId = 1;
  private timers = new Map<number, Timer>();

  constructor(start = Date.UTC(2026, 10, 1, 12)) {
    this.t = start;
  }

  now = (): number => this.t;

  setTimeout = (fn: () => void, ms: number): TimerHandle => this.add(fn, ms);
  setInterval = (fn: () => void, ms: number): TimerHandle => this.add(fn, ms, Math.max(1, ms));
  clearTimeout = (h: TimerHandle | undefined | null): void => void (typeof h === 'number' && this.timers.delete(h));
  clearInterval = (h: TimerHandle | undefined | null): void => this.clearTimeout(h);

  private add(fn: () => void, ms: number, every?: number): number {
    const id = this.nextId++;
    this.timers.set(id, { id, at: this.t + Math.max(0, ms), every, fn });
    return id;
  }

  /** Timers waiting (intervals count once). */
  get pending(): number {
    return this.timers.size;
  }

  /**
   * Move time forward by `ms`, firing every timer that falls due, in order. Between timers it lets
   * pending promises and real I/O run (`settle`), so a reply to a heartbeat can land before the
   * stale check that would have missed it.
   */
  async advance(ms: number, settle: () => Promise<void> = nextMacrotask): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const due = this.nextDue(end);
      if (!due) break;
      this.t = Math.max(this.t, due.at);
      if (due.every) due.at += due.every;
      else this.timers.delete(due.id);
      due.fn();
      await settle();
    }
    this.t = end;
    await settle();
  }

  /** The same without yielding: for pure logic with no I/O. */
  advanceSync(ms: number): void {
    const end = this.t + ms;
    for (let due = this.nextDue(end); due; due = this.nextDue(end)) {
      this.t = Math.max(this.t, due.at);
      if (due.every) due.at += due.every;
      else this.timers.delete(due.id);
      due.fn();
    }
    this.t = end;
  }

  private nextDue(end: number): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.timers.values()) if (timer.at <= end && (!best || timer.at < best.at)) best = timer;
    return best;
  }
}

/** Let pending promises and ready I/O run: setImmediate where there is one (Node), else a 0 ms timer. */
function nextMacrotask(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => (immediate ? immediate(resolve) : globalThis.setTimeout(resolve, 0)));
}
