import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SNAPSHOT_PUSH_INTERVAL_MS } from '../../../lib/contract/snapshot';
import { throttle } from '../../../lib/worker/throttle';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('snapshot throttle', () => {
  it('pushes at most 4 times a second however often data changes, and always pushes the last change', () => {
    const runs: number[] = [];
    const push = throttle(() => runs.push(Date.now()), SNAPSHOT_PUSH_INTERVAL_MS);
    const start = Date.now();
    // 1000 changes per second for 3 seconds.
    for (let ms = 0; ms < 3000; ms++) {
      push();
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(1000);
    expect(runs.length).toBeLessThanOrEqual(13);
    expect(runs.length).toBeGreaterThanOrEqual(12);
    for (let i = 1; i < runs.length; i++) expect(runs[i] - runs[i - 1]).toBeGreaterThanOrEqual(SNAPSHOT_PUSH_INTERVAL_MS);
    expect(runs[runs.length - 1]).toBeGreaterThanOrEqual(start + 2999); // the trailing run carries the last change
  });

  it('runs at once when idle, and flush() runs a pending push immediately', () => {
    const fn = vi.fn();
    const push = throttle(fn, 250);
    push();
    expect(fn).toHaveBeenCalledTimes(1);
    push();
    expect(fn).toHaveBeenCalledTimes(1);
    push.flush();
    expect(fn).toHaveBeenCalledTimes(2);
    push.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(2);
  });
});
