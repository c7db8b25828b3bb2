// @vitest-environment happy-dom
/**
 * The popup's views on real data shapes: an engine fed by the ground-truth simulator (one hour of a
 * simulated Binance market through the real parser), its market view, and the zone, map, imbalance,
 * CSV and heatmap-plan code on that view.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { heatmapCsv, zonesCsv } from '../../../components/export';
import { BUCKETS, planHeatmap } from '../../../lib/ui/heatmap-plan';
import { Imbalance, LiquidationMapChart, ZonesTable } from '../../../components/MarketTabs';
import { createParser, parseOpenInterest } from '../../../lib/exchanges/binance';
import { LevelEngine } from '../../../lib/model/level-engine';
import { buildMarketView } from '../../../lib/model/market-view';
import { viewRequestError, type MarketViewReply } from '../../../lib/contract/view';
import { runSimulation } from '../../../lib/dev/ground-truth';

let view: MarketViewReply;
let endTime = 0;

// 90 simulated minutes through the real parser: CPU-bound, so an explicit budget.
beforeAll(() => {
  const engine = new LevelEngine();
  const parse = createParser();
  const sim = runSimulation({ minutes: 90 }, (time, frames) => {
    for (const f of frames) {
      const outcome = f.kind === 'ws' ? parse(f.body, f.t) : parseOpenInterest(f.body, f.t);
      if (outcome.status === 'events') engine.ingest(outcome.events);
    }
    engine.advance(time + 1);
  });
  endTime = sim.endTime;
  view = buildMarketView(engine, { target: 'coin:BTC', range: '12h', columns: 720, rows: 240, withinFraction: 0.05 }, sim.endTime);
}, 60_000);

let root: HTMLElement | undefined;
afterEach(() => {
  if (!root) return;
  render(null, root);
  root.remove();
});
function mount(node: preact.ComponentChild) {
  const el = document.createElement('div');
  root = el;
  document.body.append(el);
  act(() => render(node, el));
}

/** `$5M` → 5e6. */
function parseUsdTick(t: string): number {
  const m = /^\$([\d.]+)([KMB]?)$/.exec(t)!;
  return Number(m[1]) * ({ '': 1, K: 1e3, M: 1e6, B: 1e9 } as Record<string, number>)[m[2]];
}

