import { estimatedZone } from '../../harness/zones';
import { describe, expect, it } from 'vitest';
import { ladderRange, niceTicks, priceToY, yToPrice } from '../../../lib/sites/ladder';
import { LABEL_GAP_PX, planZoneLabels, rangeShowing } from '../../../lib/sites/zone-labels';
import type { Zone } from '../../../lib/contract/market';
import { heatmapPixels, zoneBands } from '../../../components/chart-paint';
import { bubbleRadius, edgeTickLength, planRealizedMarks } from '../../../lib/ui/realized-marks';
import { gradientRgb } from '../../../lib/ui/gradients';
import { labelledBands } from '../../../components/PriceLadder';

describe('price scale', () => {
  it('maps linear prices to pixels, top = high', () => {
    const scale = { from: 90, to: 110, height: 200, mode: 'linear' as const };
    expect(priceToY(scale, 110)).toBe(0);
    expect(priceToY(scale, 90)).toBe(200);
    expect(priceToY(scale, 100)).toBe(100);
    expect(yToPrice(scale, 50)).toBeCloseTo(105, 10);
  });

  it('maps log prices by ln p: equal ratios, equal distances', () => {
    const scale = { from: 100, to: 400, height: 300, mode: 'log' as const };
    expect(priceToY(scale, 200)).toBeCloseTo(150, 10);
    expect(priceToY(scale, 100) - priceToY(scale, 200)).toBeCloseTo(priceToY(scale, 200) - priceToY(scale, 400), 10);
    expect(yToPrice(scale, priceToY(scale, 321))).toBeCloseTo(321, 9);
  });
});

describe('ladder range and ticks', () => {
  it('centres on the price and widens to show near liquidations, ignoring far outliers', () => {
    const r = ladderRange(100_000, [98_000, 101_000, 10]);
    expect((r.from + r.to) / 2).toBeCloseTo(100_000, 6);
    expect(r.from).toBeLessThan(98_000);
    expect(r.to - r.from).toBeLessThan(10_000);
  });

  it('keeps a minimum span when nothing is near', () => {
    expect(ladderRange(50, [])).toEqual({ from: 49.5, to: 50.5 });
  });

  it('gives round ticks inside the range', () => {
    expect(niceTicks(96_100, 97_900, 4)).toEqual([96_500, 97_000, 97_500]);
    expect(niceTicks(0.0213, 0.0229, 4)).toEqual([0.0215, 0.022, 0.0225]);
    expect(niceTicks(5, 5)).toEqual([]);
  });
});

