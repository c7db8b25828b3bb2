/**
 * Small, strict readers shared by the venue parsers. Exchanges send numbers as strings or numbers;
 * anything that is not a finite number in a sane range becomes NaN so the parser can reject the
 * frame with a counted error instead of letting `NaN`/`Infinity` leak into the model.
 */

/** Largest price or size we accept. Real values are far below; above this a frame is corrupt. */
export const ABSURD = 1e15;

export function toNumber(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && Math.abs(n) < ABSURD ? n : NaN;
}

export function isPositive(n: number): boolean {
  return n > 0 && Number.isFinite(n);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `JSON.parse` that reports failure instead of throwing. */
export function parseJson(frame: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(frame) };
  } catch {
    return { ok: false, error: `not JSON: ${preview(frame)}` };
  }
}

/** A short, printable excerpt of a frame for error messages. */
export function preview(frame: unknown, max = 80): string {
  const text = typeof frame === 'string' ? frame : (JSON.stringify(frame) ?? String(frame));
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Venues list meme coins per 1000 (or 1 000 000) units: `1000PEPEUSDT` quotes the price of 1000 PEPE
 * and sizes in lots of 1000 PEPE. Returns that multiplier (1 for ordinary symbols).
 */
export function symbolBaseMultiplier(symbol: string): number {
  const match = /^(1000000|100000|10000|1000)(?=[A-Z])/.exec(symbol);
  return match ? Number(match[1]) : 1;
}
