/**
 * Every venue's connection against a loopback server speaking that venue's protocol: subscribe,
 * heartbeat, forced disconnects, silent and slow sockets, malformed frames, REST rate limits.
 * FeedManager is the production code path; only intervals are shortened.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { getVenue } from '../../lib/exchanges';
import type { ConnectionPlan, VenueId } from '../../lib/exchanges/types';
import { MarketEngine } from '../../lib/model/engine';
import type { WebSocketLike } from '../../lib/net/feed-connection';
import { FeedManager, type VenueHealth } from '../../lib/net/feed-manager';
import type { FetchLike } from '../../lib/net/rest-poller';
import { dialects } from '../harness/dialects';
import { FakeVenueServer, type FakeVenueOptions, type LiquidationInput } from '../harness/fake-venue';

interface VenueCase {
  venue: VenueId;
  symbol: string;
  /** A liquidation in venue units and what it must become; absent for Hyperliquid. */
  liquidation?: { input: LiquidationInput; baseQty: number; notionalUsd: number };
  /** Server options that make it enforce the venue's heartbeat within the test's time. */
  heartbeat: FakeVenueOptions;
}

const PRICE = 97_000;
const cases: VenueCase[] = [
  {
    venue: 'binance',
    symbol: 'BTCUSDT',
    liquidation: { input: { symbol: 'BTCUSDT', liquidatedSide: 'long', price: PRICE, qty: 0.5 }, baseQty: 0.5, notionalUsd: 48_500 },
    heartbeat: { pingEveryMs: 100 },
  },
  {
    venue: 'bybit',
    symbol: 'BTCUSDT',
    liquidation: { input: { symbol: 'BTCUSDT', liquidatedSide: 'long', price: PRICE, qty: 0.5 }, baseQty: 0.5, notionalUsd: 48_500 },
    heartbeat: { clientIdleTimeoutMs: 600 },
  },
  {
    venue: 'okx',
    symbol: 'BTC-USDT-SWAP',
    liquidation: { input: { symbol: 'BTC-USDT-SWAP', liquidatedSide: 'short', price: PRICE, qty: 50 }, baseQty: 0.5, notionalUsd: 48_500 },
    heartbeat: { clientIdleTimeoutMs: 600 },
  },
  {
    venue: 'bitmex',
    symbol: 'XBTUSD',
    liquidation: {
      input: { symbol: 'XBTUSD', liquidatedSide: 'long', price: PRICE, qty: 48_500, id: 'order-1' },
      baseQty: 0.5,
      notionalUsd: 48_500,
    },
    heartbeat: { clientIdleTimeoutMs: 600 },
  },
  {
    venue: 'deribit',
    symbol: 'BTC-PERPETUAL',
    liquidation: {
      input: { symbol: 'BTC-PERPETUAL', liquidatedSide: 'short', price: PRICE, qty: 48_500, id: 'trade-1' },
      baseQty: 0.5,
      notionalUsd: 48_500,
    },
    heartbeat: { heartbeatEveryMs: 200 },
  },
  { venue: 'hyperliquid', symbol: 'BTC', heartbeat: { clientIdleTimeoutMs: 600 } },
];

