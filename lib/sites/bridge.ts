/**
 * The MAIN-world bridge's message contract. A page-world script reports plain numbers about the
 * page's chart; the isolated content script accepts a report only if every field has the right type
 * and a sane range. The page is untrusted, and nothing about the extension is ever sent to it: the
 * one message the other way is a price range to bring into view (a trader clicked the arrow of a
 * zone off screen), two numbers the page's own chart could be scrolled to by anyone.
 *
 * Reports travel over a private MessageChannel, not over `window.postMessage`: at document_start,
 * before any page script runs, the bridge posts one hello carrying a port, and the overlay (also at
 * document_start) takes the first hello only. The bridge keeps the other end in a closure, so a page
 * can neither post reports into that channel nor replace it later; a spoofed report posted on the
 * window, however well formed, is never read. (A page that grabs the transferred port can at most
 * read numbers about its own chart, or close the port and lose the bands on its own page.)
 *
 * The hello is posted when both halves are listening, whichever of the two content scripts runs
 * first (Chromium runs the isolated overlay first; Firefox runs the MAIN-world bridge first and
 * dispatches its messages before the overlay starts): each half, as it starts, dispatches a
 * synchronous DOM event the other may already be listening for, and the bridge answers the first
 * request only. Both run before any page script, so the one hello is queued before anything the
 * page could post; requests the page sends later are ignored.
 *
 * Firefox's content scripts see page objects through Xray wrappers: a message posted from the page
 * world arrives with the page's Object.prototype, not the content script's, so "plain" means "its
 * prototype is some realm's Object.prototype" (or null), checked without running page code.
 */

/**
 * Tag on every bridge message. Not a secret (a page can read the extension's code): it only separates
 * our messages from the page's own postMessage traffic. The validation below is what protects us.
 */
export const BRIDGE_TAG = 'liqlens:bridge:v1';
/** Tag of the one window message that hands the overlay its end of the private channel. */
export const BRIDGE_HELLO = 'liqlens:bridge-hello:v1';
/** Synchronous DOM events of the handshake: the overlay asks for the hello; the bridge says it is there. */
export const BRIDGE_REQUEST_EVENT = 'liqlens:bridge-request:v1';
export const BRIDGE_READY_EVENT = 'liqlens:bridge-ready:v1';

export interface ChartReport {
  /** Visible price range of the main pane: the lowest and the highest price (priceFrom < priceTo). */
  priceFrom: number;
  priceTo: number;
  /** The pane's rectangle in CSS px, relative to the top-level viewport. */
  pane: { x: number; y: number; width: number; height: number };
  mode: 'linear' | 'log';
  /**
   * Pixels from the edge price at y = 0 to the other edge price; the pane height unless the chart
   * says otherwise (TradingView's library puts the range's `to` at y = 0 and `from` at y = H − 1).
   */
  span?: number;
  /** The scale is upside down: the lowest price at the top (TradingView's "Invert scale"). */
  inverted?: boolean;
  /** Visible time range (epoch ms), when the chart exposes it. */
  timeFrom?: number;
  timeTo?: number;
  /** The page's current symbol as the chart names it, e.g. `BINANCE:BTCUSDT.P`. */
  symbol?: string;
  /**
   * The main series' newest price (its last bar's close), when the chart gives it: a page that names
   * no symbol is matched to the one streamed coin trading there (symbols.ts `matchByPrice`).
   */
  lastPrice?: number;
  /** The chart can be asked to show a price range (ShowPrices below): zone arrows are clickable. */
  canShowPrices?: boolean;
}

/** A price range to bring into view on the page's chart: overlay → bridge, the only such message. */
export interface ShowPrices {
  from: number;
  to: number;
}

const MAX_PRICE = 1e12;
const MAX_PX = 100_000;
const MIN_TIME = Date.UTC(2009, 0, 1);
const MAX_TIME = Date.UTC(2100, 0, 1);
const SYMBOL = /^[A-Za-z0-9:._/!-]{1,64}$/;

function finite(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
}

/** What the bridge says when the page's chart cannot be read (hidden, gone, no price scale). */
export const NO_CHART = 'none';

/**
 * The report in a posted message, NO_CHART when the bridge says the chart is gone, or null when the
 * message is not ours or not valid. Reads only own data properties of plain objects (no getters run,
 * no prototype walked).
 */
export function parseBridgeMessage(data: unknown): ChartReport | typeof NO_CHART | null {
  if (!isPlain(data) || own(data, 'tag') !== BRIDGE_TAG) return null;
  const report = own(data, 'report');
  if (report === NO_CHART) return NO_CHART;
  if (!isPlain(report)) return null;
  const priceFrom = own(report, 'priceFrom');
  const priceTo = own(report, 'priceTo');
  const mode = own(report, 'mode');
  const pane = own(report, 'pane');
  if (!finite(priceFrom, 0, MAX_PRICE) || !finite(priceTo, 0, MAX_PRICE) || !(priceTo > priceFrom)) return null;
  if (mode !== 'linear' && mode !== 'log') return null;
  if (mode === 'log' && !(priceFrom > 0)) return null;
  if (!isPlain(pane)) return null;
  const x = own(pane, 'x');
  const y = own(pane, 'y');
  const width = own(pane, 'width');
  const height = own(pane, 'height');
  if (!finite(x, -MAX_PX, MAX_PX) || !finite(y, -MAX_PX, MAX_PX) || !finite(width, 1, MAX_PX) || !finite(height, 1, MAX_PX)) return null;
  const out: ChartReport = { priceFrom, priceTo, pane: { x, y, width, height }, mode };
  const span = own(report, 'span');
  if (span !== undefined) {
    if (!finite(span, 1, height)) return null;
    out.span = span;
  }
  const inverted = own(report, 'inverted');
  if (inverted !== undefined) {
    if (typeof inverted !== 'boolean') return null;
    if (inverted) out.inverted = true;
  }
  const timeFrom = own(report, 'timeFrom');
  const timeTo = own(report, 'timeTo');
  if (timeFrom !== undefined || timeTo !== undefined) {
    if (!finite(timeFrom, MIN_TIME, MAX_TIME) || !finite(timeTo, MIN_TIME, MAX_TIME) || !(timeTo > timeFrom)) return null;
    out.timeFrom = timeFrom;
    out.timeTo = timeTo;
  }
  const symbol = own(report, 'symbol');
  if (symbol !== undefined) {
    if (typeof symbol !== 'string' || !SYMBOL.test(symbol)) return null;
    out.symbol = symbol;
  }
  const lastPrice = own(report, 'lastPrice');
  if (lastPrice !== undefined) {
    if (!finite(lastPrice, 0, MAX_PRICE) || !(lastPrice > 0)) return null;
    out.lastPrice = lastPrice;
  }
  const canShow = own(report, 'canShowPrices');
  if (canShow !== undefined) {
    if (typeof canShow !== 'boolean') return null;
    if (canShow) out.canShowPrices = true;
  }
  return out;
}

