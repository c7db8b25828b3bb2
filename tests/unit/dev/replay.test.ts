/**
 * The recorded files in ../shared/data replay with zero errors, and the figures match a count made
 * here independently of the parsers (straight from the raw JSON).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Replay } from '../../../lib/dev/replay';
import { readRecording, SHARED_DATA_DIR, SHARED_REFERENCE_DIR, sharedOrSkipNotice } from '../../harness/recording';

const BINANCE = `${SHARED_DATA_DIR}binance-usdm-btcusdt-2024-08-08.rec.jsonl.gz`;

describe.skipIf(!sharedOrSkipNotice('recorded-data replay'))('replay of recorded Binance frames', () => {
  // CPU-bound (a whole recording, about two seconds here; more while the fuzz files share the cores).
  it('parses every frame with zero errors and matches an independent count', { timeout: 60_000 }, async () => {
    const replay = new Replay();
    const independent = { frames: 0, trades: 0, baseQty: 0, notional: 0, takerBuy: 0, takerSell: 0, ignored: 0 };
    for await (const rec of readRecording(BINANCE)) {
      replay.push(rec);
      independent.frames += 1;
      const msg = JSON.parse(rec.frame);
      if (msg.data?.e === 'trade') {
        const usd = Number(msg.data.q) * Number(msg.data.p);
        independent.trades += 1;
        independent.baseQty += Number(msg.data.q);
        independent.notional += usd;
        if (msg.data.m) independent.takerSell += usd;
        else independent.takerBuy += usd;
      } else {
        independent.ignored += 1; // book tickers, depth updates, the one REST snapshot
      }
    }
    const summary = replay.summary();
    expect(summary.errors).toBe(0);
    expect(summary.frames).toBe(93_954); // as documented in ../shared/data/README.md
    expect(summary.frames).toBe(independent.frames);
    expect(summary.skipped).toBe(independent.ignored);
    const btc = summary.instruments['binance:BTCUSDT'];
    expect(btc.trades).toBe(21_313);
    expect(btc.trades).toBe(independent.trades);
    expect(btc.baseQty).toBeCloseTo(independent.baseQty, 6);
    expect(btc.notionalUsd).toBeCloseTo(independent.notional, 2);
    expect(btc.takerBuyUsd).toBeCloseTo(independent.takerBuy, 2);
    expect(btc.takerSellUsd).toBeCloseTo(independent.takerSell, 2);
    // The recording has no liquidation, mark-price or open-interest stream: nothing invented.
    expect(btc.liquidations).toBe(0);
    expect(btc.markPrices).toBe(0);
    expect('lastMarkPrice' in btc).toBe(false);
    expect('openInterest' in btc).toBe(false);
  });
});

const HYPERLIQUID = `${SHARED_DATA_DIR}hyperliquid-btc-2025-01-26.rec.jsonl.gz`;

describe.skipIf(!sharedOrSkipNotice('recorded-data replay'))('replay of recorded Hyperliquid frames', () => {
  it('parses every frame with zero errors and matches an independent count of trades', { timeout: 60_000 }, async () => {
    const replay = new Replay();
    const independent = { frames: 0, books: 0, trades: 0, notional: 0, takerBuy: 0, ids: new Set<string>() };
    for await (const rec of readRecording(HYPERLIQUID)) {
      replay.push(rec);
      independent.frames += 1;
      const msg = JSON.parse(rec.frame);
      if (msg.channel === 'l2Book') independent.books += 1;
      if (msg.channel !== 'trades') continue;
      for (const t of msg.data) {
        // A trade re-sent in a later frame (same time and tid) counts once.
        const id = `${t.time}:${t.tid}`;
        if (independent.ids.has(id)) continue;
        independent.ids.add(id);
        const usd = Number(t.px) * Number(t.sz);
        independent.trades += 1;
        independent.notional += usd;
        if (t.side === 'B') independent.takerBuy += usd;
      }
    }
    const summary = replay.summary();
    expect(summary).toMatchObject({ frames: 55, errors: 0, skipped: independent.books });
    const btc = summary.instruments['hyperliquid:BTC'];
    expect(btc.trades).toBe(independent.trades);
    expect(btc.notionalUsd).toBeCloseTo(independent.notional, 6);
    expect(btc.takerBuyUsd).toBeCloseTo(independent.takerBuy, 6);
    // Hyperliquid publishes no liquidations: none are invented.
    expect(btc.liquidations).toBe(0);
  });
});

describe('replay bookkeeping', () => {
  it('counts frames of unknown venues and broken lines as errors, with the first ones kept', () => {
    const replay = new Replay(2);
    replay.push({ t: 1, venue: 'nowhere', frame: '{}' });
    replay.pushBadLine('line 2: not JSON');
    replay.push({ t: 3, venue: 'binance', frame: '{"result":null,"id":1}' });
    replay.push({ t: 4, venue: 'binance', frame: 'garbage' });
    expect(replay.summary()).toMatchObject({ frames: 4, skipped: 1, errors: 3 });
    expect(replay.firstErrors.map((e) => e.frame)).toEqual([1, 2]);
  });
});

describe.skipIf(!sharedOrSkipNotice('market totals from documented forceOrder frames'))('replay market totals', () => {
  it('sums every instrument’s liquidations once, a re-sent frame (after a reconnect) not again', () => {
    // Binance's documented all-market forceOrder, for three symbols; the second BTC one arrives twice.
    const sample = JSON.parse(readFileSync(`${SHARED_REFERENCE_DIR}exchange-samples.json`, 'utf8'))['doc_derived.bn_force_all'].parsed;
    const frame = (symbol: string, side: 'BUY' | 'SELL', qty: string, price: string, time: number) =>
      JSON.stringify({
        stream: '!forceOrder@arr',
        data: { ...sample, E: time, o: { ...sample.o, s: symbol, S: side, q: qty, z: qty, l: qty, p: price, ap: price, T: time } },
      });
    const frames = [
      frame('BTCUSDT', 'SELL', '0.5', '97000', 1_000), // a long liquidated: $48 500
      frame('BTCUSDT', 'BUY', '0.2', '97100', 2_000), // a short: $19 420
      frame('ETHUSDT', 'SELL', '3', '3400', 3_000), // $10 200
      frame('DOGEUSDT', 'BUY', '10000', '0.4', 4_000), // $4 000
    ];
    const replay = new Replay();
    let t = 0;
    for (const f of [...frames, frames[1]]) replay.push({ t: ++t, venue: 'binance', frame: f });
    expect(replay.summary().market).toEqual({
      liquidations: 4,
      longUsd: expect.closeTo(48_500 + 10_200, 6),
      shortUsd: expect.closeTo(19_420 + 4_000, 6),
      instruments: 3,
    });
  });
});

describe('replay of a recording with REST lines', () => {
  it('rebuilds the estimated levels: the summary carries the engine zones', { timeout: 60_000 }, async () => {
    const { runSimulation } = await import('../../../lib/dev/ground-truth');
    const { formatRecordingLine, parseRecordingLine } = await import('../../../lib/net/recording');
    const sim = runSimulation({ minutes: 60 });
    // As the extension records it: WebSocket frames, and polled open-interest bodies with their path.
    const lines = sim.frames.map((f) =>
      formatRecordingLine(
        f.kind === 'ws'
          ? { t: f.t, venue: 'binance', frame: f.body }
          : { t: f.t, venue: 'binance', rest: '/fapi/v1/openInterest', frame: f.body },
      ),
    );
    const replay = new Replay();
    for (const line of lines) {
      const rec = parseRecordingLine(line);
      if (!('error' in rec)) replay.push(rec);
    }
    const summary = replay.summary();
    expect(summary.errors).toBe(0);
    expect(summary.instruments['binance:BTCUSDT'].openInterest).toBeGreaterThan(0);
    const estimated = summary.zones.filter((z) => z.kind === 'estimated');
    const realized = summary.zones.filter((z) => z.kind === 'realized');
    expect(estimated.length).toBeGreaterThan(0);
    expect(realized.length).toBeGreaterThan(0);
    for (const z of summary.zones) expect(z).toMatchObject({ coin: 'BTC', venues: ['binance'] });
  });
});

describe('replay of recorded position readings', () => {
  const wallet = (i: number) => `0x${i.toString(16).padStart(40, '0')}`;
  const reply = (positions: { coin: string; szi: string; liquidationPx: string | null; positionValue: string }[]) =>
    JSON.stringify({
      marginSummary: { accountValue: '1', totalNtlPos: '0', totalRawUsd: '0', totalMarginUsed: '0' },
      crossMarginSummary: { accountValue: '1', totalNtlPos: '0', totalRawUsd: '0', totalMarginUsed: '0' },
      assetPositions: positions.map((p) => ({
        type: 'oneWay',
        position: {
          ...p,
          entryPx: '97000',
          leverage: { type: 'cross', value: 10 },
          marginUsed: '1',
          maxLeverage: 40,
          unrealizedPnl: '0',
          returnOnEquity: '0',
        },
      })),
      time: 1,
    });

  it(
    'rebuilds the true book from each reply and the request that asked for it (latest reply per wallet)',
    { timeout: 60_000 },
    async () => {
      const { formatRecordingLine, parseRecordingLine } = await import('../../../lib/net/recording');
      const lines = [
        { t: 1, w: 1, p: [{ coin: 'BTC', szi: '1', liquidationPx: '88000', positionValue: '97000' }] },
        { t: 2, w: 2, p: [{ coin: 'BTC', szi: '-2', liquidationPx: '105000', positionValue: '194000' }] },
        { t: 3, w: 3, p: [{ coin: 'BTC', szi: '0.5', liquidationPx: null, positionValue: '48500' }] },
        // Wallet 1 read again: its newer reply replaces the first.
        { t: 4, w: 1, p: [{ coin: 'BTC', szi: '0.5', liquidationPx: '89000', positionValue: '48500' }] },
      ].map(({ t, w, p }) =>
        formatRecordingLine({
          t,
          venue: 'hyperliquid',
          rest: '/info',
          request: `{"type":"clearinghouseState","user":"${wallet(w)}"}`,
          frame: reply(p),
        }),
      );
      expect(JSON.parse(lines[0])).toMatchObject({ rest: '/info', request: expect.stringContaining('clearinghouseState') });
      const replay = new Replay();
      for (const line of lines) {
        const rec = parseRecordingLine(line);
        if (!('error' in rec)) replay.push(rec);
      }
      const summary = replay.summary();
      expect(summary.errors).toBe(0);
      expect(summary.instruments['hyperliquid:BTC'].positions).toEqual({
        wallets: 3,
        longUsd: 48_500,
        shortUsd: 194_000,
        noLiquidationUsd: 48_500,
      });
    },
  );

  it('counts a reply whose request names no wallet as an error', () => {
    const replay = new Replay();
    replay.push({ t: 1, venue: 'hyperliquid', rest: '/info', request: '{"type":"clearinghouseState"}', frame: reply([]) });
    expect(replay.summary().errors).toBe(1);
  });
});