describe('zone labels at the price axis', () => {
  const PRICE = 97_000;
  const scale = { from: 94_000, to: 100_000, height: 600, mode: 'linear' as const };
  const zone = (price: number, usd: number): Zone => ({
    kind: 'estimated',
    low: price - 50,
    high: price + 50,
    price,
    usd,
    longUsd: usd / 2,
    shortUsd: usd / 2,
    venues: ['binance'],
    distancePct: (price / PRICE - 1) * 100,
  });

  it('always labels the nearest zone on each side of the price, even small, and never overlaps', () => {
    const zones = [zone(96_900, 1e6), zone(97_150, 2e6), ...[94_500, 95_000, 95_500, 98_500, 99_000, 99_500].map((p) => zone(p, 50e6))];
    const labelled = planZoneLabels(zones, scale, 0.01).map((l) => l.zone.price);
    expect(labelled).toContain(96_900);
    expect(labelled).toContain(97_150);
    const ys = planZoneLabels(zones, scale, 0.01)
      .map((l) => l.y)
      .sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++) expect(ys[i] - ys[i - 1]).toBeGreaterThanOrEqual(LABEL_GAP_PX);
  });

  it('labels the nearest zone beyond the visible prices at that edge, with its side, when none is on screen', () => {
    // Zoomed in to 96 000–98 000: the nearest zones (95 000 and 98 500) are off screen.
    const tight = { ...scale, from: 96_000, to: 98_000 };
    const placed = planZoneLabels([zone(95_000, 20e6), zone(94_500, 30e6), zone(98_500, 10e6), zone(99_500, 40e6)], tight, 0.01);
    expect(placed.map((l) => [l.zone.price, l.edge])).toEqual([
      [98_500, 'above'],
      [95_000, 'below'],
    ]);
    expect(placed.map((l) => l.y)).toEqual([LABEL_GAP_PX / 2, 600 - LABEL_GAP_PX / 2]); // at the top and bottom edges of the pane
    // With a zone on screen on a side, that side's edge names only a zone beyond that outweighs it…
    const smallerBeyond = planZoneLabels([zone(95_000, 4e6), zone(97_500, 5e6), zone(96_500, 5e6)], tight, 0.01);
    expect(smallerBeyond.find((l) => l.edge)).toBeUndefined();
    // …and then the largest of them, not the nearest: the magnet just off a zoomed-in chart.
    const biggerBeyond = planZoneLabels([zone(95_500, 8e6), zone(94_800, 30e6), zone(97_500, 5e6), zone(96_500, 5e6)], tight, 0.01);
    expect(biggerBeyond.filter((l) => l.edge).map((l) => [l.zone.price, l.edge])).toEqual([[94_800, 'below']]);
  });

  it('widens the visible prices to a zone off screen on its side only, with a margin (linear and log)', () => {
    const tight = { from: 96_000, to: 98_000, mode: 'linear' as const };
    const up = rangeShowing(tight, { low: 99_400, high: 99_600 });
    expect(up.from).toBe(96_000); // the candles stay where the trader left them
    expect(up.to).toBeCloseTo(99_600 + 3_600 * 0.06, 6);
    const down = rangeShowing(tight, { low: 94_000, high: 94_200 });
    expect(down).toEqual({ from: 94_000 - 4_000 * 0.06, to: 98_000 });
    // On a log scale the margin is a share of the log span: the zone sits as far from the edge in pixels.
    const log = rangeShowing({ ...tight, mode: 'log' }, { low: 99_400, high: 99_600 });
    const span = Math.log(99_600) - Math.log(96_000);
    expect(Math.log(log.to)).toBeCloseTo(Math.log(99_600) + span * 0.06, 9);
    // A zone already on screen changes nothing.
    expect(rangeShowing(tight, { low: 96_500, high: 96_600 })).toEqual({ from: 96_000, to: 98_000 });
  });

  it('keeps a label in place while a neighbour of about the same size grows a little (hysteresis)', () => {
    // Two big zones 10 px apart: only one label fits. The first one labelled keeps it…
    const a = zone(95_000, 40e6);
    const b = zone(95_100, 38e6);
    const near = [zone(96_950, 1e6), zone(97_050, 1e6)];
    const first = planZoneLabels([a, b, ...near], scale, 0.01);
    expect(first.map((l) => l.zone.price)).toContain(95_000);
    // …when the other grows past it by less than a quarter…
    const next = planZoneLabels(
      [a, { ...b, usd: 45e6 }, ...near],
      scale,
      0.01,
      first.map((l) => l.zone.price),
    );
    expect(next.map((l) => l.zone.price)).toContain(95_000);
    // …and gives it up when the other is clearly bigger.
    const later = planZoneLabels(
      [a, { ...b, usd: 60e6 }, ...near],
      scale,
      0.01,
      next.map((l) => l.zone.price),
    );
    expect(later.map((l) => l.zone.price)).toContain(95_100);
  });
});

describe('zone bands on the chart canvas', () => {
  const scale = { from: 94_000, to: 100_000, height: 600, mode: 'linear' as const };
  const zone = estimatedZone;
  const bands = (zones: Zone[], dpr = 1) => zoneBands(zones, scale, 0.1, dpr);

  it('draws a zone that crept by dollars or a fraction of a pixel as before, and one that grew anew', () => {
    const before = bands([zone(96_000, 96_100, 5_000_000), zone(98_000, 98_050, 2_000_000)]);
    // A snapshot later: a few dollars more, edges moved by 0.2 px (2 USD on this 10 USD/px scale).
    expect(bands([zone(96_002, 96_100, 5_000_040), zone(98_000, 98_052, 2_000_010)])).toEqual(before);
    // A band a pixel taller, or a colour step brighter, is drawn again.
    expect(bands([zone(95_990, 96_100, 5_000_000), zone(98_000, 98_050, 2_000_000)])).not.toEqual(before);
    expect(bands([zone(96_000, 96_100, 5_000_000), zone(98_000, 98_050, 2_200_000)])).not.toEqual(before);
    // Edges on device pixels: at devicePixelRatio 2 half a CSS pixel is a step.
    expect(bands([zone(96_000, 96_100, 5_000_000)], 2)[0].height).toBe(10);
    expect(bands([zone(96_000, 96_105, 5_000_000)], 2)[0].height).toBe(10.5);
    // Below the threshold share: not drawn.
    expect(bands([zone(96_000, 96_100, 5_000_000), zone(97_000, 97_100, 400_000)])).toHaveLength(1);
  });
});

describe('realized marks', () => {
  it('size by USD (area ∝ USD, with a floor and a ceiling), and edge ticks grow with the row’s USD', () => {
    expect(bubbleRadius(25_000)).toBeCloseTo(3, 9);
    expect(bubbleRadius(100_000) / bubbleRadius(25_000)).toBeCloseTo(2, 9); // 4× the USD, 4× the area
    expect(bubbleRadius(10)).toBe(2);
    expect(bubbleRadius(1e9)).toBe(7); // capped: a huge cluster is no bigger than a candle or two
    expect(edgeTickLength(1_000)).toBe(5);
    expect(edgeTickLength(1e6)).toBe(14);
    expect(edgeTickLength(30_000)).toBeGreaterThan(edgeTickLength(3_000));
  });
});

