/**
 * `npm run soak [-- --hours 24] [-- --speed 720]`
 * A simulated market (lib/dev/ground-truth.ts: trades, mark prices, forced orders and open interest
 * of one Binance perpetual) replayed at high speed through the built extension in headless
 * Chromium. Every 10 s it samples the service worker's JS heap and its live WebSocket objects over
 * CDP (a second, read-only client), and at the end reads the feed's frame and error counters. Writes tests/e2e/artifacts/soak-report.json
 * and exits non-zero when the heap grows without bound, sockets pile up, a frame is lost or any
 * error shows.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { runSimulation } from '../lib/dev/ground-truth';
import { launchWithExtension, loopbackSettings } from '../tests/harness/browser';
import { binanceDialect } from '../tests/harness/dialects';
import { FakeBinanceServer } from '../tests/harness/fake-binance';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const HOURS = arg('hours', 24);
const SPEED = arg('speed', 720);
const SAMPLE_MS = 10_000;
// Bounded by design: the raw-frame recorder keeps at most 200 000 frames / 40 M characters, the
// heatmap history at most 7 days per instrument, recent liquidations a fixed count. The worker's
// heap must stay within that budget for the whole run (the curve is in the report).
const HEAP_BUDGET_MB = 80;
const OUT = new URL('../tests/e2e/artifacts/', import.meta.url).pathname;

// 1. The market, minute by minute, as the venue would send it.
console.log(`soak: simulating ${HOURS} h of market…`);
const minutes: { t: number; frames: { kind: 'ws' | 'oi'; t: number; body: string }[] }[] = [];
runSimulation({ minutes: HOURS * 60 }, (t, frames) => minutes.push({ t, frames: frames.slice() }));
const total = minutes.reduce((s, m) => s + m.frames.length, 0);
console.log(`soak: ${total} frames; replaying at ${SPEED}× (${((HOURS * 3600) / SPEED / 60).toFixed(1)} min)`);

// 2. A fake Binance that serves the latest simulated open interest over REST.
let openInterest = minutes.flatMap((m) => m.frames).find((f) => f.kind === 'oi')?.body ?? '';
const binance = await FakeBinanceServer.start({
  ...binanceDialect,
  rest: { ...binanceDialect.rest, '/fapi/v1/openInterest': () => openInterest },
});
const profile = mkdtempSync(join(tmpdir(), 'liqlens-soak-'));
const browser = await launchWithExtension({ userDataDir: profile, extraArgs: ['--remote-debugging-port=0'] });
const connected = binance.waitForClient();
await browser.setSettings(loopbackSettings({ binance: { ws: binance.url, rest: binance.restUrl, symbols: ['BTCUSDT'] } }));
await connected;

// 3. The worker over CDP (a second, read-only client): heap and live sockets.
const port = readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0];
async function workerCdp(): Promise<(method: string, params?: object) => Promise<Record<string, unknown>>> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    type: string;
    url: string;
    webSocketDebuggerUrl: string;
  }[];
  const sw = targets.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
  if (!sw) throw new Error('soak: no extension service worker target');
  const ws = new WebSocket(sw.webSocketDebuggerUrl);
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  let id = 0;
  const pending = new Map<number, (v: Record<string, unknown>) => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString());
    pending.get(m.id)?.(m.result ?? {});
    pending.delete(m.id);
  });
  return (method, params = {}) =>
    new Promise((resolve) => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
}
const cdp = await workerCdp();
await cdp('Runtime.enable');
const samples: { simHours: number; wallS: number; heapUsedMB: number; webSockets: number }[] = [];
/** Live objects with this prototype in the worker (a leak check: sockets must not pile up). */
async function liveObjects(constructorName: string): Promise<number> {
  const proto = (await cdp('Runtime.evaluate', { expression: `${constructorName}.prototype` })) as { result: { objectId: string } };
  const found = (await cdp('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId })) as { objects: { objectId: string } };
  const length = (await cdp('Runtime.callFunctionOn', {
    objectId: found.objects.objectId,
    functionDeclaration: 'function () { return this.length; }',
    returnByValue: true,
  })) as { result: { value: number } };
  return length.result.value;
}
const sample = async (simHours: number) => {
  const heap = (await cdp('Runtime.getHeapUsage')) as { usedSize: number };
  samples.push({
    simHours: Number(simHours.toFixed(2)),
    wallS: Math.round((Date.now() - started) / 1000),
    heapUsedMB: Number((heap.usedSize / 2 ** 20).toFixed(1)),
    webSockets: await liveObjects('WebSocket'),
  });
  console.log(`soak: ${JSON.stringify(samples.at(-1))}`);
};

// 4. Replay on the simulated clock, compressed.
const started = Date.now();
const simStart = minutes[0]?.t ?? 0;
let nextSample = started;
let sent = 0;
let sentOi = 0;
for (const m of minutes) {
  const due = started + (m.t - simStart) / SPEED;
  if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
  for (const f of m.frames) {
    if (f.kind === 'oi') {
      openInterest = f.body;
      sentOi++;
    } else {
      binance.sendRaw(f.body);
      sent++;
    }
  }
  if (Date.now() >= nextSample) {
    nextSample += SAMPLE_MS;
    await sample((m.t - simStart) / 3_600_000);
  }
}
await new Promise((r) => setTimeout(r, 5_000)); // let the worker drain
await sample(HOURS);

// 5. Errors, as the options page sees them.
const page = await browser.context.newPage();
await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
const health = (await page.evaluate(
  async () =>
    (
      await (
        globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ res: unknown }> } } }
      ).chrome.runtime.sendMessage({ id: 1, type: 'getStatus', timestamp: Date.now() })
    ).res,
)) as { venue: string; frames: number; errors: number; recentErrors: string[]; reconnects: number }[];
await browser.close();
await binance.close();
rmSync(profile, { recursive: true, force: true, maxRetries: 5 });

