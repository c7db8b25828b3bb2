// @vitest-environment happy-dom
/**
 * When the overlay's canvas is redrawn on a still chart. Each redraw costs the chart page a frame,
 * so estimated layers that change every second are drawn at most every 5 s once a heatmap is up,
 * while what the trader does (pan, zoom, settings) and realized liquidations draw in the next frame.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChartBands, type ChartBandsProps } from '../../../components/ChartBands';
import type { WireHeatmap } from '../../../lib/contract/heatmap-wire';
import type { Zone } from '../../../lib/contract/market';

const report: ChartBandsProps['report'] = {
  priceFrom: 94_000,
  priceTo: 100_000,
  pane: { x: 0, y: 0, width: 600, height: 600 },
  mode: 'linear',
  timeFrom: 0,
  timeTo: 3_600_000,
};
const heatmap: WireHeatmap = {
  from: 0,
  to: 3_600_000,
  columns: 2,
  rows: 2,
  low: 94_000,
  high: 100_000,
  maxUsd: 1,
  estimated: 'AP8A/w==',
  realized: [],
  price: [97_000, 97_000],
  sweeps: [],
};
const zone = (usd: number): Zone => ({
  kind: 'estimated',
  low: 96_000,
  high: 96_100,
  price: 96_050,
  usd,
  longUsd: usd,
  shortUsd: 0,
  venues: ['binance'],
  distancePct: -1,
});
const props = (over: Partial<ChartBandsProps> = {}): ChartBandsProps => ({
  report,
  zones: [zone(5_000_000), { ...zone(1_000_000), low: 98_000, high: 98_100 }],
  liquidations: [],
  heatmap,
  layers: { heatmap: true, estimated: true, realized: true, positions: true },
  opacity: 1,
  threshold: 0.1,
  ...over,
});

let host: HTMLElement;
let draws = 0;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame', 'performance'] });
  draws = 0;
  // A draw asks its canvas for a 2D context first (happy-dom has none to give: the draw stops there).
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (this: HTMLCanvasElement) {
    if (this.dataset.testid === 'chart-overlay') draws += 1; // not the heatmap image's own canvas
    return null;
  });
  host = document.createElement('div');
  document.body.append(host);
});
afterEach(() => {
  render(null, host);
  vi.restoreAllMocks();
  vi.useRealTimers();
});

const show = (p: ChartBandsProps) => act(() => render(<ChartBands {...p} />, host));
const frames = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));

describe('the chart canvas on a still chart', () => {
  it('draws zone changes over a heatmap at most every 5 s, and a liquidation or a move at once', async () => {
    show(props());
    await frames(20);
    expect(draws).toBe(1); // the first heatmap and zones: at once
    // Zones change every second (snapshots): one draw when 5 s have passed since the last.
    for (let s = 1; s <= 4; s++) {
      show(props({ zones: [zone(5_000_000), { ...zone(1_000_000 + s * 200_000), low: 98_000, high: 98_100 }] }));
      await frames(1_000);
    }
    expect(draws).toBe(1);
    await frames(1_100);
    expect(draws).toBe(2);
    // A realized liquidation draws in the next frame, taking the pending zone change with it.
    show(props({ zones: [zone(6_000_000)] }));
    await frames(20);
    expect(draws).toBe(2);
    show({
      ...props({ zones: [zone(6_000_000)] }),
      liquidations: [
        {
          id: 'l1',
          venue: 'binance',
          instrument: 'binance:BTCUSDT',
          liquidatedSide: 'long',
          price: 96_500,
          baseQty: 1,
          notionalUsd: 96_500,
          exchangeTime: 1_000_000,
          receiveTime: 1_000_000,
        },
      ],
    });
    await frames(20);
    expect(draws).toBe(3);
    // A pan draws in the next frame too.
    show(props({ report: { ...report, priceFrom: 94_500, priceTo: 100_500 }, zones: [zone(6_000_000)] }));
    await frames(20);
    expect(draws).toBe(4);
  });
});
