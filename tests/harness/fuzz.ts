/**
 * Parser fuzzing, shared by tests/unit/fuzz-*.test.ts (split in two files so the CPU-bound run uses
 * both cores): each parser against 100 000 mutated frames: nothing escapes as an exception, every
 * frame gets exactly one outcome (events, skipped or error), and whatever comes out as an event is
 * sane (finite positive prices and sizes, a known side). Seeds are realistic frames from the fake
 * servers' dialects (the venues' documented formats); mutations are deterministic.
 */
import { expect } from 'vitest';
import { SpecBook } from '../../lib/exchanges/specs';
import type { MarketEvent, VenueAdapter } from '../../lib/exchanges/types';
import { dialects } from './dialects';

export const FRAMES_PER_VENUE = 100_000;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

function seedsFor(venue: keyof typeof dialects): string[] {
  const d = dialects[venue];
  const symbol = {
    binance: 'BTCUSDT',
    bybit: 'BTCUSDT',
    okx: 'BTC-USDT-SWAP',
    bitmex: 'XBTUSD',
    deribit: 'BTC-PERPETUAL',
    hyperliquid: 'BTC',
    bitget: 'BTCUSDT',
    gate: 'BTC_USDT',
    dydx: 'BTC-USD',
    kraken: 'PF_XBTUSD',
  }[venue];
  const seeds = [
    d.liquidation({ symbol, liquidatedSide: 'long', price: 97000.5, qty: 12, time: 1_790_000_000_000, id: 'x1' }).frame,
    d.trade({ symbol, takerSide: 'buy', price: 97001, qty: 3, id: '77', time: 1_790_000_000_000 }).frame,
    d.mark(symbol, 96999.9, 1_790_000_000_000).frame,
    ...(d.openInterest ? [d.openInterest(symbol, 1234.5, 97000, 1_790_000_000_000).frame] : []),
    ...(d.onSubscribed?.(`instrument:${symbol}`) ?? []),
  ];
  return seeds;
}

const WEIRD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1e308,
  -1e308,
  'NaN',
  'Infinity',
  '-0',
  '',
  '1e999',
  [],
  {},
  '__proto__',
  { __proto__: { polluted: 1 } },
  'x'.repeat(1000),
  Number.MAX_SAFE_INTEGER + 2,
];

type Path = { parent: Record<string, unknown> | unknown[]; key: string | number };

const NOT_JSON = Symbol('not JSON');
const parsedSeeds = new Map<string, unknown>();
/** A seed's parsed tree, parsed once: structural mutations work on a fresh copy of it. */
function parsedSeed(frame: string): unknown {
  if (!parsedSeeds.has(frame)) {
    let tree: unknown = NOT_JSON;
    try {
      tree = JSON.parse(frame);
    } catch {
      // a seed that is not JSON is only mutated byte by byte
    }
    parsedSeeds.set(frame, tree);
  }
  return parsedSeeds.get(frame);
}

/**
 * A deep copy of a parsed JSON tree, listing every (parent, key) of the copy in document order.
 * Four times cheaper than parsing the seed again and walking it, for the same result.
 */
function copyListingPaths(node: unknown, paths: Path[]): unknown {
  if (Array.isArray(node)) {
    const copy: unknown[] = new Array(node.length);
    for (let i = 0; i < node.length; i++) {
      paths.push({ parent: copy, key: i });
      copy[i] = copyListingPaths(node[i], paths);
    }
    return copy;
  }
  if (node !== null && typeof node === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) {
      paths.push({ parent: copy, key });
      copy[key] = copyListingPaths(child, paths);
    }
    return copy;
  }
  return node;
}