const heaps = samples.map((s) => s.heapUsedMB);
const firstHalf = heaps.slice(1, Math.max(2, Math.floor(heaps.length / 2)));
const secondHalf = heaps.slice(Math.floor(heaps.length / 2));
const growth = Math.max(...secondHalf) - Math.max(...firstHalf);
const maxSockets = Math.max(...samples.map((s) => s.webSockets));
const binanceHealth = health.find((h) => h.venue === 'binance');
const report = {
  hours: HOURS,
  speed: SPEED,
  framesSent: sent,
  openInterestUpdates: sentOi,
  framesReceived: binanceHealth?.frames,
  errors: binanceHealth?.errors,
  reconnects: binanceHealth?.reconnects,
  recentErrors: binanceHealth?.recentErrors,
  heapMB: {
    first: heaps[0],
    max: Math.max(...heaps),
    last: heaps.at(-1),
    budget: HEAP_BUDGET_MB,
    secondHalfMaxMinusFirstHalfMax: Number(growth.toFixed(1)),
  },
  liveWebSocketsMax: maxSockets,
  samples,
};
mkdirSync(OUT, { recursive: true });
writeFileSync(`${OUT}soak-report.json`, `${JSON.stringify(report, null, 2)}\n`);
console.log(`soak: ${JSON.stringify({ ...report, samples: samples.length })}`);
const bounded = Math.max(...heaps) <= HEAP_BUDGET_MB;
// One feed socket, plus one while a 24 h rotation overlaps old and new (and one not yet collected).
const ok = bounded && maxSockets <= 3 && (binanceHealth?.errors ?? 1) === 0 && binanceHealth?.frames === sent;
if (!ok)
  console.error(
    `soak: FAILED (heap bounded: ${bounded}, live sockets max: ${maxSockets}, errors: ${binanceHealth?.errors}, frames ${binanceHealth?.frames} of ${sent})`,
  );
process.exit(ok ? 0 : 1);
