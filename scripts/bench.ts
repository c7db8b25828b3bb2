/**
 * `npm run bench`: how fast the pipeline is and how much memory history costs.
 *
 * 1. Throughput: the same frames (a real Binance recording from ../shared/data when present, plus a
 *    synthetic market from the ground-truth simulator) go through the worker's pipeline
 *    (parse + engine) and, in the same process, through JSON.parse alone. ratio = pipeline time /
 *    parse-only time; best of several alternating rounds.
 * 2. Memory: 10 instruments × 7 days of minute history (plus their level books) are held, garbage is
 *    collected, and heapMB = V8 heap + ArrayBuffer memory (typed arrays live outside the V8 heap, so
 *    both are counted).
 * 3. Snapshots: what one `model.summary()` costs on those 10 instruments, and how many the worker core
 *    builds during a minute of live data with nobody listening and with one listener. (Before the
 *    core, the worker built one at every 4 Hz push whenever data changed, listened to or not.)
 * Prints figures, then one JSON line: {"pipelineFramesPerSec","parseOnlyFramesPerSec","ratio","heapMB","instruments","historyMinutes","viewMs","snapshotsPerMinuteUnheard","snapshotsPerMinuteHeard","heatmapPlanMs"}.
 */
import { existsSync } from 'node:fs';
import { createParser } from '../lib/exchanges/binance';
import { MarketModel } from '../lib/model';
import { MINUTE_CAPACITY, MINUTE_MS, ROWS } from '../lib/model/history';
import { runSimulation } from '../lib/dev/ground-truth';
import { readRecording, SHARED_DATA_DIR } from '../tests/harness/recording';
import { encodeHeatmap } from '../lib/contract/heatmap-wire';
import { planHeatmap } from '../lib/ui/heatmap-plan';
import { SNAPSHOT_PUSH_INTERVAL_MS } from '../lib/contract/snapshot';
import { WorkerCore } from '../lib/worker/core';
import { memoryPorts, onlyVenues } from '../tests/harness/memory-ports';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('bench: run with node --expose-gc (npm run bench does)');
  process.exit(2);
}

// ---- frames ----------------------------------------------------------------------------------
const frames: { t: number; frame: string }[] = [];
const recording = `${SHARED_DATA_DIR}binance-usdm-btcusdt-2024-08-08.rec.jsonl.gz`;
if (existsSync(recording)) {
  for await (const rec of readRecording(recording)) frames.push({ t: rec.t, frame: rec.frame });
  console.log(`bench: ${frames.length} recorded Binance frames`);
} else {
  console.log('bench: ../shared/data not found: synthetic frames only');
}
const sim = runSimulation({ minutes: 120, seed: 7 });
const synthetic = sim.frames.filter((f) => f.kind === 'ws');
for (const f of synthetic) frames.push({ t: f.t, frame: f.body });
console.log(`bench: ${synthetic.length} synthetic frames (trades, mark prices, liquidations)`);

function pipeline(list = frames): number {
  const engine = new MarketModel();
  const parse = createParser();
  const start = performance.now();
  for (const { t, frame } of list) {
    const outcome = parse(frame, t);
    if (outcome.status === 'events') engine.ingest(outcome.events);
  }
  return performance.now() - start;
}

function parseOnly(list = frames): number {
  let sink = 0;
  const start = performance.now();
  for (const { frame } of list) sink += JSON.parse(frame) ? 1 : 0;
  const ms = performance.now() - start;
  if (sink !== list.length) throw new Error('unreachable');
  return ms;
}

function best(list: typeof frames) {
  const r = { pipeline: Infinity, parse: Infinity };
  for (let i = 0; i < 5; i++) {
    gc!();
    r.parse = Math.min(r.parse, parseOnly(list));
    gc!();
    r.pipeline = Math.min(r.pipeline, pipeline(list));
  }
  return r;
}

