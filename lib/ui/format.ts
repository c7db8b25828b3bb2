/**
 * Number and time formatting shared by the popup, options page and overlay, in the browser's locale
 * (lib/i18n: a trader in Germany reads 97.092,4). USD keeps the K / M / B that crypto traders read in
 * every language; only its digits follow the locale.
 */
import { dateFormat, numberFormat, t, unitFormat } from '../i18n';

/** What one price-grid cell is called where USD per cell is shown: `0.1 % cell`. */
export function cellName(step = 0.001): string {
  return t('cellName', { pct: numberFormat(0, 3).format(step * 100) });
}

/** `$1.23M`, `$45.6K`, `$789`. */
export function formatUsd(usd: number): string {
  const abs = Math.abs(usd);
  const sign = usd < 0 ? '−' : '';
  if (abs >= 1e9) return `${sign}$${numberFormat(2, 2).format(abs / 1e9)}B`;
  if (abs >= 1e6) return `${sign}$${numberFormat(2, 2).format(abs / 1e6)}M`;
  if (abs >= 1e3) return `${sign}$${numberFormat(1, 1).format(abs / 1e3)}K`;
  return `${sign}$${numberFormat(0, 0).format(abs)}`;
}

/**
 * A price as the venue writes it: with the instrument's tick (`tickSize`) the decimals the tick has
 * (BTC at 0.1: 97,123.4; at 0.5: 97,123.5; ETH at 0.01: 3,412.25; DOGE at 0.00001: 0.32191); without
 * one, as many as its size needs.
 */
export function formatPrice(price: number, tickSize?: number): string {
  if (!Number.isFinite(price)) return '—';
  const abs = Math.abs(price);
  const decimals =
    tickSize !== undefined && tickSize > 0 && Number.isFinite(tickSize)
      ? exactDecimals(tickSize)
      : abs >= 1000
        ? 1
        : abs >= 10
          ? 2
          : abs >= 1
            ? 3
            : Math.min(8, 2 - Math.floor(Math.log10(abs)) + 2);
  return numberFormat(decimals, decimals).format(price);
}

/** Decimals that resolve `step` (a tick or a band width) and no more: 1 000 → 0, 2.5 → 1, 0.004 → 3. */
function decimalsFor(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 2;
  return Math.max(0, Math.min(8, Math.ceil(-Math.log10(step) - 1e-9)));
}

/** Decimals that write `step` exactly (2.5 → 1, 0.004 → 3, 2 000 → 0). */
function exactDecimals(step: number): number {
  for (let d = 0; d <= 8; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 8;
}

/** Axis tick labels: as many decimals as the spacing between ticks needs (no "102,000.0"). */
export function formatTicks(values: readonly number[]): string[] {
  const step = values.length > 1 ? Math.abs(values[1] - values[0]) : Math.abs(values[0] ?? 0) / 100;
  const d = step > 0 && Number.isFinite(step) ? exactDecimals(step) : 2;
  const f = numberFormat(d, d);
  return values.map((v) => f.format(v));
}

/**
 * A price band with the decimals its price level needs (a tenth of a percent of it, the grid's
 * cell: BTC 97,368–97,563, ETH 3,374–3,388, 0.4012–0.4047), never finer than the instrument's tick.
 * By level, not by the band's width: bands of one coin listed together read alike (a narrow one
 * was "3,418.4–3,421.8" beside "3,374–3,388").
 */
export function formatRange(low: number, high: number, tickSize?: number): string {
  const byLevel = decimalsFor(Math.max(Math.abs(low), Math.abs(high)) * 1e-3);
  const d = tickSize !== undefined && tickSize > 0 && Number.isFinite(tickSize) ? Math.min(byLevel, exactDecimals(tickSize)) : byLevel;
  const f = numberFormat(d, d);
  return `${f.format(low)}–${f.format(high)}`;
}

/** A percentage with a sign: +1.25 %, −0.40 %, 0.00 %. */
export function formatPct(pct: number): string {
  if (!Number.isFinite(pct)) return '—';
  return `${pct > 0 ? '+' : pct < 0 ? '−' : ''}${numberFormat(2, 2).format(Math.abs(pct))} %`;
}

/**
 * A USD amount as a trader types it: `50M`, `1.5b`, `250k`, `$2.5M`, `50,000,000`, `50 000 000`.
 * Null for anything else (negative, empty, words).
 */
export function parseUsd(text: string): number | null {
  const m = /^\$?\s*(\d[\d,\s]*(?:\.\d+)?)\s*([kmb])?$/i.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1].replace(/[,\s]/g, ''));
  if (!Number.isFinite(n)) return null;
  const scale = { k: 1e3, m: 1e6, b: 1e9 }[(m[2] ?? '').toLowerCase() as 'k' | 'm' | 'b'] ?? 1;
  return n * scale;
}

