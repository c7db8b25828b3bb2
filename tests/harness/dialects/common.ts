/**
 * What the venue dialects share: JSON helpers, the deterministic history their backfill routes
 * serve, and `documented(key)`: a frame from ../shared/reference/exchange-samples.json, parsed, to
 * build publications from. Frames start from the venue's own documented sample and only the values a
 * test sets are replaced, so a field our parser misreads cannot be misread the same way by the fake.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { SHARED_DATA_DIR, SHARED_REFERENCE_DIR } from '../recording';

export const json = JSON.stringify;
export const now = () => Date.now();

const SAMPLES = `${SHARED_REFERENCE_DIR}exchange-samples.json`;
let samples: Record<string, { raw: string }> | null = null;
let warned = false;

/**
 * The documented sample `key`, parsed (a fresh copy each call). Without ../shared the caller's
 * `fallback` is used, and one line says so.
 */
export function documented<T>(key: string, fallback: T): T {
  if (samples === null) {
    samples = existsSync(SAMPLES) ? (JSON.parse(readFileSync(SAMPLES, 'utf8')) as Record<string, { raw: string }>) : {};
  }
  const sample = samples[key];
  if (!sample) {
    if (!warned && !existsSync(SAMPLES)) console.log('[liqlens] fake venues: ../shared is absent, so their frames use built-in templates');
    warned = true;
    return structuredClone(fallback);
  }
  return JSON.parse(sample.raw) as T;
}

const recordings = new Map<string, Record<string, unknown>[]>();

/**
 * The first frame of `channel` in a real recording under ../shared/data (for venues whose documented
 * samples hold no WebSocket frame), parsed; `fallback` without ../shared.
 */
export function recorded<T>(file: string, channel: string, fallback: T): T {
  const path = `${SHARED_DATA_DIR}${file}`;
  if (!recordings.has(path)) {
    const frames = existsSync(path)
      ? gunzipSync(readFileSync(path))
          .toString('utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => parse((JSON.parse(line) as { frame: string }).frame) ?? {})
      : [];
    recordings.set(path, frames);
  }
  const frame = recordings.get(path)!.find((f) => f.channel === channel);
  return structuredClone((frame as T | undefined) ?? fallback);
}

/**
 * The price a fake venue's history sits at for a symbol: ETH near 3 400 (as the synthetic market
 * trades it), everything else near 97 000 (the fixture charts' price).
 */
export function typicalPrice(symbol: string | null | undefined): number {
  return symbol && /^ETH/i.test(symbol) ? 3_400 : 97_000;
}

/** Deterministic 5-minute history for backfill routes: price near `center`, open interest rising. */
export function syntheticHistory(since: number, until = Date.now(), center = 97_000) {
  const rows: { time: number; open: number; high: number; low: number; close: number; volume: number; takerBuy: number; oi: number }[] = [];
  let price = center;
  let oi = 50_000;
  let seed = 11;
  const rand = () => (seed = (seed * 1664525 + 1013904223) % 4294967296) / 4294967296;
  for (let t = Math.floor(since / 300_000) * 300_000; t < until; t += 300_000) {
    const open = price;
    price = price * (1 + (rand() - 0.5) * 0.004) + (center - price) * 0.02;
    const volume = 50 + rand() * 100;
    oi += (rand() - 0.35) * 40;
    rows.push({
      time: t,
      open,
      high: Math.max(open, price) * 1.0008,
      low: Math.min(open, price) * 0.9992,
      close: price,
      volume,
      takerBuy: volume * (0.35 + rand() * 0.3),
      oi,
    });
  }
  return rows;
}
/**
 * History that is one path in time, whatever span is asked for: 5-minute rows from a fixed start
 * (32 days before `until`'s day), so a venue's coarse month and its fine last day agree where they
 * meet, as a real venue's do. `stepMs` 3 600 000 folds them into hourly rows (open of the first,
 * close and open interest of the last). Rows from `since` to `until`, oldest first, at most `limit`.
 */
export function anchoredHistory(since: number, until: number, center: number, stepMs = 300_000, limit = Infinity) {
  const day = 86_400_000;
  const anchor = Math.floor(until / day) * day - 32 * day;
  const fine = syntheticHistory(anchor, until, center);
  const per = Math.max(1, Math.round(stepMs / 300_000));
  const rows: typeof fine = [];
  for (let i = 0; i + per <= fine.length; i += per) {
    const group = fine.slice(i, i + per);
    const last = group[group.length - 1];
    rows.push({
      time: group[0].time,
      open: group[0].open,
      high: Math.max(...group.map((r) => r.high)),
      low: Math.min(...group.map((r) => r.low)),
      close: last.close,
      volume: group.reduce((s, r) => s + r.volume, 0),
      takerBuy: group.reduce((s, r) => s + r.takerBuy, 0),
      oi: last.oi,
    });
  }
  return rows.filter((r) => r.time >= since && r.time <= until).slice(0, limit);
}

export const sinceParam = (url: URL, name: string) => Number(url.searchParams.get(name)) || Date.now() - 86_400_000;

export function parse(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text);
    return typeof v === 'object' && v !== null ? v : null;
  } catch {
    return null;
  }
}
