/**
 * What differs per venue, against a loopback server speaking that venue's protocol: the subscribe
 * handshake and parse, the heartbeat dialect, resubscription after a drop with re-sent data dropped,
 * malformed frames, the instrument list over REST. FeedManager is the production code path with the
 * venue's real plan; its timers run on a fake clock, so a 20 s keepalive or a reconnect backoff is
 * one `advance` away. Behaviour that is the same for every venue (backoff, stale sockets, close
 * codes, rotation, handshake timeouts, 429/418) is tested once in feed-connection.test.ts and
 * rest-poller.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { getVenue } from '../../../lib/exchanges';
import type { VenueId } from '../../../lib/exchanges/types';
import { MarketModel } from '../../../lib/model';
import type { WebSocketLike } from '../../../lib/net/feed-connection';
import { FeedManager } from '../../../lib/net/feed-manager';
import type { VenueHealth } from '../../../lib/contract/health';
import type { FetchLike } from '../../../lib/net/rest-poller';
import { dialects } from '../../harness/dialects';
import { FakeClock } from '../../harness/fake-clock';
import { FakeVenueServer, type LiquidationInput } from '../../harness/fake-venue';

interface VenueCase {
  venue: VenueId;
  symbol: string;
  /** A second instrument of the venue, added and removed while the first streams. */
  other: string;
  /** A liquidation in venue units and what it must become; absent for Hyperliquid. */
  liquidation?: { input: LiquidationInput; baseQty: number; notionalUsd: number };
  /** How the venue checks that a client is alive: the client's keepalive, a protocol ping, or a test_request. */
  heartbeat: 'keepalive' | 'protocol-ping' | 'test-request';
}

const PRICE = 97_000;
const cases: VenueCase[] = [
  {
    venue: 'binance',
    symbol: 'BTCUSDT',
    other: 'ETHUSDT',
    liquidation: { input: { symbol: 'BTCUSDT', liquidatedSide: 'long', price: PRICE, qty: 0.5 }, baseQty: 0.5, notionalUsd: 48_500 },
    heartbeat: 'protocol-ping',
  },
  {
    venue: 'bybit',
    symbol: 'BTCUSDT',
    other: 'ETHUSDT',
    liquidation: { input: { symbol: 'BTCUSDT', liquidatedSide: 'long', price: PRICE, qty: 0.5 }, baseQty: 0.5, notionalUsd: 48_500 },
    heartbeat: 'keepalive',
  },
  {
    venue: 'okx',
    symbol: 'BTC-USDT-SWAP',
    other: 'ETH-USDT-SWAP',
    liquidation: { input: { symbol: 'BTC-USDT-SWAP', liquidatedSide: 'short', price: PRICE, qty: 50 }, baseQty: 0.5, notionalUsd: 48_500 },
    heartbeat: 'keepalive',
  },
  {
    venue: 'bitmex',
    symbol: 'XBTUSD',
    other: 'XBTUSDT',
    liquidation: {
      input: { symbol: 'XBTUSD', liquidatedSide: 'long', price: PRICE, qty: 48_500, id: 'order-1' },
      baseQty: 0.5,
      notionalUsd: 48_500,
    },
    heartbeat: 'keepalive',
  },
  {
    venue: 'deribit',
    symbol: 'BTC-PERPETUAL',
    other: 'ETH-PERPETUAL',
    liquidation: {
      input: { symbol: 'BTC-PERPETUAL', liquidatedSide: 'short', price: PRICE, qty: 48_500, id: 'trade-1' },
      baseQty: 0.5,
      notionalUsd: 48_500,
    },
    heartbeat: 'test-request',
  },
  { venue: 'hyperliquid', symbol: 'BTC', other: 'ETH', heartbeat: 'keepalive' },
  {
    venue: 'bitget',
    symbol: 'BTCUSDT',
    other: 'ETHUSDT',
    // The fake sends amount = price × coins (Bitget's liquidation amount is the quote value).
    liquidation: { input: { symbol: 'BTCUSDT', liquidatedSide: 'long', price: PRICE, qty: 0.5 }, baseQty: 0.5, notionalUsd: 48_500 },
    heartbeat: 'keepalive',
  },
  {
    venue: 'gate',
    symbol: 'BTC_USDT',
    other: 'ETH_USDT',
    // 5 000 contracts of 0.0001 BTC.
    liquidation: { input: { symbol: 'BTC_USDT', liquidatedSide: 'short', price: PRICE, qty: 5_000 }, baseQty: 0.5, notionalUsd: 48_500 },
    heartbeat: 'keepalive',
  },
  {
    venue: 'dydx',
    symbol: 'BTC-USD',
    other: 'ETH-USD',
    liquidation: {
      input: { symbol: 'BTC-USD', liquidatedSide: 'long', price: PRICE, qty: 0.5, id: 'fill-1' },
      baseQty: 0.5,
      notionalUsd: 48_500,
    },
    heartbeat: 'protocol-ping',
  },
  {
    venue: 'kraken',
    symbol: 'PF_XBTUSD',
    other: 'PF_ETHUSD',
    liquidation: {
      input: { symbol: 'PF_XBTUSD', liquidatedSide: 'short', price: PRICE, qty: 0.5, id: 'uid-1' },
      baseQty: 0.5,
      notionalUsd: 48_500,
    },
    heartbeat: 'keepalive',
  },
];

