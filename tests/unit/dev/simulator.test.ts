/**
 * The engine against ground truth: fed only venue-format frames from the simulator, it must recover
 * where the open positions would be liquidated (correlation by price cell ≥ 0.8 on the default
 * scenario), and its zones must catch a large share of what was really liquidated.
 */
import { describe, expect, it } from 'vitest';
import { createParser, parseOpenInterest } from '../../../lib/exchanges/binance';
import { LevelEngine } from '../../../lib/model/level-engine';
import { pearson } from '../../../lib/positions/calibration';
import { runSimulation } from '../../../lib/dev/ground-truth';

describe('ground-truth simulator', () => {
  // CPU-bound (4 simulated hours, about 3 s here): an explicit budget, not the 5 s default.
  it('the engine recovers the true liquidation levels and its zones catch the real liquidations', { timeout: 60_000 }, () => {
    const engine = new LevelEngine();
    const parse = createParser();
    const target = 'binance:BTCUSDT';
    let caught = 0;
    let liquidatedUsd = 0;
    let zones = engine.zones(target, 0);
    const sim = runSimulation({}, (time, frames) => {
      for (const f of frames) {
        const outcome = f.kind === 'ws' ? parse(f.body, f.t) : parseOpenInterest(f.body, f.t);
        if (outcome.status === 'events') engine.ingest(outcome.events);
        if (f.kind === 'ws' && f.body.includes('forceOrder')) {
          // Was this real liquidation inside a zone the engine showed a minute before?
          const liq = JSON.parse(f.body).data.o;
          const usd = Number(liq.q) * Number(liq.p);
          liquidatedUsd += usd;
          const p = Number(liq.p);
          if (zones.some((z) => z.kind === 'estimated' && p >= z.low * 0.999 && p <= z.high * 1.001)) caught += usd;
        }
      }
      engine.advance(time + 1);
      zones = engine.zones(target, time, { thresholdShare: 0.1, maxZones: 20 });
    });

    // Truth: USD that would be liquidated per grid cell, from the positions still open.
    const truth = new Map<number, number>();
    for (const p of sim.open) {
      const cell = engine.grid.cellOf(p.liqPrice);
      truth.set(cell, (truth.get(cell) ?? 0) + p.qty * p.entry);
    }
    const estimated = new Map(engine.cells(target).map((c) => [c.cell, c.long + c.short]));
    const center = engine.grid.cellOf(sim.endPrice);
    const span = engine.grid.cellsFor(0.2);
    const t: number[] = [];
    const e: number[] = [];
    for (let c = center - span; c <= center + span; c++) {
      t.push(truth.get(c) ?? 0);
      e.push(estimated.get(c) ?? 0);
    }
    const correlation = pearson(t, e) ?? NaN;
    const share = caught / liquidatedUsd;
    const trueTotal = t.reduce((a, b) => a + b, 0);
    const estTotal = e.reduce((a, b) => a + b, 0);
    console.log(
      `simulator: correlation ${correlation.toFixed(3)} over ${t.length} cells (±20 %); ` +
        `true $${(trueTotal / 1e6).toFixed(1)}M vs estimated $${(estTotal / 1e6).toFixed(1)}M; ` +
        `${sim.liquidated.length} positions liquidated ($${(liquidatedUsd / 1e6).toFixed(1)}M), ${(share * 100).toFixed(1)} % inside the engine's zones`,
    );
    expect(correlation).toBeGreaterThanOrEqual(0.8);
    expect(share).toBeGreaterThan(0.5);
  });
});
