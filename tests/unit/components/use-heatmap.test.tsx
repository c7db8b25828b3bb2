// @vitest-environment happy-dom
/**
 * The overlay's heatmap refresh: a still chart on a live market is redrawn only when what it draws
 * changed. Each redraw costs the chart page a frame (measured by `npm run bench:browser`), and the
 * price in every reply changes with every trade while the cells may not.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useHeatmap, type FetchHeatmap } from '../../../components/use-heatmap';
import type { HeatmapRequest, WireHeatmap } from '../../../lib/contract/heatmap-wire';
import type { ChartReport } from '../../../lib/sites/bridge';

const now = Date.UTC(2026, 10, 23, 14);
const report: ChartReport = {
  priceFrom: 96_000,
  priceTo: 98_000,
  pane: { x: 0, y: 0, width: 1000, height: 600 },
  mode: 'linear',
  timeFrom: now - 4 * 3_600_000,
  timeTo: now,
};

const reply = (r: HeatmapRequest, cells: string, price: number): WireHeatmap => ({
  from: r.from,
  to: r.to,
  columns: r.columns,
  rows: r.rows,
  low: r.low,
  high: r.high,
  maxUsd: price, // changes with the price too: the overlay does not show it
  estimated: cells,
  realized: [[0, 0, price, 0]],
  price: Array.from({ length: r.columns }, () => price),
  sweeps: [],
});

let host: HTMLElement;
beforeEach(() => {
  vi.useFakeTimers({ now });
  host = document.createElement('div');
  document.body.append(host);
});
afterEach(() => {
  render(null, host);
  vi.useRealTimers();
});

describe('the overlay heatmap refresh', () => {
  it('keeps the heatmap drawn while only the price and realized figures change, and takes new cells', async () => {
    let cells = 'AAEC';
    let price = 97_000;
    let fetches = 0;
    const fetchHeatmap: FetchHeatmap = async (r) => {
      fetches += 1;
      price += 1; // a live market: every reply has a new last price
      return reply(r, cells, price);
    };
    const drawn: (WireHeatmap | null)[] = [];
    function Probe() {
      const heatmap = useHeatmap(fetchHeatmap, 'coin:BTC', report, true);
      if (drawn[drawn.length - 1] !== heatmap) drawn.push(heatmap);
      return null;
    }
    await act(() => render(<Probe />, host));
    await act(async () => void (await vi.advanceTimersByTimeAsync(200))); // the debounced first request
    expect(drawn.filter(Boolean)).toHaveLength(1);
    await act(async () => void (await vi.advanceTimersByTimeAsync(30_000))); // six refreshes, the price moving in each
    expect(fetches).toBeGreaterThanOrEqual(6);
    expect(drawn.filter(Boolean)).toHaveLength(1);
    cells = 'AAED'; // a level grew
    await act(async () => void (await vi.advanceTimersByTimeAsync(5_000)));
    expect(drawn.filter(Boolean)).toHaveLength(2);
    expect(drawn[drawn.length - 1]?.estimated).toBe('AAED');
  });
});