const rounds = best(frames);
// The same measure on frames LiqLens uses (trades, mark prices, liquidations) alone: no order-book
// frames, which the parser recognises and skips without JSON.parse.
const relevantFrames = synthetic.map((f) => ({ t: f.t, frame: f.body }));
const relevant = best(relevantFrames);
console.log(
  `bench: relevant frames only (${relevantFrames.length}): pipeline ${relevant.pipeline.toFixed(0)} ms, JSON.parse ${relevant.parse.toFixed(0)} ms, ratio ${(relevant.pipeline / relevant.parse).toFixed(2)}`,
);
const pipelineFramesPerSec = Math.round((frames.length / rounds.pipeline) * 1000);
const parseOnlyFramesPerSec = Math.round((frames.length / rounds.parse) * 1000);
const ratio = rounds.pipeline / rounds.parse;
console.log(
  `bench: pipeline ${rounds.pipeline.toFixed(0)} ms (${pipelineFramesPerSec} frames/s), JSON.parse alone ${rounds.parse.toFixed(0)} ms (${parseOnlyFramesPerSec} frames/s), ratio ${ratio.toFixed(2)}`,
);

// ---- memory ----------------------------------------------------------------------------------
frames.length = 0;
relevantFrames.length = 0;
synthetic.length = 0;
sim.frames.length = 0;
gc();
const before = process.memoryUsage();
const INSTRUMENTS = 10;
const engine = new MarketModel();
const held: unknown[] = [engine];
const start = Date.UTC(2026, 10, 1);
const estimated = new Float64Array(ROWS);
const realizedLong = new Float64Array(ROWS);
const realizedShort = new Float64Array(ROWS);
for (let i = 0; i < INSTRUMENTS; i++) {
  const instrument = `binance:COIN${i}USDT` as const;
  // A real book for each instrument (levels across the window), then 7 days of minute columns.
  engine.ingest([
    { kind: 'openInterest', venue: 'binance', instrument, baseQty: 1_000, exchangeTime: start, receiveTime: start },
    {
      kind: 'trade',
      venue: 'binance',
      instrument,
      takerSide: 'buy',
      price: 100,
      baseQty: 50,
      notionalUsd: 5_000,
      exchangeTime: start + 1,
      receiveTime: start + 1,
    },
    { kind: 'openInterest', venue: 'binance', instrument, baseQty: 1_100, exchangeTime: start + 2, receiveTime: start + 2 },
  ]);
  engine.advance(start + 60_000);
  const history = engine.historyOf(instrument)!;
  for (let m = 0; m < MINUTE_CAPACITY; m++) {
    for (let r = 0; r < ROWS; r++) estimated[r] = (r * 7919 + m) % 97 === 0 ? 0 : 1_000 + ((r * m) % 50_000);
    realizedLong.fill(0);
    realizedShort.fill(0);
    realizedLong[(m * 13) % ROWS] = 25_000;
    realizedShort[(m * 29) % ROWS] = 12_000;
    history.push(start + m * MINUTE_MS, 9_000, 100, estimated, realizedLong, realizedShort);
  }
}
gc();
const after = process.memoryUsage();
const heapMB = (after.heapUsed + after.arrayBuffers) / 2 ** 20;
const growthMB = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 2 ** 20;
console.log(
  `bench: holding ${INSTRUMENTS} instruments × ${MINUTE_CAPACITY} minutes (7 days): V8 heap ${(after.heapUsed / 2 ** 20).toFixed(1)} MB + ArrayBuffers ${(after.arrayBuffers / 2 ** 20).toFixed(1)} MB = ${heapMB.toFixed(1)} MB (history and books added ${growthMB.toFixed(1)} MB)`,
);

// ---- snapshots -------------------------------------------------------------------------------
const viewRuns = 20;
engine.summary(100, start + MINUTE_CAPACITY * MINUTE_MS);
const viewStart = performance.now();
for (let i = 0; i < viewRuns; i++) engine.summary(100, start + MINUTE_CAPACITY * MINUTE_MS);
const viewMs = (performance.now() - viewStart) / viewRuns;
held.length = 0;