const createSocket = (url: string) => new WebSocket(url) as unknown as WebSocketLike;
const fetchImpl: FetchLike = (url, init) => fetch(url, init);
const until = (fn: () => boolean | undefined, timeout = 4_000) => expect.poll(fn, { timeout, interval: 10 }).toBe(true);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(c: VenueCase, withRest = false) {
  const server = await FakeVenueServer.start(dialects[c.venue]);
  const engine = new MarketModel();
  const clock = new FakeClock(Date.now());
  const manager = new FeedManager({
    createSocket,
    onEvents: (e) => engine.ingest(e),
    clock,
    random: () => 0.5,
    ...(withRest ? { fetch: fetchImpl } : {}),
  });
  cleanups.push(
    () => manager.stopAll(),
    () => server.close(),
  );
  manager.configure([{ venue: c.venue, symbols: [c.symbol], endpoints: { ws: server.url, rest: server.restUrl } }]);
  const health = (): VenueHealth => manager.health()[0];
  /** Publish a mark price until a subscribed client receives it. */
  const subscribed = () => until(() => server.mark(c.symbol, PRICE) > 0);
  const plan = getVenue(c.venue)!.connections({ ws: server.url, rest: server.restUrl }, [c.symbol])[0];
  return { server, engine, manager, health, subscribed, clock, plan };
}