/** The range in an overlay's message to the bridge, or null when the message is not one. */
export function parseShowPrices(data: unknown): ShowPrices | null {
  if (!isPlain(data) || own(data, 'tag') !== BRIDGE_TAG) return null;
  const show = own(data, 'show');
  if (!isPlain(show)) return null;
  const from = own(show, 'from');
  const to = own(show, 'to');
  return finite(from, 0, MAX_PRICE) && finite(to, 0, MAX_PRICE) && to > from ? { from, to } : null;
}

/**
 * A plain object: an object literal or a structured clone of one, from this realm or another (the
 * page's, seen through a Firefox Xray). Its prototype is null or a root prototype (one whose own
 * prototype is null); class instances, arrays and functions are refused. No page code runs: only
 * own data properties are ever read (own() below).
 */
function isPlain(v: unknown): v is object {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  if (Object.prototype.toString.call(v) !== '[object Object]') return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** An own data property's value; undefined for accessors and inherited properties. */
function own(o: object, key: string): unknown {
  const d = Object.getOwnPropertyDescriptor(o, key);
  return d && 'value' in d ? d.value : undefined;
}

/** Counts of what the overlay side received, for the handle's diagnostics and for tests. */
export interface BridgeStats {
  accepted: number;
  rejected: number;
  /** Hello messages after the first (or without a port): a page trying to take over the channel. */
  extraHellos: number;
}

/**
 * Overlay side: wait for the bridge's hello on `win` and read valid reports from its port. Call at
 * document_start, before page scripts: the first hello wins. Returns a stop function and live stats.
 */
export function listenForBridge(
  win: Window,
  onReport: (report: ChartReport | null) => void,
): { stop(): void; stats: BridgeStats; showPrices(range: ShowPrices): void } {
  const stats: BridgeStats = { accepted: 0, rejected: 0, extraHellos: 0 };
  let port: MessagePort | null = null;
  const onHello = (event: MessageEvent) => {
    if (event.source !== win || !isPlain(event.data) || own(event.data, 'tag') !== BRIDGE_HELLO) return;
    if (port || event.ports.length !== 1) {
      stats.extraHellos++;
      return;
    }
    port = event.ports[0];
    port.onmessage = (message: MessageEvent) => {
      const report = parseBridgeMessage(message.data);
      if (report) {
        stats.accepted++;
        onReport(report === NO_CHART ? null : report);
      } else stats.rejected++;
    };
  };
  win.addEventListener('message', onHello);
  // The handshake: ask now (a bridge that started first answers), and once more when the bridge
  // says it has started (it started second).
  const ask = () => win.dispatchEvent(new Event(BRIDGE_REQUEST_EVENT));
  const onReady = () => {
    win.removeEventListener(BRIDGE_READY_EVENT, onReady);
    ask();
  };
  win.addEventListener(BRIDGE_READY_EVENT, onReady);
  ask();
  return {
    stats,
    showPrices(range) {
      port?.postMessage({ tag: BRIDGE_TAG, show: { from: range.from, to: range.to } });
    },
    stop() {
      win.removeEventListener('message', onHello);
      win.removeEventListener(BRIDGE_READY_EVENT, onReady);
      port?.close();
    },
  };
}

/**
 * Bridge side: open the channel, post the hello on the overlay's first request (see the handshake
 * above), and return the function that sends a report (null: no chart). Reports sent before the
 * hello wait in the channel. `onShowPrices` gets each valid range the overlay asks to see.
 */
export function openBridgeChannel(
  win: Window & typeof globalThis,
  onShowPrices?: (range: ShowPrices) => void,
): (report: ChartReport | null) => void {
  const channel = new win.MessageChannel();
  if (onShowPrices)
    channel.port1.onmessage = (message) => {
      const range = parseShowPrices(message.data);
      if (range) onShowPrices(range);
    };
  const onRequest = () => {
    win.removeEventListener(BRIDGE_REQUEST_EVENT, onRequest);
    win.postMessage({ tag: BRIDGE_HELLO }, '*', [channel.port2]);
  };
  win.addEventListener(BRIDGE_REQUEST_EVENT, onRequest);
  win.dispatchEvent(new win.Event(BRIDGE_READY_EVENT));
  return (report) => channel.port1.postMessage({ tag: BRIDGE_TAG, report: report ?? NO_CHART });
}
