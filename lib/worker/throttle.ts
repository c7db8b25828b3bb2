/**
 * Leading + trailing throttle: the first request runs at once, later ones within `intervalMs` are
 * folded into one run at the end of the interval. Used to cap snapshot pushes at ≤ 4 Hz however
 * fast frames arrive, without ever dropping the last state.
 */
import { systemClock, type Clock, type TimerHandle } from '../clock';

export interface Throttled {
  (): void;
  /** Run now if a trailing run is pending (e.g. before the worker suspends). */
  flush(): void;
  cancel(): void;
}

export function throttle(fn: () => void, intervalMs: number, clock: Clock = systemClock): Throttled {
  let lastRun = -Infinity;
  let timer: TimerHandle | null = null;
  const run = () => {
    timer = null;
    lastRun = clock.now();
    fn();
  };
  const throttled = (() => {
    if (timer) return;
    const wait = lastRun + intervalMs - clock.now();
    if (wait <= 0) run();
    else timer = clock.setTimeout(run, wait);
  }) as Throttled;
  throttled.flush = () => {
    if (!timer) return;
    clock.clearTimeout(timer);
    run();
  };
  throttled.cancel = () => {
    clock.clearTimeout(timer);
    timer = null;
  };
  return throttled;
}