const createSocket = (url: string) => new WebSocket(url) as unknown as WebSocketLike;
const fetchImpl: FetchLike = (url, init) => fetch(url, init);
const until = (fn: () => boolean | undefined, timeout = 4_000) => expect.poll(fn, { timeout, interval: 20 }).toBe(true);
const fast = (plan: ConnectionPlan): ConnectionPlan => ({
  ...plan,
  staleAfterMs: 700,
  ...(plan.keepalive ? { keepalive: { ...plan.keepalive, everyMs: 150 } } : {}),
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(c: VenueCase, options: FakeVenueOptions = {}, withRest = false, restFailures: FakeVenueServer['restFailures'] = []) {
  const server = await FakeVenueServer.start(dialects[c.venue], options);
  server.restFailures.push(...restFailures);
  const engine = new MarketEngine();
  const manager = new FeedManager({
    createSocket,
    onEvents: (e) => engine.ingest(e),
    backoff: { initialMs: 50, maxMs: 300, healthyAfterMs: 200 },
    connectTimeoutMs: 400,
    tunePlan: fast,
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
  return { server, engine, manager, health, subscribed };
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
      await until(() => engine.view().liquidations.length === 1);
      const [liq] = engine.view().liquidations;
      expect(liq).toMatchObject({ instrument: `${c.venue}:${c.symbol}`, liquidatedSide: c.liquidation.input.liquidatedSide, price: PRICE });
      expect(liq.baseQty).toBeCloseTo(c.liquidation.baseQty, 9);
      expect(liq.notionalUsd).toBeCloseTo(c.liquidation.notionalUsd, 6);
    }
    expect(health()).toMatchObject({ state: 'connected', errors: 0 });
  });

  it("keeps the connection alive with the venue's heartbeat", async () => {
    const { server, health, subscribed } = await setup(c, c.heartbeat);
    await subscribed();
    // Market data flows as on the real venue (Binance relies on it: markPrice@1s, no app ping).
    const ticking = setInterval(() => server.mark(c.symbol, PRICE), 200);
    await new Promise((r) => setTimeout(r, 1_500));
    clearInterval(ticking);
    // The server cuts idle or unanswered clients within 600 ms: still the first connection.
    expect(server.history).toHaveLength(1);
    expect(server.clients.size).toBe(1);
    expect(health()).toMatchObject({ state: 'connected', errors: 0, reconnects: 0 });
  });

  it('reconnects after a drop, resubscribes, records the gap, and drops re-sent data', async () => {
    const { server, engine, health, subscribed } = await setup(c);
    await subscribed();
    if (c.liquidation) {
      server.liquidation({ ...c.liquidation.input, time: 1_790_000_000_000 });
      await until(() => engine.view().liquidations.length === 1);
    }
    const next = server.waitForClient();
    server.dropAll(1006);
    await next;
    await subscribed(); // the new socket subscribed again
    await until(() => health().gaps.length === 1 && health().gaps[0].to !== undefined);
    if (c.liquidation) {
      // A venue snapshot re-delivers the same liquidation after the reconnect.
      server.liquidation({ ...c.liquidation.input, time: 1_790_000_000_000 });
      server.mark(c.symbol, PRICE + 1);
      await until(() => engine.instrumentStats()[`${c.venue}:${c.symbol}`]?.lastMarkPrice === PRICE + 1);
      expect(engine.view().liquidations).toHaveLength(1);
      // Deribit's liquidation is also a public trade: both copies are dropped.
      expect(engine.duplicatesDropped).toBe(c.venue === 'deribit' ? 2 : 1);
    }
    expect(health().state).toBe('connected');
  });

  it('replaces a socket that went silent', async () => {
    const { server, health, subscribed } = await setup(c);
    await subscribed();
    server.silent = true;
    const next = server.waitForClient();
    await until(() => /no data/.test(health().lastError ?? '') || server.history.length > 1);
    server.silent = false;
    await next;
    await subscribed();
    expect(health().gaps.length).toBeGreaterThanOrEqual(1);
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

  it('loads the instrument list over REST, waiting as told after a 429', async () => {
    const specPath = new URL(getVenue(c.venue)!.specs.request({ ws: '', rest: 'http://x' }).url).pathname;
    const { server, health } = await setup(c, {}, true, [{ status: 429, retryAfterS: 1, path: specPath }]);
    const started = Date.now();
    await until(() => health().specs.loadedAt !== undefined, 6_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const specRequests = server.restLog.filter((p) => p.startsWith(specPath));
    expect(specRequests.length).toBe(2);
    expect(health().recentErrors.some((e) => /429/.test(e))).toBe(true);
  });
});

describe.each(cases)('$venue in network trouble', (c) => {
  it('recovers from every kind of close (normal, going away, policy, server error, venue code), each a gap', async () => {
    const { server, health, subscribed } = await setup(c);
    await subscribed();
    const codes = [1000, 1001, 1008, 1011, 4000];
    for (const code of codes) {
      const next = server.waitForClient();
      server.dropAll(code);
      await next;
      await subscribed();
    }
    await until(() => health().gaps.length >= codes.length && health().gaps.every((g) => g.to !== undefined));
    expect(health().state).toBe('connected');
    expect(server.history).toHaveLength(codes.length + 1);
  });

  it('waits out a 418 ban for its Retry-After before asking again', async () => {
    const specPath = new URL(getVenue(c.venue)!.specs.request({ ws: '', rest: 'http://x' }).url).pathname;
    const { server, health } = await setup(c, {}, true, [{ status: 418, retryAfterS: 1, path: specPath }]);
    const started = Date.now();
    await until(() => health().specs.loadedAt !== undefined, 6_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.restLog.filter((p) => p.startsWith(specPath))).toHaveLength(2);
    expect(health().recentErrors.some((e) => /418/.test(e))).toBe(true);
  });

  it('says so when the host does not resolve, and connects once the endpoint is fixed', async () => {
    const { server, manager, health, subscribed } = await setup(c);
    await subscribed();
    manager.configure([{ venue: c.venue, symbols: [c.symbol], endpoints: { ws: 'ws://no-such-host.invalid:9', rest: '' } }]);
    await until(() => health().state !== 'connected' && health().lastError !== undefined);
    const next = server.waitForClient();
    manager.configure([{ venue: c.venue, symbols: [c.symbol], endpoints: { ws: server.url, rest: server.restUrl } }]);
    await next;
    await subscribed();
    await until(() => health().state === 'connected');
  });
});

describe('connections in trouble', () => {
  it('abandons a handshake that never completes, and says so', async () => {
    const { health } = await setup(cases[1], { handshakeDelayMs: 2_000 });
    await until(() => /no answer to the connection request/.test(health().lastError ?? ''));
    expect(health().state).not.toBe('connected');
  });

  it('Deribit closes a client that ignores its test_request; LiqLens answers and stays', async () => {
    const { server, health, subscribed } = await setup(cases[4], { heartbeatEveryMs: 150 });
    await subscribed();
    await new Promise((r) => setTimeout(r, 800));
    const answers = [...server.clients][0].received.filter((m) => m.includes('public/test'));
    expect(answers.length).toBeGreaterThanOrEqual(3);
    expect(server.history).toHaveLength(1);
    expect(health().errors).toBe(0);
  });

  it("fetches a venue's public maintenance tiers for each symbol", async () => {
    const server = await FakeVenueServer.start(dialects.bybit);
    const got: [string, number][] = [];
    const manager = new FeedManager({
      createSocket,
      onEvents: () => {},
      fetch: fetchImpl,
      onMarginTiers: (i, tiers) => got.push([i, tiers[0].mmr]),
    });
    cleanups.push(
      () => manager.stopAll(),
      () => server.close(),
    );
    manager.configure([{ venue: 'bybit', symbols: ['BTCUSDT', 'ETHUSDT'], endpoints: { ws: server.url, rest: server.restUrl } }]);
    await until(() => got.length === 2);
    expect(got.sort()).toEqual([
      ['bybit:BTCUSDT', 0.005],
      ['bybit:ETHUSDT', 0.005],
    ]);
  });

  it('Binance open interest is polled over REST and lands in the model', async () => {
    const { engine } = await setup(cases[0], {}, true);
    await until(() => engine.instrumentStats()['binance:BTCUSDT']?.openInterest === 81234.567);
  });

  it('a venue that refuses the handshake is shown as down without touching another venue', async () => {
    const good = await FakeVenueServer.start(dialects.bybit);
    const engine = new MarketEngine();
    const manager = new FeedManager({
      createSocket,
      onEvents: (e) => engine.ingest(e),
      backoff: { initialMs: 50, maxMs: 200 },
      tunePlan: fast,
    });
    cleanups.push(
      () => manager.stopAll(),
      () => good.close(),
    );
    manager.configure([
      { venue: 'binance', symbols: ['BTCUSDT'], endpoints: { ws: `${good.url}/refused`, rest: '' } },
      { venue: 'bybit', symbols: ['BTCUSDT'], endpoints: { ws: good.url, rest: '' } },
    ]);
    await until(() => good.mark('BTCUSDT', PRICE) > 0);
    await until(() => manager.health().find((h) => h.venue === 'binance')!.lastError !== undefined);
    const byVenue = Object.fromEntries(manager.health().map((h) => [h.venue, h]));
    expect(byVenue.binance.state).not.toBe('connected');
    expect(byVenue.bybit.state).toBe('connected');
    await until(() => engine.instrumentStats()['bybit:BTCUSDT']?.lastMarkPrice === PRICE);
  });
});