describe('docked ladder labels', () => {
  it('never overlap each other nor cover a tick of the scale', () => {
    const bands = [
      { id: 'a', y: 100, usd: 5e6 },
      { id: 'b', y: 105, usd: 4e6 }, // 5 px under a: no label
      { id: 'c', y: 203, usd: 3e6 }, // 3 px from the tick at 200: no label
      { id: 'd', y: 300, usd: 1e3 },
    ];
    expect([...labelledBands(bands, [200, 260])].sort()).toEqual(['a', 'd']);
  });
});

describe('the heatmap image on the chart', () => {
  it('colours every cell as the gradient and threshold say, the lowest price at the bottom line', () => {
    const columns = 7;
    const rows = 40;
    // Every byte value at least once, in a column-major grid like the wire's.
    const bytes = Uint8Array.from({ length: columns * rows }, (_, i) => (i * 37) % 256);
    for (const [threshold, preset] of [
      [0, 'classic'],
      [0.05, 'viridis'],
      [0.3, 'classic'],
    ] as const) {
      const data = new Uint8ClampedArray(columns * rows * 4);
      heatmapPixels(bytes, columns, rows, threshold, preset, data);
      for (let col = 0; col < columns; col++)
        for (let row = 0; row < rows; row++) {
          // The cell as the wire decodes it, coloured on its own.
          const v = Math.fround((bytes[col * rows + row] / 255) ** 2);
          const p = ((rows - 1 - row) * columns + col) * 4;
          const pixel = [...data.slice(p, p + 4)];
          if (!(v > 0) || v < threshold) expect(pixel).toEqual([0, 0, 0, 0]);
          else expect(pixel).toEqual([...gradientRgb(Math.sqrt(v), preset), Math.round(255 * (0.25 + 0.75 * Math.sqrt(v)))]);
        }
    }
  });
});

describe('realized marks over the newest candles', () => {
  // A 1 000 × 600 pane showing the last 4 hours; 200 liquidations arrive in the last minute, spread
  // over ±0.8 % of the price (a cascade), as they do at the chart's right edge.
  const width = 1_000;
  const height = 600;
  const now = 4 * 3_600_000;
  const xOf = (t: number) => (t / now) * width;
  const yOf = (price: number) => ((100_000 - price) / 6_000) * height;
  let seed = 11;
  const rand = () => (seed = (seed * 1664525 + 1013904223) % 4294967296) / 4294967296;
  const cascade = Array.from({ length: 200 }, () => ({
    y: yOf(97_000 * (1 + (rand() - 0.5) * 0.016)),
    time: now - rand() * 60_000,
    usd: 5_000 + rand() ** 3 * 2_000_000,
    long: rand() < 0.7,
  }));

  /** Share of the strip's pixels (the last 10 % of the plot's width) under at least one bubble. */
  function coveredShare(bubbles: { x: number; y: number; usd: number }[]): number {
    let covered = 0;
    let total = 0;
    for (let x = width * 0.9; x < width; x++)
      for (let y = 0; y < height; y++) {
        total++;
        if (bubbles.some((b) => (b.x - x - 0.5) ** 2 + (b.y - y - 0.5) ** 2 <= bubbleRadius(b.usd) ** 2)) covered++;
      }
    return covered / total;
  }

  it('cover under 4 % of the last tenth of the chart while 200 liquidations arrive, all inside the pane', () => {
    const { bubbles, edge } = planRealizedMarks(cascade, xOf, width);
    // 3.2 % here; the 6 px cells and 16 px bubbles before covered 5.5 % with 75 overlapping discs.
    expect(coveredShare(bubbles)).toBeLessThan(0.04);
    expect(bubbles.length).toBeLessThan(30);
    for (const b of bubbles) expect(b.x + bubbleRadius(b.usd)).toBeLessThanOrEqual(width);
    // Every dollar is still drawn: aggregated, not dropped.
    const sum = (list: { usd: number }[]) => list.reduce((a, b) => a + b.usd, 0);
    expect(sum(bubbles)).toBeCloseTo(sum(cascade), 0);
    expect(sum(edge)).toBeCloseTo(sum(cascade), 0);
    // The newest few are marked as such.
    expect(bubbles.filter((b) => b.newest).length).toBeGreaterThanOrEqual(1);
    expect(bubbles.filter((b) => b.newest).length).toBeLessThanOrEqual(3);
  });

  it('keep older liquidations where they happened in time', () => {
    const hourAgo = { y: yOf(97_000), time: now - 3_600_000, usd: 100_000, long: true };
    const { bubbles } = planRealizedMarks([hourAgo, ...cascade], xOf, width);
    const older = bubbles.find((b) => b.x < width * 0.9)!;
    expect(older.x).toBeCloseTo(xOf(hourAgo.time), 0);
  });
});
