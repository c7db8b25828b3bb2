/**
 * The one WebSocket owner, on scripted sockets and a fake clock: everything that is the same for
 * every venue (reconnect, backoff with jitter, healthy reset, heartbeats, stale sockets, handshake
 * timeouts, every close code, 24 h rotation with no gap and no duplicate, stop). Each test runs
 * hours of a connection's life in a few milliseconds, the same way every time. The venues' own
 * dialects over real loopback sockets are in venue-protocol.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionPlan } from '../../../lib/exchanges/types';
import { DEFAULT_BACKOFF, FeedConnection } from '../../../lib/net/feed-connection';
import type { ConnectionStatus } from '../../../lib/contract/health';
import { FeedManager } from '../../../lib/net/feed-manager';
import { FakeClock } from '../../harness/fake-clock';
import { ScriptedSocket } from '../../harness/memory-ports';

const HOUR = 3_600_000;
const plan = (overrides: Partial<ConnectionPlan> = {}): ConnectionPlan => ({
  id: 'test/ws',
  url: 'wss://venue.example/ws',
  subscribeFrames: ['{"op":"subscribe","args":["trades.BTC"]}'],
  staleAfterMs: 30_000,
  ...overrides,
});

let conn: FeedConnection | null = null;
afterEach(() => {
  conn?.stop();
  conn = null;
});

function start(
  p: ConnectionPlan = plan(),
  options: { createSocket?: (url: string) => ScriptedSocket; onFrame?: (f: string) => string[] | void } = {},
) {
  const clock = new FakeClock();
  const sockets: ScriptedSocket[] = [];
  const frames: string[] = [];
  const states: ConnectionStatus['state'][] = [];
  conn = new FeedConnection({
    plan: p,
    clock,
    random: () => 0.5,
    createSocket:
      options.createSocket ??
      ((url) => {
        const s = new ScriptedSocket(url);
        sockets.push(s);
        return s;
      }),
    onFrame: (f) => {
      frames.push(f);
      return options.onFrame?.(f);
    },
    onStateChange: (s) => states.push(s.state),
  });
  conn.start();
  const c = conn;
  return { c, clock, sockets, frames, states, last: () => sockets[sockets.length - 1] };
}

describe('FeedConnection', () => {
  it("paces subscribe frames to the venue's message rate, keeping one a second for the keepalive", async () => {
    const frames = Array.from({ length: 7 }, (_, i) => `sub-${i}`);
    const { clock, last } = start(plan({ subscribeFrames: frames, maxMessagesPerSecond: 3 }));
    last().open();
    expect(last().sent).toEqual(['sub-0', 'sub-1']);
    await clock.advance(999);
    expect(last().sent).toHaveLength(2);
    await clock.advance(1);
    expect(last().sent).toEqual(['sub-0', 'sub-1', 'sub-2', 'sub-3']);
    await clock.advance(2_000);
    expect(last().sent).toEqual(frames);
  });

  it('stops pacing frames to a socket that closed', async () => {
    const { clock, last, sockets } = start(plan({ subscribeFrames: ['a', 'b', 'c', 'd'], maxMessagesPerSecond: 2 }));
    last().open();
    const first = sockets[0];
    first.drop();
    await clock.advance(1_000);
    expect(first.sent).toEqual(['a']);
  });

  it('opens, subscribes, delivers frames in order and sends back what the parser answers', () => {
    const { c, last, frames } = start(plan(), { onFrame: (f) => (f === 'probe' ? ['answer'] : undefined) });
    last().open();
    expect(last().sent).toEqual(['{"op":"subscribe","args":["trades.BTC"]}']);
    for (const f of ['a', 'b', 'probe', 'c']) last().receive(f);
    expect(frames).toEqual(['a', 'b', 'probe', 'c']);
    expect(last().sent.at(-1)).toBe('answer');
    expect(c.status).toMatchObject({ state: 'open', frames: 4, reconnects: 0, failedAttempts: 0, gaps: [] });
  });

  it('reconnects after a drop and records the outage as a gap, closed by the first frame after it', () => {
    const { c, clock, sockets, last } = start();
    last().open();
    last().receive('before');
    const lostAt = clock.now();
    clock.advanceSync(2_000);
    last().drop(1006);
    expect(c.status.state).toBe('backoff');
    expect(c.status.gaps).toEqual([{ from: lostAt, reason: 'closed with code 1006 (dropped by test)' }]);
    clock.advanceSync(c.status.nextRetryAt! - clock.now());
    expect(sockets).toHaveLength(2);
    last().open();
    expect(last().sent).toEqual(['{"op":"subscribe","args":["trades.BTC"]}']); // resubscribed
    expect(c.status.gaps[0].to).toBeUndefined(); // open, but no data yet
    clock.advanceSync(300);
    last().receive('after');
    expect(c.status.gaps).toEqual([{ from: lostAt, to: clock.now(), reason: expect.any(String) }]);
    expect(c.status.reconnects).toBe(1);
  });

  it.each([1000, 1001, 1008, 1011, 4000])('recovers from a close with code %i, and each is a gap', (code) => {
    const { c, clock, sockets, last } = start();
    last().open();
    last().receive('x');
    last().close(code, 'venue');
    expect(c.status.lastError).toBe(code === 1000 ? 'closed by venue' : `closed with code ${code} (venue)`);
    clock.advanceSync(DEFAULT_BACKOFF.initialMs);
    last().open();
    last().receive('y');
    expect(sockets).toHaveLength(2);
    expect(c.status.gaps).toHaveLength(1);
    expect(c.status.state).toBe('open');
  });

  it('backs off exponentially with equal jitter while the venue refuses, capped at a minute', () => {
    const { c, clock, sockets, last } = start();
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      last().drop(1006); // refused before it ever opened
      delays.push(c.status.nextRetryAt! - clock.now());
      clock.advanceSync(delays[i]);
    }
    // random = 0.5: three quarters of 1, 2, 4 … s, the base capped at 60 s.
    expect(delays).toEqual([750, 1_500, 3_000, 6_000, 12_000, 24_000, 45_000, 45_000, 45_000]);
    expect(sockets).toHaveLength(10);
    expect(c.status.gaps).toEqual([]); // never had data, so nothing was lost
    expect(c.status.lastError).toMatch(/closed with code 1006/);
  });

  it('a connection that stayed up 10 s starts its backoff from the first step again', () => {
    const { c, clock, last } = start();
    for (let i = 0; i < 4; i++) {
      last().drop();
      clock.advanceSync(c.status.nextRetryAt! - clock.now());
    }
    last().open();
    last().receive('x');
    clock.advanceSync(DEFAULT_BACKOFF.healthyAfterMs);
    last().receive('y');
    last().drop();
    expect(c.status.nextRetryAt! - clock.now()).toBe(750);
  });

  it('sends the keepalive on time while open, and only while open', () => {
    const { clock, last } = start(plan({ keepalive: { frame: 'ping', everyMs: 20_000 } }));
    clock.advanceSync(20_000);
    expect(last().sent).toEqual([]); // not open yet: nothing to send on
    last().open();
    for (let i = 0; i < 6; i++) {
      last().receive('data'); // the market keeps the socket fresh
      clock.advanceSync(10_000);
    }
    expect(last().sent.filter((f) => f === 'ping')).toHaveLength(3);
  });

  it('replaces a socket that went silent, and says so', () => {
    const { c, clock, sockets, last } = start(plan({ staleAfterMs: 30_000 }));
    last().open();
    last().receive('x');
    clock.advanceSync(29_000);
    expect(c.status.state).toBe('open');
    clock.advanceSync(10_000);
    expect(sockets[0].readyState).toBe(3);
    expect(c.status.lastError).toBe('no data for 30 s (stale socket)');
    expect(c.status.gaps).toHaveLength(1);
    clock.advanceSync(1_000);
    expect(sockets).toHaveLength(2);
  });

  it('leaves the silence check to its owner when told (one tick for every connection, no timer each)', () => {
    const clock = new FakeClock();
    const make = (outside: boolean) => {
      const sockets: ScriptedSocket[] = [];
      const c = new FeedConnection({
        plan: plan({ staleAfterMs: 30_000 }),
        clock,
        random: () => 0.5,
        staleCheckedOutside: outside,
        createSocket: (url) => {
          const s = new ScriptedSocket(url);
          sockets.push(s);
          return s;
        },
        onFrame: () => {},
      });
      c.start();
      sockets[0].open();
      sockets[0].receive('x');
      return { c, sockets };
    };
    const before = clock.pending;
    const own = make(false);
    const withOwnWatchdog = clock.pending - before;
    const ticked = make(true);
    expect(clock.pending - before - withOwnWatchdog).toBe(withOwnWatchdog - 1); // the same, but for the watchdog
    clock.advanceSync(40_000);
    expect(own.sockets[0].readyState).toBe(3); // its own watchdog found the silence
    expect(ticked.sockets[0].readyState).toBe(1); // nobody asked yet
    ticked.c.checkStale(); // the owner's tick
    expect(ticked.sockets[0].readyState).toBe(3);
    expect(ticked.c.status.lastError).toBe('no data for 30 s (stale socket)');
    own.c.stop();
    ticked.c.stop();
  });

  it('abandons a handshake that never completes, and says so', () => {
    const { c, clock, sockets } = start();
    clock.advanceSync(14_999);
    expect(c.status.state).toBe('connecting');
    clock.advanceSync(1);
    expect(c.status.lastError).toBe('no answer to the connection request within 15 s');
    expect(sockets[0].readyState).toBe(3);
    clock.advanceSync(1_000);
    expect(sockets).toHaveLength(2);
  });

  it('rotates before the 24 h lifetime cut with no gap and no duplicate frame', () => {
    const { c, clock, sockets, frames } = start(plan({ maxLifetimeMs: 24 * HOUR }));
    sockets[0].open();
    let n = 0;
    // A day of one frame every 10 s on whichever socket delivers.
    while (sockets.length === 1) {
      sockets[0].receive(`f${n++}`);
      clock.advanceSync(10_000);
    }
    expect(clock.now() - Date.UTC(2026, 10, 1, 12)).toBeGreaterThanOrEqual(24 * HOUR);
    const [old, next] = sockets;
    next.open();
    expect(next.sent).toEqual(['{"op":"subscribe","args":["trades.BTC"]}']);
    old.receive(`f${n++}`); // the old one serves until the new one has data
    expect(c.status.state).toBe('open');
    next.receive(`f${n++}`); // takes over
    expect(old.readyState).toBe(3);
    old.receive('late frame from the retired socket');
    next.receive(`f${n++}`);
    expect(frames).toEqual(Array.from({ length: n }, (_, i) => `f${i}`));
    expect(c.status).toMatchObject({ gaps: [], reconnects: 1, state: 'open' });
  });

  it('stop() closes the socket and never reconnects', () => {
    const { c, clock, sockets, last } = start(plan({ keepalive: { frame: 'ping', everyMs: 1_000 } }));
    last().open();
    c.stop();
    expect(sockets[0].readyState).toBe(3);
    clock.advanceSync(HOUR);
    expect(sockets).toHaveLength(1);
    expect(sockets[0].sent.filter((f) => f === 'ping')).toHaveLength(0);
    expect(c.status.state).toBe('stopped');
    expect(clock.pending).toBe(0);
  });

  it('reports an unusable endpoint override instead of throwing', () => {
    const { c } = start(plan({ url: 'not a url' }), {
      createSocket: (url) => {
        throw new SyntaxError(`Failed to construct 'WebSocket': The URL '${url}' is invalid.`);
      },
    });
    expect(c.status.state).toBe('backoff');
    expect(c.status.lastError).toMatch(/cannot open not a url: .*Check the endpoint override in Options/);
  });
});

describe('FeedManager', () => {
  const manager = () => {
    const clock = new FakeClock();
    const sockets: ScriptedSocket[] = [];
    const m = new FeedManager({
      clock,
      random: () => 0.5,
      onEvents: () => {},
      createSocket: (url) => {
        const s = new ScriptedSocket(url);
        sockets.push(s);
        return s;
      },
    });
    return { m, clock, sockets };
  };

  it('says which configured symbols the venue does not list, once its instrument list is in', async () => {
    const clock = new FakeClock();
    const m = new FeedManager({
      clock,
      onEvents: () => {},
      createSocket: (url) => new ScriptedSocket(url),
      fetch: async () => ({
        status: 200,
        headers: { get: () => null },
        text: async () => JSON.stringify({ symbols: [{ symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', filters: [] }] }),
      }),
    });
    m.configure([
      { venue: 'binance', symbols: ['BTCUSDT', 'BTCUSDTX'], endpoints: { ws: 'wss://binance.example', rest: 'https://binance.example' } },
    ]);
    expect(m.health()[0].unlisted).toEqual([]); // not known yet: no false alarm
    await clock.advance(0);
    await expect.poll(() => m.health()[0].specs.loadedAt).toBeDefined();
    expect(m.health()[0].unlisted).toEqual(['BTCUSDTX']);
    m.stopAll();
  });

  it('a venue that refuses is shown as down without touching another venue', () => {
    const { m, sockets } = manager();
    m.configure([
      { venue: 'binance', symbols: ['BTCUSDT'], endpoints: { ws: 'wss://blocked.example', rest: '' } },
      { venue: 'bybit', symbols: ['BTCUSDT'], endpoints: { ws: 'wss://bybit.example', rest: '' } },
    ]);
    const binance = sockets.find((s) => s.url.includes('blocked'))!;
    const bybit = sockets.find((s) => s.url.includes('bybit'))!;
    bybit.open();
    binance.drop(1006);
    const byVenue = Object.fromEntries(m.health().map((h) => [h.venue, h]));
    expect(byVenue.binance).toMatchObject({ state: 'down', lastError: expect.stringMatching(/1006/) });
    expect(byVenue.bybit).toMatchObject({ state: 'connected', reconnects: 0 });
    m.stopAll();
  });

  it('says so when the endpoint is wrong, and connects once it is fixed; other venues keep their socket', () => {
    const { m, clock, sockets } = manager();
    const bybit = { venue: 'bybit' as const, symbols: ['BTCUSDT'], endpoints: { ws: 'wss://bybit.example', rest: '' } };
    m.configure([bybit, { venue: 'okx', symbols: ['BTC-USDT-SWAP'], endpoints: { ws: 'wss://no-such-host.invalid', rest: '' } }]);
    sockets.find((s) => s.url.includes('bybit'))!.open();
    sockets.find((s) => s.url.includes('invalid'))!.drop(1006); // the browser's answer to an unresolvable host
    expect(m.health().find((h) => h.venue === 'okx')!.lastError).toMatch(/1006/);
    m.configure([bybit, { venue: 'okx', symbols: ['BTC-USDT-SWAP'], endpoints: { ws: 'wss://okx.example', rest: '' } }]);
    const okx = sockets.find((s) => s.url.includes('okx.example'))!;
    okx.open();
    clock.advanceSync(5_000);
    const byVenue = Object.fromEntries(m.health().map((h) => [h.venue, h]));
    expect(byVenue.okx.state).toBe('connected');
    expect(byVenue.bybit).toMatchObject({ state: 'connected', reconnects: 0 });
    expect(sockets.filter((s) => s.url.includes('bybit'))).toHaveLength(1);
    m.stopAll();
  });

  it('a full connection stays as it is: the next symbol gets one more connection, without the venue-wide channel again', () => {
    const { m, sockets } = manager();
    const endpoints = { ws: 'wss://okx.example', rest: '' };
    // OKX carries 60 instruments per connection.
    const sixty = Array.from({ length: 60 }, (_, i) => `C${i}-USDT-SWAP`);
    m.configure([{ venue: 'okx', symbols: sixty, endpoints }]);
    expect(sockets).toHaveLength(1);
    sockets[0].open();
    const sentBefore = sockets[0].sent.length;
    m.configure([{ venue: 'okx', symbols: [...sixty, 'DOGE-USDT-SWAP'], endpoints }]);
    expect(sockets).toHaveLength(2);
    expect(sockets[0].sent).toHaveLength(sentBefore);
    sockets[1].open();
    const args = sockets[1].sent.flatMap((f) => (JSON.parse(f) as { args: { channel: string; instId?: string }[] }).args);
    expect(args.map((a) => a.instId)).toEqual(['DOGE-USDT-SWAP', 'DOGE-USDT-SWAP', 'DOGE-USDT-SWAP']);
    expect(args.some((a) => a.channel === 'liquidation-orders')).toBe(false);
    expect(m.health()[0]).toMatchObject({ state: 'connected', reconnects: 0 });
    expect(m.health()[0].connections.map((c) => c.id)).toEqual(['okx/public-0', 'okx/public-0+1']);
    m.stopAll();
  });

  it("a symbol of another connection group (Bybit inverse beside linear) opens that group's connection", () => {
    const { m, sockets } = manager();
    const endpoints = { ws: 'wss://bybit.example', rest: '' };
    m.configure([{ venue: 'bybit', symbols: ['BTCUSDT'], endpoints }]);
    sockets[0].open();
    m.configure([{ venue: 'bybit', symbols: ['BTCUSDT', 'ETHUSDT', 'BTCUSD'], endpoints }]);
    expect(sockets.map((s) => s.url)).toEqual(['wss://bybit.example/v5/public/linear', 'wss://bybit.example/v5/public/inverse']);
    expect(sockets[0].sent.at(-1)).toBe(
      JSON.stringify({ op: 'subscribe', args: ['allLiquidation.ETHUSDT', 'publicTrade.ETHUSDT', 'tickers.ETHUSDT'] }),
    );
    m.stopAll();
  });

  it('a symbol removed while its connection is down is not subscribed again when it returns', async () => {
    const { m, sockets, clock } = manager();
    const endpoints = { ws: 'wss://bybit.example', rest: '' };
    m.configure([{ venue: 'bybit', symbols: ['BTCUSDT', 'ETHUSDT'], endpoints }]);
    sockets[0].open();
    sockets[0].drop(1006);
    m.configure([{ venue: 'bybit', symbols: ['ETHUSDT'], endpoints }]);
    await clock.advance(1_000);
    sockets[1].open();
    const frames = sockets[1].sent.map((f) => JSON.parse(f) as { op: string; args: string[] });
    // The plan's frames, then the change since: BTCUSDT off again before any data is counted for it.
    expect(frames.at(-1)).toEqual({ op: 'unsubscribe', args: ['allLiquidation.BTCUSDT', 'publicTrade.BTCUSDT', 'tickers.BTCUSDT'] });
    m.stopAll();
  });
});
