/**
 * Where the overlay's handle sits on a chart pane. By default the middle of the pane's top edge (at
 * the top-left it covered TradingView's legend: symbol, interval, the OHLC line; the top-right holds
 * the arrows to zones off screen). The trader can drag it; the place is kept per site as shares of
 * the pane, so it follows the pane's size.
 */
import type { HandlePosition } from '../settings/schema';

export interface PaneRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The default place: the top edge's middle, 8 px down. */
export const HANDLE_TOP_PX = 8;
/** Room the handle needs below its point (so it is never dragged off the pane's bottom). */
export const HANDLE_HEIGHT_PX = 24;
/** A press moves this far before it is a drag (less is a click that opens the panel). */
export const DRAG_THRESHOLD_PX = 4;

/** The handle's anchor (the middle of its top edge) in viewport px. */
export function handlePoint(pane: PaneRect, place: HandlePosition | undefined): { x: number; y: number } {
  if (!place) return { x: pane.x + pane.width / 2, y: pane.y + HANDLE_TOP_PX };
  return { x: pane.x + place.x * pane.width, y: pane.y + place.y * pane.height };
}

/** The place a drop at `point` (viewport px) means, kept inside the pane. */
export function placeAt(pane: PaneRect, point: { x: number; y: number }): HandlePosition {
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const maxY = Math.max(0, 1 - HANDLE_HEIGHT_PX / Math.max(1, pane.height));
  return {
    x: round(clamp((point.x - pane.x) / Math.max(1, pane.width), 0, 1)),
    y: round(clamp((point.y - pane.y) / Math.max(1, pane.height), 0, maxY)),
  };
}

/** Arrow keys move the focused handle this far (with Shift, HANDLE_KEY_STEP_PX × 4). */
export const HANDLE_KEY_STEP_PX = 16;
const KEY_DIRECTION: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/**
 * What a key pressed on the focused handle does: a new place (arrows, kept on the pane), `null` to
 * put it back at the top (Home, as a double-click does), or undefined for a key it leaves alone.
 */
export function placeForKey(
  pane: PaneRect,
  place: HandlePosition | undefined,
  key: { key: string; shiftKey?: boolean },
): HandlePosition | null | undefined {
  if (key.key === 'Home') return null;
  const direction = KEY_DIRECTION[key.key];
  if (!direction) return undefined;
  const step = HANDLE_KEY_STEP_PX * (key.shiftKey ? 4 : 1);
  const at = handlePoint(pane, place);
  return placeAt(pane, { x: at.x + direction[0] * step, y: at.y + direction[1] * step });
}
