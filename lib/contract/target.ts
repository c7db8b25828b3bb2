/**
 * What a view, a heatmap or a zone list is of: one instrument (`binance:BTCUSDT`) or every instrument
 * of a coin, venues added up (`coin:BTC`). Keys cross messaging as strings; this is the one place
 * they are read.
 */
import { coinOf } from '../exchanges/specs';
import type { InstrumentKey, VenueId } from '../exchanges/types';

/** A target as it crosses messaging and keys maps. */
export type TargetKey = `coin:${string}` | InstrumentKey;

export type Target =
  | { kind: 'coin'; key: `coin:${string}`; coin: string }
  | { kind: 'instrument'; key: InstrumentKey; coin: string; venue: VenueId; symbol: string };

/** Read a target key; undefined for one that is neither `coin:X` nor `venue:SYMBOL`. */
export function parseTarget(key: string): Target | undefined {
  const at = key.indexOf(':');
  if (at <= 0 || at === key.length - 1) return undefined;
  const head = key.slice(0, at);
  const rest = key.slice(at + 1);
  if (head === 'coin') return { kind: 'coin', key: `coin:${rest}`, coin: rest };
  return { kind: 'instrument', key: key as InstrumentKey, coin: coinOf(key), venue: head as VenueId, symbol: rest };
}

/** The key of every instrument of `coin`, venues added up. */
export function coinTarget(coin: string): `coin:${string}` {
  return `coin:${coin}`;
}

/** Whether `instrument` is one of the instruments `target` covers. */
export function targetCovers(target: Target, instrument: string): boolean {
  return target.kind === 'coin' ? coinOf(instrument) === target.coin : target.key === instrument;
}

/** An alert rule's or a UI's shorthand: `BTC` means the coin, `binance:BTCUSDT` the instrument. */
export function targetOfShorthand(name: string): TargetKey {
  return name.includes(':') ? (name as TargetKey) : coinTarget(name);
}
