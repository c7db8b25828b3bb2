/**
 * Leading + trailing throttle: the first request runs at once, later ones within `intervalMs` are
 * folded into one run at the end of the interval. Used to cap snapshot pushes at ≤ 4 Hz however
 * fast frames arrive, without ever dropping the last state.
 */
export interface Throttled {
  (): void;
  /** Run now if a trailing run is pending (e.g. before the worker suspends). */
  flush(): void;
  cancel(): void;
}

export function throttle(fn: () => void, intervalMs: number): Throttled {
  let lastRun = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    timer = null;
    lastRun = Date.now();
    fn();
  };
  const throttled = (() => {
    if (timer) return;
    const wait = lastRun + intervalMs - Date.now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  }) as Throttled;
  throttled.flush = () => {
    if (!timer) return;
    clearTimeout(timer);
    run();
  };
  throttled.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return throttled;
}
