/**
 * Bundle budgets on the built extension (gzip): what a user's browser parses on every chart page, on
 * every popup open, and in the worker. Needs `npm run build` first (npm test builds).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const OUT = new URL('../../.output/chrome-mv3/', import.meta.url).pathname;
const KB = 1024;

const gz = (file: string) => gzipSync(readFileSync(join(OUT, file))).length;

/** Every script and stylesheet an HTML page loads (its entry chunk, shared chunks, CSS). */
function pageFiles(html: string): string[] {
  const text = readFileSync(join(OUT, html), 'utf8');
  return [...text.matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
}

const built = existsSync(join(OUT, 'manifest.json'));

describe.skipIf(!built)('bundle budgets (gzip)', () => {
  const sizes: Record<string, number> = {};

  it('overlay content scripts (isolated + MAIN world) ≤ 40 KB', () => {
    sizes.overlay = gz('content-scripts/overlay.js') + gz('content-scripts/chart-bridge.js');
    expect(sizes.overlay).toBeLessThanOrEqual(40 * KB);
  });

  it('popup ≤ 90 KB', () => {
    sizes.popup = pageFiles('popup.html').reduce((s, f) => s + gz(f), 0);
    expect(sizes.popup).toBeLessThanOrEqual(90 * KB);
  });

  it('background ≤ 80 KB', () => {
    sizes.background = gz('background.js');
    expect(sizes.background).toBeLessThanOrEqual(80 * KB);
    console.log(
      `bundle sizes (gzip KB): ${Object.entries(sizes)
        .map(([k, v]) => `${k} ${(v / KB).toFixed(1)}`)
        .join(', ')}`,
    );
  });
});

if (!built) console.log('bundle budgets skipped: no build in .output/chrome-mv3 (run `npm run build`)');
