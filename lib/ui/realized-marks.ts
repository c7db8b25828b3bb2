/**
 * Where the overlay draws realized liquidations: one bubble per side per cell of a coarse time ×
 * price grid (at the USD-weighted centre of what it holds, so it sits where they happened), its area
 * growing with USD up to a cap; the newest few emphasised; at the price axis one thin tick per side
 * per price row. Pure, so what a trader notices (how much of the newest candles is covered) is
 * tested in Node.
 *
 * Why coarse and capped: live liquidations all arrive at the chart's right edge, the part a trader
 * watches; 6 px cells and 16 px bubbles covered the last candles with overlapping discs.
 */

export interface RealizedMarkInput {
  /** Pane y of its price (only liquidations whose price is on screen are passed). */
  y: number;
  time: number;
  usd: number;
  long: boolean;
}

export interface Bubble {
  x: number;
  y: number;
  usd: number;
  long: boolean;
  /** Among the newest few liquidations on screen: drawn with a ring. */
  newest: boolean;
}

export interface EdgeTick {
  y: number;
  usd: number;
  long: boolean;
}

/** Liquidations of one side within a cell this wide (px)… */
export const BUBBLE_COLUMN_PX = 14;
/** …and this tall share one bubble (two MAX_RADIUS_PX bubbles of adjacent rows do not overlap). */
export const BUBBLE_ROW_PX = 14;
/** Radius for $25K; area grows with USD. */
const RADIUS_AT_25K = 3;
export const MIN_RADIUS_PX = 2;
/** The cap: a $10M cluster is no bigger than a candle or two. */
export const MAX_RADIUS_PX = 7;
/** This many of the newest liquidations get a ring (what just happened). */
export const NEWEST_EMPHASISED = 3;
/** Edge ticks: one per side per this many px of price, MIN…MAX px long by USD, thin. */
export const EDGE_ROW_PX = 3;
const EDGE_MIN_PX = 5;
export const EDGE_MAX_PX = 14;

/** Bubble radius: area ∝ USD ($25K → 3 px), at least MIN_RADIUS_PX, at most MAX_RADIUS_PX. */
export function bubbleRadius(usd: number): number {
  return Math.max(MIN_RADIUS_PX, Math.min(MAX_RADIUS_PX, RADIUS_AT_25K * Math.sqrt(Math.max(0, usd) / 25_000)));
}

/** Edge tick length: EDGE_MIN_PX for $1K, growing with log USD to EDGE_MAX_PX from $1M. */
export function edgeTickLength(usd: number): number {
  return Math.max(EDGE_MIN_PX, Math.min(EDGE_MAX_PX, EDGE_MIN_PX + 3 * Math.log10(Math.max(1, usd / 1_000))));
}

/** The time of the NEWEST_EMPHASISED-th newest liquidation (Infinity for none): one pass, no sort. */
function newestCutoff(list: readonly RealizedMarkInput[]): number {
  const top: number[] = []; // newest first, at most NEWEST_EMPHASISED
  for (const { time } of list) {
    if (top.length === NEWEST_EMPHASISED && time <= top[top.length - 1]) continue;
    let i = top.length;
    while (i > 0 && top[i - 1] < time) i--;
    top.splice(i, 0, time);
    if (top.length > NEWEST_EMPHASISED) top.pop();
  }
  return top.length ? top[top.length - 1] : Infinity;
}

/**
 * Called on every redraw of the overlay (pan and zoom included).
 * @param xOf pane x of a time, undefined when the chart gives no time scale
 */
export function planRealizedMarks(
  list: readonly RealizedMarkInput[],
  xOf: ((time: number) => number | undefined) | undefined,
  width: number,
): { bubbles: Bubble[]; edge: EdgeTick[] } {
  const cells = new Map<string, Bubble & { newestTime: number }>();
  const edge = new Map<string, EdgeTick>();
  const cutoff = newestCutoff(list);
  for (const l of list) {
    const y = l.y;
    const x = xOf?.(l.time);
    if (x !== undefined && x >= 0 && x <= width) {
      const key = `${l.long ? 'L' : 'S'}${Math.floor(x / BUBBLE_COLUMN_PX)}:${Math.floor(y / BUBBLE_ROW_PX)}`;
      const b = cells.get(key);
      if (b) {
        b.x = (b.x * b.usd + x * l.usd) / (b.usd + l.usd);
        b.y = (b.y * b.usd + y * l.usd) / (b.usd + l.usd);
        b.usd += l.usd;
        b.newestTime = Math.max(b.newestTime, l.time);
      } else cells.set(key, { x, y, usd: l.usd, long: l.long, newest: false, newestTime: l.time });
    }
    const row = `${l.long ? 'L' : 'S'}${Math.round(y / EDGE_ROW_PX)}`;
    const e = edge.get(row);
    if (e) e.usd += l.usd;
    else edge.set(row, { y, usd: l.usd, long: l.long });
  }
  // Whole inside the pane: a bubble at the newest minute is not cut in half at the right edge.
  const bubbles = [...cells.values()].map(({ newestTime, ...b }) => {
    const r = bubbleRadius(b.usd);
    return { ...b, x: Math.min(Math.max(b.x, r), width - r), newest: newestTime >= cutoff };
  });
  // Biggest first, so small ones drawn later are never hidden under large ones.
  bubbles.sort((a, b) => b.usd - a.usd);
  return { bubbles, edge: [...edge.values()] };
}