/** A USD amount for an input field, short and exact where it can be: 50M, 1.5B, 250K, 1234. */
export function usdInputText(usd: number): string {
  for (const [scale, suffix] of [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ] as const) {
    const v = usd / scale;
    if (usd >= scale && Math.abs(v * 1000 - Math.round(v * 1000)) < 1e-6) return `${Number(v.toFixed(3))}${suffix}`;
  }
  return String(usd);
}

/** `3 sec`, `4 min`, `2 hr` ago: units as the locale abbreviates them. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return unitFormat('second', 'short').format(s);
  if (s < 3600) return unitFormat('minute', 'short').format(Math.round(s / 60));
  return unitFormat('hour', 'short').format(Math.round(s / 3600));
}

/** A span of history as the locale says it: `6.5 days`, `19 hours` (`6,5 дня`, `19 小时`). */
export function formatSpan(ms: number): string {
  const hours = ms / 3_600_000;
  return hours >= 48 ? unitFormat('day', 'long').format(hours / 24) : unitFormat('hour', 'long').format(Math.round(hours));
}

/** HH:MM:SS in local time. */
export function formatClock(epochMs: number): string {
  return dateFormat('clock', { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(epochMs);
}

/** "Nov 30, 08:00" in local time and the locale's order: when a window starts, for "history since …" notes. */
export function formatTime(epochMs: number): string {
  return dateFormat('time', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(epochMs);
}

/** "Dec 5" (12月5日, 5 дек.): a day on a time axis. */
function formatDay(epochMs: number): string {
  return dateFormat('day', { month: 'short', day: 'numeric' }).format(epochMs);
}

/** "18:00": a time of day on a time axis. */
function formatHourMinute(epochMs: number): string {
  return dateFormat('hm', { hour: '2-digit', minute: '2-digit' }).format(epochMs);
}

const DAY_MS = 86_400_000;

/**
 * A time axis's tick labels (epoch seconds in, as uPlot gives them), in local time and one style for
 * every range: `18:00`; the day (`Dec 5`) under the first tick of each day; on ranges of days whose
 * ticks fall on midnight, the day alone. (uPlot's default read "6pm / 12/5/26".)
 */
export function formatTimeTicks(splitsSec: readonly number[]): string[] {
  let previousDay = '';
  const multiDay = splitsSec.length > 1 && (splitsSec[splitsSec.length - 1] - splitsSec[0]) * 1000 >= 2 * DAY_MS;
  return splitsSec.map((s) => {
    const day = formatDay(s * 1000);
    const time = formatHourMinute(s * 1000);
    const newDay = day !== previousDay;
    previousDay = day;
    const at = new Date(s * 1000);
    if (multiDay && at.getHours() === 0 && at.getMinutes() === 0) return day;
    return newDay ? `${time}\n${day}` : time;
  });
}

/**
 * Ticks for a USD axis from 0 that ends on a round value at or above `max`: 0, $4M, $8M (not
 * $4.27M, $8.55M). At most `maxTicks` steps of 1, 2, 2.5 or 5 × a power of ten.
 */
export function usdAxisTicks(max: number, maxTicks = 3): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0];
  const raw = max / Math.max(1, maxTicks);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const steps = Math.ceil(max / step - 1e-9);
  return Array.from({ length: steps + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

/** An axis tick's USD without trailing zeros: `$50M`, `$2.5M`, `$250K`. */
export function formatUsdTick(usd: number): string {
  return formatUsd(usd).replace(/\.?0+(?=[KMB]$)/, '');
}
