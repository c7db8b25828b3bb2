/**
 * Which estimated zones get a USD label at the chart's price-axis edge. Pure: the overlay keeps the
 * previous answer and passes it back, so labels stay put as the market grows.
 *
 * - The nearest zone on each side of the price is always labelled (when it passes the threshold):
 *   that is the one a trader trades against.
 * - Then by USD, with hysteresis: a zone labelled last time keeps its label unless another one is
 *   clearly bigger (STICKY times), so two zones of about the same size do not swap every snapshot.
 * - Labels never overlap (LABEL_GAP_PX apart: two lines, USD and side over the range), and there
 *   are at most MAX_LABELS. A pinned label too close to another moves just clear of it.
 * - When the nearest zone on a side lies beyond the chart's visible prices (zoomed in), it is
 *   labelled at that edge with an arrow: a trader must know a zone is just off screen (on a first
 *   start the chart is often zoomed tighter than the nearest zone, and showed no label at all).
 *   When zones on that side are on screen, the edge names the largest one beyond it if that one
 *   outweighs them all (the $1M cluster just above a zoomed-in chart).
 * - Where the chart can be scrolled from outside, an arrow's click shows its zone: `rangeShowing`.
 */
import type { Zone } from '../contract/market';
import { priceToY, type PriceScale } from './ladder';

/** Labels are two lines (USD and side, then the range): this far apart at least. */
export const LABEL_GAP_PX = 28;
export const MAX_LABELS = 8;
/** A labelled zone keeps its place against zones up to this many times its USD. */
const STICKY = 1.25;

export interface PlacedLabel {
  zone: Zone;
  /** Pane-relative y of the zone's price. */
  y: number;
  /** USD as a share of the strongest zone. */
  share: number;
  /** The zone lies beyond the visible prices, above or below: its label sits at that edge. */
  edge?: 'above' | 'below';
}

/**
 * @param previous mid prices of the zones labelled last time (a zone is "the same" while its range
 *   contains one of them, however its edges moved)
 */
export function planZoneLabels(
  zones: readonly Zone[],
  scale: PriceScale,
  threshold: number,
  previous: readonly number[] = [],
): PlacedLabel[] {
  const estimated = zones.filter((z) => z.kind === 'estimated');
  const max = estimated.reduce((m, z) => Math.max(m, z.usd), 0);
  if (!(max > 0)) return [];
  const candidates = estimated.filter((z) => z.usd / max >= threshold && z.price >= scale.from && z.price <= scale.to);
  const nearest = (side: -1 | 1) =>
    candidates
      .filter((z) => (side < 0 ? z.distancePct <= 0 : z.distancePct > 0))
      .sort((a, b) => Math.abs(a.distancePct) - Math.abs(b.distancePct))[0];
  const pinned = new Set([nearest(-1), nearest(1)].filter((z): z is Zone => !!z));
  const wasLabelled = (z: Zone) => previous.some((mid) => mid >= z.low && mid <= z.high);
  const rank = (z: Zone) => (pinned.has(z) ? Infinity : z.usd * (wasLabelled(z) ? STICKY : 1));
  const placed: PlacedLabel[] = [];
  const height = scale.span ?? scale.height;
  const place = (label: PlacedLabel) => {
    if (placed.length >= MAX_LABELS) return;
    const clash = placed.find((p) => Math.abs(p.y - label.y) < LABEL_GAP_PX);
    if (!clash) return void placed.push(label);
    // The nearest zone on each side is always labelled: when it is too close to a label already
    // placed, it moves just clear of it, on its own side (its range says its prices).
    if (!pinned.has(label.zone)) return;
    const y = label.y >= clash.y ? clash.y + LABEL_GAP_PX : clash.y - LABEL_GAP_PX;
    if (y < LABEL_GAP_PX / 2 || y > height - LABEL_GAP_PX / 2 || placed.some((p) => Math.abs(p.y - y) < LABEL_GAP_PX)) return;
    placed.push({ ...label, y });
  };
  // Beyond each edge first: the nearest zone when none on that side is on screen, else the largest
  // beyond it when it outweighs every zone of that side on screen.
  for (const edge of ['above', 'below'] as const) {
    const onScale = candidates.filter((z) => (edge === 'above' ? z.distancePct > 0 : z.distancePct <= 0));
    const off = estimated.filter((z) => z.usd / max >= threshold && (edge === 'above' ? z.price > scale.to : z.price < scale.from));
    const beyond = onScale.length
      ? off.filter((z) => onScale.every((v) => z.usd > v.usd)).sort((a, b) => b.usd - a.usd)[0]
      : off.sort((a, b) => Math.abs(a.distancePct) - Math.abs(b.distancePct))[0];
    if (beyond) {
      const top = (scale.inverted ? edge === 'below' : edge === 'above') ? LABEL_GAP_PX / 2 : height - LABEL_GAP_PX / 2;
      place({ zone: beyond, y: top, share: beyond.usd / max, edge });
    }
  }
  for (const zone of [...candidates].sort((a, b) => rank(b) - rank(a)))
    place({ zone, y: priceToY(scale, zone.price), share: zone.usd / max });
  return placed;
}

/** Share of the new span left between the zone and the chart's edge, so it is not drawn on the edge. */
const SHOW_MARGIN = 0.06;

/**
 * The price range that brings `zone` into view and keeps what is shown now (the last candles stay
 * on screen): the visible range widened to the zone, with a margin, in the scale's own terms (a log
 * scale widens in log space).
 */
export function rangeShowing(
  scale: Pick<PriceScale, 'from' | 'to' | 'mode'>,
  zone: Pick<Zone, 'low' | 'high'>,
): { from: number; to: number } {
  const log = scale.mode === 'log' && scale.from > 0 && zone.low > 0;
  const f = log ? Math.log : (v: number) => v;
  const back = log ? Math.exp : (v: number) => v;
  const lo = Math.min(f(scale.from), f(zone.low));
  const hi = Math.max(f(scale.to), f(zone.high));
  const pad = (hi - lo) * SHOW_MARGIN;
  // Only the side the zone lies on moves: the other edge stays where the trader left it.
  return {
    from: zone.low < scale.from ? back(lo - pad) : scale.from,
    to: zone.high > scale.to ? back(hi + pad) : scale.to,
  };
}
