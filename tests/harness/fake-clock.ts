/**
 * A manual clock for lib/'s Clock port: timers fire only when a test advances time, in due order,
 * so reconnect backoff, heartbeats, stale checks and the worker's tick run in microseconds and the
 * same way every run. Real I/O (loopback sockets) still runs on the real event loop: `advance` yields
 * to it between timers so replies can arrive before the next one fires.
 */
import type { Clock, TimerHandle } from '../../lib/clock';

interface Timer {
  id: number;
  at: number;
  every?: number;
  fn: () => void;
}

export class FakeClock implements Clock {
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
  async advance(ms: number, settle: () => Promise<void> = nextTurn): Promise<void> {
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

/** One turn of the real event loop: promise jobs and ready I/O callbacks run. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