/** One mutation of a frame: byte-level or structural. */
function mutate(frame: string, rand: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  switch (Math.floor(rand() * 7)) {
    case 0: // truncate
      return frame.slice(0, Math.floor(rand() * frame.length));
    case 1: {
      // flip one character
      const i = Math.floor(rand() * frame.length);
      return frame.slice(0, i) + String.fromCharCode(32 + Math.floor(rand() * 95)) + frame.slice(i + 1);
    }
    case 2: {
      // duplicate a slice
      const i = Math.floor(rand() * frame.length);
      return frame.slice(0, i) + frame.slice(Math.floor(rand() * i));
    }
    default: {
      // structural: replace, delete or retype a value somewhere in the tree
      const tree = parsedSeed(frame);
      if (tree === NOT_JSON) return frame;
      const paths: Path[] = [];
      const value = copyListingPaths(tree, paths);
      if (paths.length === 0) return JSON.stringify(pick(WEIRD_VALUES));
      const times = 1 + Math.floor(rand() * 3);
      for (let n = 0; n < times; n++) {
        const { parent, key } = pick(paths);
        const r = rand();
        if (r < 0.2 && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key as string];
        else if (r < 0.6) (parent as Record<string | number, unknown>)[key] = pick(WEIRD_VALUES);
        else {
          const old = (parent as Record<string | number, unknown>)[key];
          (parent as Record<string | number, unknown>)[key] =
            typeof old === 'string'
              ? Number(old) * (rand() < 0.5 ? -1 : 1e12)
              : typeof old === 'number'
                ? String(old * -1)
                : JSON.stringify(old);
        }
      }
      return JSON.stringify(value);
    }
  }
}

function sane(e: MarketEvent): boolean {
  const positive = (n: number) => Number.isFinite(n) && n > 0;
  const times = Number.isFinite(e.exchangeTime) && Number.isFinite(e.receiveTime);
  switch (e.kind) {
    case 'liquidation':
      return (
        times &&
        positive(e.price) &&
        positive(e.baseQty) &&
        positive(e.notionalUsd) &&
        (e.liquidatedSide === 'long' || e.liquidatedSide === 'short')
      );
    case 'trade':
      return (
        times && positive(e.price) && positive(e.baseQty) && positive(e.notionalUsd) && (e.takerSide === 'buy' || e.takerSide === 'sell')
      );
    case 'markPrice':
      return times && positive(e.markPrice);
    case 'openInterest':
      return times && Number.isFinite(e.baseQty) && e.baseQty >= 0;
  }
}

/**
 * Run `fn` with no stack traces captured. Four in ten mutated frames are not JSON, and capturing a
 * stack for each SyntaxError is most of what they cost (about 14 µs against 5 µs without one); the
 * parsers catch those errors and never read their stacks.
 */
function withoutStackTraces(fn: () => void): void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    fn();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Fuzz one venue's parser (the assertions are the test). */
export function fuzzVenue(id: string, adapter: VenueAdapter): void {
  const rand = rng(id.length * 7919);
  const parse = adapter.createParser(new SpecBook(adapter.specs.defaults));
  const seeds = seedsFor(id as keyof typeof dialects);
  // Stateful parsers (BitMEX partials) see their prerequisites first.
  for (const topic of ['liquidation:XBTUSD', 'trade:XBTUSD'])
    for (const f of dialects.bitmex.onSubscribed?.(topic) ?? []) if (id === 'bitmex') parse(f, 1);
  const counts = { events: 0, skipped: 0, error: 0 };
  let insane = 0;
  const crashes: string[] = [];
  withoutStackTraces(() => {
    for (let i = 0; i < FRAMES_PER_VENUE; i++) {
      const frame = mutate(seeds[i % seeds.length], rand);
      let outcome;
      try {
        outcome = parse(frame, 1_790_000_000_000);
      } catch (err) {
        throw new Error(`${id} parser threw on ${JSON.stringify(frame)}`, { cause: err });
      }
      counts[outcome.status] += 1;
      // The safety net in neverThrows() must not be what saves a parser: each one checks its input.
      if (outcome.status === 'error' && outcome.error.startsWith('parser failure')) crashes.push(outcome.error);
      if (outcome.status === 'events') insane += outcome.events.filter((e) => !sane(e)).length;
    }
  });
  console.log(`fuzz ${id}: ${FRAMES_PER_VENUE} frames → ${counts.events} parsed, ${counts.skipped} skipped, ${counts.error} errors`);
  expect(counts.events + counts.skipped + counts.error).toBe(FRAMES_PER_VENUE);
  expect(counts.error).toBeGreaterThan(FRAMES_PER_VENUE / 4); // the mutations really break frames
  expect(counts.events).toBeGreaterThan(0); // and some survive as valid data
  expect(insane).toBe(0);
  expect(crashes.slice(0, 3)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}