describe.each(cases)('$venue over its own protocol', (c) => {
  it('subscribes and turns what the venue sends into normalized events', async () => {
    const { server, engine, health, subscribed } = await setup(c);
    await subscribed();
    await until(() => engine.instrumentStats()[`${c.venue}:${c.symbol}`]?.lastMarkPrice === PRICE);
    server.trade({ symbol: c.symbol, takerSide: 'sell', price: PRICE, qty: c.liquidation?.input.qty ?? 0.5, id: '42' });
    await until(() => engine.instrumentStats()[`${c.venue}:${c.symbol}`]?.trades === 1);
    expect(engine.instrumentStats()[`${c.venue}:${c.symbol}`].takerSellUsd).toBeGreaterThan(0);
    if (c.liquidation) {
      server.liquidation(c.liquidation.input);
      await until(() => engine.summary(100, 0).liquidations.length === 1);
      const [liq] = engine.summary(100, 0).liquidations;
      expect(liq).toMatchObject({ instrument: `${c.venue}:${c.symbol}`, liquidatedSide: c.liquidation.input.liquidatedSide, price: PRICE });
      expect(liq.baseQty).toBeCloseTo(c.liquidation.baseQty, 9);
      expect(liq.notionalUsd).toBeCloseTo(c.liquidation.notionalUsd, 6);
    }
    expect(health()).toMatchObject({ state: 'connected', errors: 0 });
  });

  it("answers the venue's heartbeat in its own dialect, and the answer is no error", async () => {
    const { server, health, subscribed, clock, plan } = await setup(c);
    await subscribed();
    const client = [...server.clients][0];
    if (c.heartbeat === 'keepalive') {
      // The venue cuts a client that sends nothing: the plan's ping goes out on time and is answered.
      expect(plan.keepalive, 'a keepalive in the plan').toBeDefined();
      const before = client.received.length;
      const skipped = health().skipped;
      await clock.advance(plan.keepalive!.everyMs);
      await until(() => client.received.length > before && health().skipped > skipped);
      expect(client.received.at(-1)).toBe(plan.keepalive!.frame);
    } else if (c.heartbeat === 'protocol-ping') {
      expect(await server.pingAll()).toBe(1);
    } else {
      server.probeHeartbeat();
      await until(() => client.received.some((m) => dialects[c.venue].heartbeatProbe!.isAnswer(m)));
    }
    await until(() => health().events > 0);
    expect(health()).toMatchObject({ state: 'connected', errors: 0, reconnects: 0 });
    expect(server.history).toHaveLength(1);
  });

  it('reconnects after a drop, resubscribes, records the gap, and drops re-sent data', async () => {
    const { server, engine, health, subscribed, clock } = await setup(c);
    await subscribed();
    if (c.liquidation) {
      server.liquidation({ ...c.liquidation.input, time: 1_790_000_000_000 });
      await until(() => engine.summary(100, 0).liquidations.length === 1);
    }
    const next = server.waitForClient();
    server.dropAll(1006);
    await until(() => health().state !== 'connected');
    await clock.advance(1_000); // the first backoff step
    await next;
    await subscribed(); // the new socket subscribed again
    await until(() => health().gaps.length === 1 && health().gaps[0].to !== undefined);
    if (c.liquidation) {
      // A venue snapshot re-delivers the same liquidation after the reconnect.
      server.liquidation({ ...c.liquidation.input, time: 1_790_000_000_000 });
      server.mark(c.symbol, PRICE + 1);
      await until(() => engine.instrumentStats()[`${c.venue}:${c.symbol}`]?.lastMarkPrice === PRICE + 1);
      expect(engine.summary(100, 0).liquidations).toHaveLength(1);
      // Where a liquidation is also a public trade (Deribit, dYdX, Kraken), both copies are dropped.
      expect(engine.duplicatesDropped).toBe(['deribit', 'dydx', 'kraken'].includes(c.venue) ? 2 : 1);
    }
    expect(health().state).toBe('connected');
  });

  it('counts malformed frames as errors and stays connected', async () => {
    const { server, health, subscribed } = await setup(c);
    await subscribed();
    for (const junk of ['{"unterminated', '[]', 'null', '{"x":1}', '42', '"text"']) server.sendRaw(junk);
    await until(() => health().errors >= 6);
    expect(health().recentErrors.length).toBeGreaterThan(0);
    expect(server.history).toHaveLength(1);
    expect(health().state).toBe('connected');
  });

  it('adds and removes an instrument on the open socket: no reconnect, the other keeps streaming', async () => {
    const { server, engine, manager, health, subscribed } = await setup(c);
    await subscribed();
    const endpoints = { ws: server.url, rest: server.restUrl };
    const trade = (symbol: string, id: string) => server.trade({ symbol, takerSide: 'buy', price: PRICE, qty: 1, id });
    manager.configure([{ venue: c.venue, symbols: [c.symbol, c.other], endpoints }]);
    // Subscribed on the same socket: the fake delivers the new instrument's trades.
    await until(() => trade(c.other, 'o-1') > 0);
    await until(() => engine.instrumentStats()[`${c.venue}:${c.other}`]?.trades === 1);
    manager.configure([{ venue: c.venue, symbols: [c.other], endpoints }]);
    // Unsubscribed: the fake has no subscriber for the first instrument's trades any more.
    await until(() => trade(c.symbol, 's-1') === 0);
    expect(trade(c.other, 'o-2')).toBe(1);
    await until(() => engine.instrumentStats()[`${c.venue}:${c.other}`]?.trades === 2);
    expect(server.history).toHaveLength(1);
    expect(health()).toMatchObject({ state: 'connected', reconnects: 0, errors: 0, symbols: [c.other] });
    expect(health().gaps).toEqual([]);
  });

  it('after a reconnect subscribes what the connection carries now, not its first plan', async () => {
    const { server, manager, subscribed, clock } = await setup(c);
    await subscribed();
    const endpoints = { ws: server.url, rest: server.restUrl };
    manager.configure([{ venue: c.venue, symbols: [c.other], endpoints }]);
    const trade = (symbol: string) => server.trade({ symbol, takerSide: 'buy', price: PRICE, qty: 1, id: 'x' });
    await until(() => trade(c.other) > 0 && trade(c.symbol) === 0);
    const next = server.waitForClient();
    server.dropAll(1006);
    await until(() => manager.health()[0].state !== 'connected');
    await clock.advance(1_000);
    await next;
    await until(() => trade(c.other) > 0);
    expect(trade(c.symbol)).toBe(0);
  });

  it('loads its instrument list over REST', async () => {
    const specPath = new URL(getVenue(c.venue)!.specs.request({ ws: '', rest: 'http://x' }).url).pathname;
    const { server, health, clock } = await setup(c, true);
    await clock.advance(0); // pollers start on the (fake) clock
    await until(() => health().specs.loadedAt !== undefined);
    expect(server.restLog.filter((p) => p.startsWith(specPath))).toHaveLength(1);
    expect(health().recentErrors).toEqual([]);
  });
});

describe('venue REST', () => {
  it("fetches a venue's public maintenance tiers for each symbol", async () => {
    const server = await FakeVenueServer.start(dialects.bybit);
    const got: [string, number][] = [];
    const clock = new FakeClock(Date.now());
    const manager = new FeedManager({
      createSocket,
      onEvents: () => {},
      fetch: fetchImpl,
      clock,
      onMarginTiers: (i, tiers) => got.push([i, tiers[0].mmr]),
    });
    cleanups.push(
      () => manager.stopAll(),
      () => server.close(),
    );
    manager.configure([{ venue: 'bybit', symbols: ['BTCUSDT', 'ETHUSDT'], endpoints: { ws: server.url, rest: server.restUrl } }]);
    await clock.advance(0);
    await until(() => got.length === 2);
    expect(got.sort()).toEqual([
      ['bybit:BTCUSDT', 0.005],
      ['bybit:ETHUSDT', 0.005],
    ]);
  });

  it('Binance open interest is polled over REST and lands in the model', async () => {
    const { engine, clock } = await setup(cases[0], true);
    await clock.advance(0);
    await until(() => engine.instrumentStats()['binance:BTCUSDT']?.openInterest !== undefined);
    expect(engine.instrumentStats()['binance:BTCUSDT'].openInterest).toBe(81234.567);
  });
});
