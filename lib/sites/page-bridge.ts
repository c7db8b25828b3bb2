/**
 * The MAIN-world half of the overlay: finds the page's chart through the site adapters, then on each
 * animation frame reads the plain numbers the overlay needs and sends them over the private channel
 * (lib/sites/bridge.ts) only when they changed. It reads from the page and gives the page nothing.
 *
 * Cost: while no chart is found, one discovery pass every DISCOVER_MS (known hooks, then an API-shape
 * scan of globals); once a chart is found, one read per animation frame (a few getter calls) and a
 * message only on change. Background tabs get no animation frames, so they cost nothing.
 */
import { openBridgeChannel, type ChartReport } from './bridge';

/** A chart the bridge can read. `read` returns null while the chart cannot be mapped (hidden, percent scale). */
export interface ChartSource {
  kind: string;
  read(): ChartReport | null;
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
/** An unchanged report is repeated this often, for overlays that started after the first one. */
const RESEND_MS = 1_000;
/** A source that reads null this long is dropped and discovery starts again (SPA navigation). */
const LOST_AFTER_MS = 3_000;
const NO_REPORT = 'none';

export function startPageBridge(win: Window & typeof globalThis, adapters: PageAdapter[]): { reportNow(): void } {
  const send = openBridgeChannel(win);
  for (const a of adapters) {
    try {
      a.install?.(win);
    } catch {
      // An adapter that cannot hook this page is skipped; the others still run.
    }
  }
  let source: ChartSource | null = null;
  let pass = 0;
  let last = '';
  let lastSentAt = 0;
  let lastReadAt = 0;

  const discover = () => {
    pass++;
    for (const a of adapters) {
      try {
        source = a.find(win, pass);
      } catch {
        source = null;
      }
      if (source) {
        lastReadAt = Date.now();
        win.requestAnimationFrame(frame);
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
      if (now - lastReadAt > LOST_AFTER_MS) source = null;
      return;
    }
    lastReadAt = now;
    const key = JSON.stringify(report);
    if (key === last && now - lastSentAt < RESEND_MS) return;
    last = key;
    lastSentAt = now;
    send(report);
  };

  function frame() {
    reportNow();
    if (source) win.requestAnimationFrame(frame);
    else win.setTimeout(discover, DISCOVER_MS);
  }

  discover();
  return { reportNow };
}
