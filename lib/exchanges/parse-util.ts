/**
 * Small, strict readers shared by the venue parsers. Exchanges send numbers as strings or numbers;
 * anything that is not a finite number in a sane range becomes NaN so the parser can reject the
 * frame with a counted error instead of letting `NaN`/`Infinity` leak into the model.
 */

import type { ParseOutcome } from './types';
import { errorText } from '../error-text';

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

/** Epoch ms from a number, numeric string or ISO date string; NaN when it is none of those. */
export function toTime(value: unknown): number {
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) {
    const t = Date.parse(value);
    return Number.isFinite(t) ? t : NaN;
  }
  return toNumber(value);
}

export const skipped = (reason: string): ParseOutcome => ({ status: 'skipped', reason });
export const failed = (error: string): ParseOutcome => ({ status: 'error', error });

/** Wraps a parser so that nothing, whatever the frame, escapes as an exception. */
export function neverThrows(parse: (frame: string, receiveTime: number) => ParseOutcome) {
  return (frame: string, receiveTime: number): ParseOutcome => {
    try {
      return parse(frame, receiveTime);
    } catch (err) {
      return failed(`parser failure: ${errorText(err)} on ${preview(frame)}`);
    }
  };
}
