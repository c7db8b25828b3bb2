/**
 * The manual clock for tests (lib/clock.ts ManualClock): timers fire only when a test advances time,
 * in due order, so reconnect backoff, heartbeats, stale checks and the worker's tick run in
 * microseconds and the same way every run. `nextTurn` lets real I/O (loopback sockets) run between
 * timers.
 */
export { ManualClock as FakeClock } from '../../lib/clock';

/** One turn of the real event loop: promise jobs and ready I/O callbacks run. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
