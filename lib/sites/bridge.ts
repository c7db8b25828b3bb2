/**
 * The MAIN-world bridge's message contract. A page-world script reports plain numbers about the
 * page's chart over `window.postMessage`; the isolated content script accepts a message only if it
 * carries our tag and every field has the right type and a sane range. The page is untrusted: a
 * hostile page can post anything, so everything else is ignored (and counted), and nothing is ever
 * sent back.
 */

/**
 * Tag on every bridge message. Not a secret (a page can read the extension's code): it only separates
 * our messages from the page's own postMessage traffic. The validation below is what protects us.
 */
export const BRIDGE_TAG = 'liqlens:bridge:v1';

export interface ChartReport {
  /** Visible price range of the main pane: bottom and top edge. */
  priceFrom: number;
  priceTo: number;
  /** The pane's rectangle in CSS px, relative to the top-level viewport. */
  pane: { x: number; y: number; width: number; height: number };
  mode: 'linear' | 'log';
  /** Visible time range (epoch ms), when the chart exposes it. */
  timeFrom?: number;
  timeTo?: number;
  /** The page's current symbol as the chart names it, e.g. `BINANCE:BTCUSDT.P`. */
  symbol?: string;
}

const MAX_PRICE = 1e12;
const MAX_PX = 100_000;
const MIN_TIME = Date.UTC(2009, 0, 1);
const MAX_TIME = Date.UTC(2100, 0, 1);
const SYMBOL = /^[A-Za-z0-9:._/!-]{1,64}$/;

function finite(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
}

/**
 * The report in a posted message, or null when it is not ours or not valid. Reads only own data
 * properties of plain objects (no getters run, no prototype walked).
 */
export function parseBridgeMessage(data: unknown): ChartReport | null {
  if (!isPlain(data) || own(data, 'tag') !== BRIDGE_TAG) return null;
  const report = own(data, 'report');
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
  return out;
}

function isPlain(v: unknown): v is object {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** An own data property's value; undefined for accessors and inherited properties. */
function own(o: object, key: string): unknown {
  const d = Object.getOwnPropertyDescriptor(o, key);
  return d && 'value' in d ? d.value : undefined;
}