/** Snapshots the core builds over one simulated minute of trades (20 a second), with or without a listener. */
async function snapshotsPerMinute(listening: boolean): Promise<number> {
  const m = memoryPorts({ settings: onlyVenues({ bybit: ['BTCUSDT'] }) });
  const core = new WorkerCore(m.ports);
  await core.start();
  const ws = m.socket('/v5/public/linear');
  ws.open();
  if (listening) core.listen('page');
  for (let i = 0; i < 60 * 20; i++) {
    const T = m.clock.now();
    ws.receive(
      JSON.stringify({
        topic: 'publicTrade.BTCUSDT',
        type: 'snapshot',
        ts: T,
        data: [{ T, s: 'BTCUSDT', S: i % 2 ? 'Buy' : 'Sell', v: '0.01', p: String(97_000 + (i % 50)), i: String(i) }],
      }),
    );
    m.clock.advanceSync(50);
  }
  core.stop();
  return core.stats.snapshotsBuilt - (listening ? 1 : 0);
}
const snapshotsPerMinuteUnheard = await snapshotsPerMinute(false);
const snapshotsPerMinuteHeard = await snapshotsPerMinute(true);
const pushesPerMinute = (60_000 / SNAPSHOT_PUSH_INTERVAL_MS) | 0;
console.log(
  `bench: model.summary() on ${INSTRUMENTS} instruments: ${viewMs.toFixed(2)} ms. Snapshots built per minute of live data: ` +
    `${snapshotsPerMinuteUnheard} with nobody listening (before the worker core: up to ${pushesPerMinute}, ${((pushesPerMinute * viewMs) / 60).toFixed(2)} ms of CPU a second), ` +
    `${snapshotsPerMinuteHeard} with a popup or overlay listening`,
);

// The popup heatmap's preparation outside uPlot (heatmap-plan.ts) on a 1 440 × 400 grid where a third
// of the cells hold levels that live for a while (runs along time), plus the wire decode. The canvas
// fill itself is measured in the browser (tests/e2e/popup-options: "popup heatmap paint").
const COLS = 1440;
const PLAN_ROWS = 400;
const grid = new Float32Array(COLS * PLAN_ROWS);
let seed = 3;
const rnd = () => (seed = (seed * 1664525 + 1013904223) % 4294967296) / 4294967296;
for (let row = 0; row < PLAN_ROWS; row++) {
  let col = 0;
  while (col < COLS) {
    const len = 1 + Math.floor(rnd() * 120);
    const usd = rnd() < 0.33 ? rnd() ** 2 * 5e6 : 0;
    for (let c = col; c < Math.min(COLS, col + len); c++) grid[c * PLAN_ROWS + row] = usd * (1 - (c - col) / (len * 3));
    col += len;
  }
}
const wire = encodeHeatmap({
  from: 0,
  to: COLS * 60_000,
  columns: COLS,
  rows: PLAN_ROWS,
  low: 90_000,
  high: 110_000,
  estimated: grid,
  realizedLong: new Float32Array(COLS * PLAN_ROWS),
  realizedShort: new Float32Array(COLS * PLAN_ROWS),
  price: new Float64Array(COLS).fill(NaN),
});
planHeatmap(wire);
const planRuns = 20;
const planStart = performance.now();
let plan = planHeatmap(wire);
for (let i = 1; i < planRuns; i++) plan = planHeatmap(wire);
const heatmapPlanMs = (performance.now() - planStart) / planRuns;
console.log(
  `bench: popup heatmap plan ${COLS} × ${PLAN_ROWS}: ${heatmapPlanMs.toFixed(1)} ms (${plan.cells} cells in ${plan.rects} rectangles, ${(heatmapPlanMs / 16.7).toFixed(2)} of a 60 Hz frame; done once per data change, not per draw)`,
);

console.log(
  JSON.stringify({
    pipelineFramesPerSec,
    parseOnlyFramesPerSec,
    ratio: Number(ratio.toFixed(3)),
    heapMB: Number(heapMB.toFixed(1)),
    instruments: INSTRUMENTS,
    historyMinutes: MINUTE_CAPACITY,
    viewMs: Number(viewMs.toFixed(3)),
    snapshotsPerMinuteUnheard,
    snapshotsPerMinuteHeard,
    heatmapPlanMs: Number(heatmapPlanMs.toFixed(2)),
  }),
);
