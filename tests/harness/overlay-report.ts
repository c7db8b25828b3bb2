/**
 * Reports in tests/e2e/artifacts/: JSON files made of sections that e2e files add in whatever order
 * they run. overlay-report.json has one section per fixture page and the worst alignment error over
 * all of them; reliability-report.json one per restart scenario.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const ARTIFACTS = new URL('../e2e/artifacts/', import.meta.url).pathname;

/** Read `file` (an artifacts JSON report), let `change` edit it, write it back. A damaged one starts empty. */
export function updateReport(file: string, change: (report: Record<string, unknown>) => void): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}${file}`;
  let report: Record<string, unknown> = {};
  if (existsSync(path)) {
    try {
      report = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      // A damaged report from an earlier run is replaced.
    }
  }
  change(report);
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}

export function mergeOverlayReport(page: string, section: Record<string, unknown> & { maxAlignErrorPx: number }): void {
  updateReport('overlay-report.json', (report) => {
    const pages = (report.pages ??= {}) as Record<string, Record<string, unknown>>;
    pages[page] = { ...section, writtenAt: new Date().toISOString() };
    report.maxAlignErrorPx = Math.max(...Object.values(pages).map((p) => Number(p.maxAlignErrorPx) || 0));
  });
}

export interface PanZoomFigures {
  medianDrawMs: number;
  p95DrawMs: number;
  maxDrawMs: number;
  draws: number;
  /** Long tasks (> 50 ms) on the page during the run, whatever caused them. */
  longTasks: number;
  /** Long animation frames (> 50 ms) in which the extension's own scripts ran 50 ms or more. */
  longFramesFromExtension: number;
  /** The most time extension scripts took within any one long animation frame (ms). */
  maxExtensionMsPerLongFrame: number;
  panZoomSteps: number;
}

/**
 * Drive `step` every ~30 ms for `ms`, then read the overlay's own draw times (the canvas keeps its
 * last 240 in data-draw-ms), the page's long tasks, and the extension's share of long animation
 * frames (that API names the scripts that ran, so the time is attributed, not guessed).
 */
export async function measurePanZoom(page: Page, canvas: string, step: (i: number) => Promise<void>, ms = 5_000): Promise<PanZoomFigures> {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[]; extensionMs: number[] };
    w.longTasks = [];
    w.extensionMs = [];
    const observe = (type: string, fn: (e: PerformanceEntry) => void) =>
      new PerformanceObserver((list) => list.getEntries().forEach(fn)).observe({ type, buffered: false });
    observe('longtask', (e) => w.longTasks.push(e.duration));
    observe('long-animation-frame', (e) => {
      const scripts = (e as unknown as { scripts?: { sourceURL: string; duration: number }[] }).scripts ?? [];
      w.extensionMs.push(scripts.filter((s) => s.sourceURL.startsWith('chrome-extension://')).reduce((t, s) => t + s.duration, 0));
    });
  });
  const started = Date.now();
  let steps = 0;
  while (Date.now() - started < ms) {
    await step(steps++);
    await page.waitForTimeout(30);
  }
  const drawMs = ((await page.locator(canvas).getAttribute('data-draw-ms')) ?? '')
    .split(',')
    .map(Number)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const { longTasks, extensionMs } = await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[]; extensionMs: number[] };
    return { longTasks: w.longTasks, extensionMs: w.extensionMs };
  });
  const pct = (p: number) => drawMs[Math.min(drawMs.length - 1, Math.floor(p * drawMs.length))];
  return {
    medianDrawMs: pct(0.5),
    p95DrawMs: pct(0.95),
    maxDrawMs: drawMs[drawMs.length - 1],
    draws: drawMs.length,
    longTasks: longTasks.length,
    longFramesFromExtension: extensionMs.filter((t) => t >= 50).length,
    maxExtensionMsPerLongFrame: Math.max(0, ...extensionMs),
    panZoomSteps: steps,
  };
}

/** Until the overlay on `page` draws the heatmap (the worker has history for the chart's range). */
export async function waitForHeatmap(page: Page, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    () =>
      Number(
        document
          .querySelector('liqlens-overlay')
          ?.shadowRoot?.querySelector('[data-testid=chart-overlay]')
          ?.getAttribute('data-heatmap-columns'),
      ) > 0,
    undefined,
    { timeout },
  );
}
