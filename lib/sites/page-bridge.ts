/**
 * The MAIN-world half of the overlay: finds the page's chart through the site adapters, then reads
 * the plain numbers the overlay needs when the chart may have moved, and sends them over the private
 * channel (lib/sites/bridge.ts) only when they changed. It reads from the page and gives the page
 * nothing; the one thing it does on the overlay's word is ask the chart to show a price range.
 *
 * When it reads (event-driven: a still chart costs next to nothing):
 * - on the chart library's own events (ChartSource.watch: visible range, size, new data), in the
 *   next animation frame;
 * - on every animation frame while the user works the page (pointer, wheel, keys, touch) and for
 *   INTERACTION_MS after, since a dragged price axis or a scale-mode click has no library event;
 * - on resize and scroll (the pane moves in the viewport);
 * - every POLL_MS otherwise, for what nothing announces (a panel opening beside the chart, autoscale);
 * - never while the tab is hidden.
 * Before a chart is found: one discovery pass every DISCOVER_MS (known hooks, then an API-shape scan).
 */
import { openBridgeChannel, type ChartReport, type ShowPrices } from './bridge';

/** A chart the bridge can read. `read` returns null while the chart cannot be mapped (hidden, percent scale). */
export interface ChartSource {
  kind: string;
  read(): ChartReport | null;
  /**
   * Subscribe to the library's own change events: `changed` when the chart may have moved,
   * `interacting` while the user works it somewhere the bridge does not listen (a same-origin frame).
   * Returns the unsubscribe.
   */
  watch?(changed: () => void, interacting: () => void): () => void;
  /** Bring this price range into view (the library's own call); absent where the library has none. */
  showPrices?(range: ShowPrices): void;
  /**
   * How often to look for what nothing announces (default POLL_MS). A source whose events cover every
   * change of its price scale needs the timer only for layout moves, and says so with a longer one.
   */
  pollMs?: number;
}

/** One kind of chart page. `install` runs at document_start; `find` is called until it returns a chart. */
export interface PageAdapter {
  id: string;
  install?(win: Window): void;
  find(win: Window, pass: number): ChartSource | null;
}

const DISCOVER_MS = 500;
/** After this many passes without a chart, look less often (a page without a chart costs ~nothing). */
const FAST_PASSES = 120;
const SLOW_DISCOVER_MS = 3_000;
/** Unannounced changes (autoscale, layout beside the chart) are picked up within this. */
const POLL_MS = 250;
/** Reads on every frame for this long after the last user input. */
const INTERACTION_MS = 600;
const INPUT_EVENTS = ['pointerdown', 'wheel', 'keydown', 'touchstart', 'touchmove'] as const;
const LISTEN = { capture: true, passive: true } as const;

/**
 * Call `interacting` on user input in `win` that may move a chart: presses, wheel, keys, touch, and
 * pointer moves with a button down (a drag; a hover only moves the crosshair). Returns the unsubscribe.
 * The bridge listens in the top window; adapters whose chart sits in a frame listen there too.
 */
export function listenForInput(win: Window, interacting: () => void): () => void {
  const onMove = (e: Event) => (e as PointerEvent).buttons && interacting();
  for (const type of INPUT_EVENTS) win.addEventListener(type, interacting, LISTEN);
  win.addEventListener('pointermove', onMove, LISTEN);
  return () => {
    for (const type of INPUT_EVENTS) win.removeEventListener(type, interacting, LISTEN);
    win.removeEventListener('pointermove', onMove, LISTEN);
  };
}
/** A source that reads null this long is dropped and discovery starts again (SPA navigation). */
const LOST_AFTER_MS = 3_000;
const NO_REPORT = 'none';

export function startPageBridge(win: Window & typeof globalThis, adapters: PageAdapter[]): { reportNow(): void } {
  const send = openBridgeChannel(win, (range) => {
    if (!source?.showPrices) return;
    try {
      source.showPrices(range);
    } catch {
      // A library that refuses the range keeps its own; the arrow simply did nothing.
    }
    requestRead();
  });
  for (const a of adapters) {
    try {
      a.install?.(win);
    } catch {
      // An adapter that cannot hook this page is skipped; the others still run.
    }
  }
  let source: ChartSource | null = null;
  let unwatch: (() => void) | null = null;
  let pass = 0;
  let last = '';
  let lastReadAt = 0;
  let frameQueued = false;
  let interactingUntil = 0;

  const setSource = (next: ChartSource | null) => {
    unwatch?.();
    unwatch = null;
    source = next;
    if (!next?.watch) return;
    try {
      unwatch = next.watch(requestRead, interacting);
    } catch {
      // Events we cannot subscribe to: the poll and user input still drive the reads.
    }
  };

  const discover = () => {
    pass++;
    for (const a of adapters) {
      let found: ChartSource | null;
      try {
        found = a.find(win, pass);
      } catch {
        found = null;
      }
      if (found) {
        setSource(found);
        lastReadAt = Date.now();
        requestRead();
        win.setTimeout(poll, found.pollMs ?? POLL_MS);
        return;
      }
    }
    win.setTimeout(discover, pass < FAST_PASSES ? DISCOVER_MS : SLOW_DISCOVER_MS);
  };

  const reportNow = () => {
    if (!source) return;
    let report: ChartReport | null;
    try {
      report = source.read();
    } catch {
      report = null;
    }
    const now = Date.now();
    if (!report) {
      // Said once: the overlay hides at once instead of keeping its last drawing over an empty page.
      if (last !== NO_REPORT) {
        last = NO_REPORT;
        send(null);
      }
      if (now - lastReadAt > LOST_AFTER_MS) setSource(null);
      return;
    }
    lastReadAt = now;
    if (source.showPrices) report = { ...report, canShowPrices: true };
    const key = JSON.stringify(report);
    if (key === last) return;
    last = key;
    send(report);
  };

  /** One read in the next animation frame, however many reasons arrive before it. */
  function requestRead() {
    if (frameQueued || !source || win.document.hidden) return;
    frameQueued = true;
    win.requestAnimationFrame(frame);
  }

  function frame() {
    frameQueued = false;
    reportNow();
    if (!source) {
      win.setTimeout(discover, DISCOVER_MS);
      return;
    }
    if (Date.now() < interactingUntil) requestRead();
  }

  function interacting() {
    interactingUntil = Date.now() + INTERACTION_MS;
    requestRead();
  }

  function poll() {
    if (!source) return; // discovery runs again (frame() starts it)
    // Read here, not in an animation frame: requesting one every 250 ms makes a still page produce
    // frames it has no other reason to. (Layout is clean on a still page, so the read forces none.)
    if (!frameQueued && !win.document.hidden) {
      reportNow();
      if (!source) win.setTimeout(discover, DISCOVER_MS);
    }
    if (source) win.setTimeout(poll, source.pollMs ?? POLL_MS);
  }

  listenForInput(win, interacting);
  win.addEventListener('resize', requestRead, LISTEN);
  win.addEventListener('scroll', requestRead, LISTEN);
  win.document.addEventListener('visibilitychange', requestRead);

  discover();
  return { reportNow };
}
