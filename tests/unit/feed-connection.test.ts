/**
 * The connection owner against a real WebSocket server on loopback (the fake Binance server):
 * reconnect after drops, backoff, stale detection, gap accounting, lifetime rotation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { binance } from '../../lib/exchanges/binance';
import type { ConnectionPlan } from '../../lib/exchanges/types';
import { FeedConnection, type ConnectionStatus, type WebSocketLike } from '../../lib/net/feed-connection';
import { FakeBinanceServer } from '../harness/fake-binance';

const createSocket = (url: string) => new WebSocket(url) as unknown as WebSocketLike;
const FAST_BACKOFF = { initialMs: 40, maxMs: 400, factor: 2, healthyAfterMs: 200 };

let server: FakeBinanceServer;
let conn: FeedConnection | null = null;

beforeEach(async () => {
  server = await FakeBinanceServer.start();
});
afterEach(async () => {
  conn?.stop();
  conn = null;
  await server.close();
});

function planFor(overrides: Partial<ConnectionPlan> = {}): ConnectionPlan {
  const [plan] = binance.connections({ ws: server.url, rest: '' }, ['BTCUSDT']);
  return { ...plan, staleAfterMs: 60_000, ...overrides };
}

function start(plan: ConnectionPlan, frames: string[] = [], states: ConnectionStatus['state'][] = []) {
  conn = new FeedConnection({
    plan,
    createSocket,
    onFrame: (f) => void frames.push(f),
    onStateChange: (s) => states.push(s.state),
    backoff: FAST_BACKOFF,
    random: () => 0.5,
  });
  conn.start();
  return conn;
}

const until = (fn: () => boolean, timeout = 3_000) => expect.poll(fn, { timeout, interval: 10 }).toBe(true);

describe('FeedConnection', () => {
  it('opens, delivers frames in order and reports them', async () => {
    const frames: string[] = [];
    const c = start(planFor(), frames);
    await server.waitForClient();
    await until(() => c.status.state === 'open');
    for (let i = 0; i < 5; i++) server.markPrice('BTCUSDT', 100 + i);
    await until(() => frames.length === 5);
    expect(frames.map((f) => JSON.parse(f).data.p)).toEqual(['100.00', '101.00', '102.00', '103.00', '104.00']);
    expect(c.status).toMatchObject({ frames: 5, reconnects: 0, failedAttempts: 0, gaps: [] });
  });

  it('reconnects after the venue drops it, and records the outage as a gap', async () => {
    const frames: string[] = [];
    const c = start(planFor(), frames);
    await server.waitForClient();
    server.markPrice('BTCUSDT', 1);
    await until(() => frames.length === 1);

    const reconnected = server.waitForClient();
    server.dropAll(1006);
    await until(() => c.status.state === 'backoff');
    expect(c.status.gaps).toHaveLength(1);
    expect(c.status.gaps[0].to).toBeUndefined(); // still open: no data yet
    await reconnected;
    await until(() => c.status.state === 'open');
    server.markPrice('BTCUSDT', 2);
    await until(() => frames.length === 2);
    const [gap] = c.status.gaps;
    expect(gap.to).toBeGreaterThanOrEqual(gap.from);
    expect(c.status.reconnects).toBe(1);
  });

  it('treats a silent socket as dead (the pre-2026 unrouted URL delivers nothing)', async () => {
    const silent = { ...planFor(), url: `${server.url}/stream?streams=btcusdt@markPrice@1s`, staleAfterMs: 300 };
    const c = start(silent);
    const first = await server.waitForClient();
    expect(first.routed).toBe(false);
    const second = server.waitForClient();
    await until(() => c.status.state === 'backoff' && /no data/.test(c.status.lastError ?? ''));
    await second; // and it tries again
  });

  it('backs off exponentially while the venue refuses, capped, and says why', async () => {
    const states: ConnectionStatus['state'][] = [];
    // Nothing listens on this path: the handshake is refused (404), as a geo-block looks to a browser.
    const c = start({ ...planFor(), url: `${server.url}/blocked` }, [], states);
    await until(() => c.status.failedAttempts >= 4);
    const s = c.status;
    expect(s.state === 'backoff' || s.state === 'connecting').toBe(true);
    expect(s.lastError).toMatch(/connection error|closed/);
    expect(s.gaps).toEqual([]); // never had data, so nothing was lost
    // With random = 0.5 the delay is 75 % of the exponential base: 30, 60, 120, 240 ms … capped at 400.
    expect(s.nextRetryAt! - Date.now()).toBeLessThanOrEqual(400);
  });

  it('rotates before the lifetime cut with no gap and no duplicate frame', async () => {
    const frames: string[] = [];
    const c = start(planFor({ maxLifetimeMs: 300 }), frames);
    const first = await server.waitForClient();
    await until(() => c.status.state === 'open');
    const second = await server.waitForClient();
    // Both sockets are open now; the new one takes over at its first frame, the old one is closed.
    server.markPrice('BTCUSDT', 7);
    await until(() => frames.length >= 1);
    await until(() => first.socket.readyState === first.socket.CLOSED);
    expect(second.socket.readyState).toBe(second.socket.OPEN);
    expect(frames).toHaveLength(1);
    expect(c.status.gaps).toEqual([]);
    expect(c.status.state).toBe('open');
  });

  it('sends its subscribe frames and keepalives on every socket', async () => {
    const plan = planFor({
      subscribeFrames: ['{"method":"SUBSCRIBE","params":["ethusdt@aggTrade"],"id":1}'],
      keepalive: { frame: '{"method":"LIST_SUBSCRIPTIONS","id":2}', everyMs: 50 },
    });
    start(plan);
    const client = await server.waitForClient();
    await until(() => client.received.length >= 3);
    expect(client.received[0]).toContain('SUBSCRIBE');
    expect(client.received.slice(1).every((m) => m.includes('LIST_SUBSCRIPTIONS'))).toBe(true);
    expect(client.topics.has('ethusdt@aggTrade')).toBe(true);
  });

  it('stop() closes the socket and never reconnects', async () => {
    const c = start(planFor());
    const client = await server.waitForClient();
    c.stop();
    await until(() => client.socket.readyState === client.socket.CLOSED);
    await new Promise((r) => setTimeout(r, 200));
    expect(server.clients.size).toBe(0);
    expect(c.status.state).toBe('stopped');
  });

  it('reports an unusable endpoint override instead of throwing', async () => {
    const c = start({ ...planFor(), url: 'not a url' });
    await until(() => c.status.state === 'backoff');
    expect(c.status.lastError).toMatch(/endpoint override/);
  });
});