describe('quick view on simulated market data', () => {
  it('builds a view around the price path with heatmap, zones, map and imbalance', () => {
    expect(view.price).toBeGreaterThan(0);
    expect(view.heatmap.maxUsd).toBeGreaterThan(0);
    expect(view.heatmap.low).toBeLessThan(view.price!);
    expect(view.heatmap.high).toBeGreaterThan(view.price!);
    expect(view.heatmap.to).toBeGreaterThanOrEqual(endTime);
    expect(view.zones.some((z) => z.kind === 'estimated')).toBe(true);
    expect(view.map?.cells.length).toBeGreaterThan(0);
    expect(view.imbalance.longUsd + view.imbalance.shortUsd).toBeGreaterThan(0);
    expect(viewRequestError({ target: 'coin:BTC', range: '2h', columns: 10, rows: 10, withinFraction: 0.1 })).toMatch(/range/);
  });

  it('lists estimated zones first, nearest first, then realized ones, with their side split and signed distance', () => {
    const realizedAtPrice = { ...view.zones[0], kind: 'realized' as const, distancePct: 0 };
    mount(<ZonesTable zones={[realizedAtPrice, ...view.zones]} price={view.price} />);
    const rows = [...root!.querySelectorAll('tbody tr')];
    expect(rows.length).toBe(view.zones.length + 1);
    // A realized cluster at the price no longer tops the list as if it were the strongest estimate.
    expect(rows.at(-1)!.textContent).toMatch(/^Realized/);
    const estimated = rows.filter((r) => r.textContent!.startsWith('Estimated'));
    const distances = estimated.map((r) => Math.abs(parseFloat(r.querySelector('td:last-child')!.textContent!.replace(/[^\d.-]/g, ''))));
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });

  it('draws the liquidation map with a bar per tier, both cumulative curves and max pain', () => {
    mount(<LiquidationMapChart map={view.map} width={536} />);
    expect(root!.querySelectorAll('rect').length).toBeGreaterThan(view.map!.cells.length / 2);
    expect(root!.querySelectorAll('polyline')).toHaveLength(2);
    expect(root!.textContent).toMatch(/Max pain: longs [\d,.]+ · shorts [\d,.]+/);
    // The legend names the tiers that have USD in range, and nothing else.
    const present = view.map!.leverages.filter((_, i) => view.map!.cells.some((c) => c.tiers[i] > 0));
    expect(present.length).toBeGreaterThan(0);
    expect(root!.querySelectorAll('figcaption .key').length).toBe(present.length + 2);
    // Round USD axes from $0 to at or above the tallest bar, titled; several price labels; the price
    // marked above the plot; max pain explained on its own line.
    const barAxis = [...root!.querySelectorAll('[data-testid=map-bar-axis]')].map((t) => t.textContent!);
    expect(barAxis[0]).toBe('$0');
    for (const label of barAxis) expect(label).toMatch(/^\$\d+(\.\d)?[KMB]?$/);
    const tallest = Math.max(...view.map!.cells.map((c) => c.long + c.short));
    expect(parseUsdTick(barAxis.at(-1)!)).toBeGreaterThanOrEqual(tallest * 0.999);
    expect(root!.querySelectorAll('[data-testid=map-cumulative-axis]').length).toBeGreaterThanOrEqual(2);
    expect(root!.querySelector('[data-testid=map-bar-title]')!.textContent).toMatch(/USD per/);
    expect(root!.querySelectorAll('[data-testid=map-price-tick]').length).toBeGreaterThanOrEqual(3);
    expect(root!.querySelector('[data-testid=map-price]')!.textContent).toMatch(/^price [\d,.]+$/);
    expect(root!.querySelector('[data-testid=max-pain-explained]')!.textContent).toMatch(/most estimated USD would be force-closed/);
  });

  it('says which side is heavier near the price, with each side’s share', () => {
    mount(<Imbalance view={view} withinPct={5} />);
    const { net } = view.imbalance;
    expect(root!.textContent).toContain(net >= 0 ? 'Net long' : 'Net short');
    expect(root!.textContent).toMatch(/longs at risk \$[\d.]+[KMB]? \(\d+ %\).*shorts at risk \$[\d.]+[KMB]? \(\d+ %\)/);
  });

  it('plans the heatmap as runs per colour bucket covering every non-empty cell', () => {
    const plan = planHeatmap(view.heatmap);
    expect(plan.runs).toHaveLength(BUCKETS);
    let covered = 0;
    for (const runs of plan.runs) for (let i = 0; i < runs.length; i += 3) covered += runs[i + 2] - runs[i + 1];
    expect(covered).toBe(plan.cells);
    expect(plan.rects).toBeLessThanOrEqual(plan.cells); // a run is one or more cells, never less
    // Every run is within the grid and non-empty.
    for (const runs of plan.runs)
      for (let i = 0; i < runs.length; i += 3) {
        expect(runs[i]).toBeLessThan(view.heatmap.rows);
        expect(runs[i + 2]).toBeGreaterThan(runs[i + 1]);
        expect(runs[i + 2]).toBeLessThanOrEqual(view.heatmap.columns);
      }
  });

  it('lets the trader set the colour scale: a lower top colour brightens the strong clusters, log shows faint levels', () => {
    const topCells = (plan: ReturnType<typeof planHeatmap>) => {
      let n = 0;
      for (let i = 0; i < plan.runs[BUCKETS - 1].length; i += 3) n += plan.runs[BUCKETS - 1][i + 2] - plan.runs[BUCKETS - 1][i + 1];
      return n;
    };
    const brightHalf = (plan: ReturnType<typeof planHeatmap>) => {
      let n = 0;
      for (let b = BUCKETS / 2; b < BUCKETS; b++)
        for (let i = 0; i < plan.runs[b].length; i += 3) n += plan.runs[b][i + 2] - plan.runs[b][i + 1];
      return n;
    };
    const auto = planHeatmap(view.heatmap);
    const capped = planHeatmap(view.heatmap, { mapping: 'sqrt', top: 0.2 });
    // Every cell at or above a fifth of the strongest gets the top colour: many more than with auto.
    expect(topCells(capped)).toBeGreaterThan(3 * Math.max(1, topCells(auto)));
    // The same cells are drawn whatever the scale: the scale colours them, it hides nothing.
    expect(capped.cells).toBe(auto.cells);
    const linear = planHeatmap(view.heatmap, { mapping: 'linear', top: 1 });
    const log = planHeatmap(view.heatmap, { mapping: 'log', top: 1 });
    expect(brightHalf(linear)).toBeLessThan(brightHalf(auto));
    expect(brightHalf(log)).toBeGreaterThan(brightHalf(auto));
  });

  it('exports zones and heatmap cells as CSV', () => {
    const zones = zonesCsv(view).trim().split('\n');
    expect(zones[0]).toBe('kind,low,high,price,usd,long_usd,short_usd,distance_pct,venues');
    expect(zones).toHaveLength(view.zones.length + 1);
    const cells = heatmapCsv(view).trim().split('\n');
    expect(cells.length).toBeGreaterThan(10);
    expect(cells[1]).toMatch(/^\d{4}-\d\d-\d\dT[^,]+,\d{4}-[^,]+,[\d.]+,[\d.]+,\d+,\d+,\d+$/);
  });
});
