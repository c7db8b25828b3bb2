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
