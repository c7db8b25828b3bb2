/**
 * A loopback stand-in for Binance USDⓈ-M's WebSocket market streams, speaking the real protocol:
 * - `/market/stream?streams=a/b/c` combined streams, payloads wrapped as `{"stream","data"}`;
 * - legacy unrouted `/stream` and `/ws` paths accept the connection but deliver no market streams
 *   (Binance's behaviour since 2026-04-23), so a client on the old URL sees a silent socket;
 * - live `SUBSCRIBE` / `UNSUBSCRIBE` / `LIST_SUBSCRIPTIONS` requests answered as `{"result","id"}`;
 * - protocol-level pings (every 3 min on the real venue; configurable here);
 * - more than 10 incoming messages per second closes the connection, as Binance does.
 * It can replay a recording file and generate forced orders, trades and mark prices.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { readRecording } from './recording';

export interface FakeBinanceClient {
  socket: WebSocket;
  path: string;
  streams: Set<string>;
  /** Whether market streams are delivered (only on the routed `/market` path). */
  routed: boolean;
  received: string[];
}

export interface ForceOrderInput {
  symbol: string;
  side: 'BUY' | 'SELL';
  price: number;
  qty: number;
  time?: number;
}

export class FakeBinanceServer {
  readonly clients = new Set<FakeBinanceClient>();
  /** Every connection ever accepted, in order (including closed ones). */
  readonly history: FakeBinanceClient[] = [];
  private waiters: ((c: FakeBinanceClient) => void)[] = [];
  private pingTimer: ReturnType<typeof setInterval> | null = null;

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
  ) {}

  static async start(options: { pingEveryMs?: number; port?: number } = {}): Promise<FakeBinanceServer> {
    const http = createServer((_req, res) => {
      res.writeHead(404).end();
    });
    const wss = new WebSocketServer({ noServer: true });
    const server = new FakeBinanceServer(http, wss);
    http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const known = ['/market/stream', '/stream', '/ws'].some((p) => url.pathname === p || url.pathname.startsWith('/ws/'));
      if (!known) {
        socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => server.accept(ws, url));
    });
    await new Promise<void>((resolve) => http.listen(options.port ?? 0, '127.0.0.1', resolve));
    if (options.pingEveryMs) {
      server.pingTimer = setInterval(() => {
        for (const c of server.clients) c.socket.ping();
      }, options.pingEveryMs);
    }
    return server;
  }

  /** Base URL to put in the extension's Binance WebSocket endpoint override. */
  get url(): string {
    return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  private accept(socket: WebSocket, url: URL): void {
    const streams = new Set((url.searchParams.get('streams') ?? '').split('/').filter(Boolean));
    const client: FakeBinanceClient = { socket, path: url.pathname, streams, routed: url.pathname === '/market/stream', received: [] };
    this.clients.add(client);
    this.history.push(client);
    let windowStart = Date.now();
    let inWindow = 0;
    socket.on('message', (data) => {
      const text = data.toString();
      client.received.push(text);
      if (Date.now() - windowStart > 1000) {
        windowStart = Date.now();
        inWindow = 0;
      }
      if (++inWindow > 10) {
        socket.close(1008, 'Too many requests');
        return;
      }
      this.answer(client, text);
    });
    socket.on('close', () => this.clients.delete(client));
    for (const w of this.waiters.splice(0)) w(client);
  }

  private answer(client: FakeBinanceClient, text: string): void {
    let req: { method?: string; params?: unknown; id?: unknown };
    try {
      req = JSON.parse(text);
    } catch {
      client.socket.send(JSON.stringify({ error: { code: 3, msg: 'Invalid JSON' } }));
      return;
    }
    const params = Array.isArray(req.params) ? req.params.filter((p): p is string => typeof p === 'string') : [];
    if (req.method === 'SUBSCRIBE') params.forEach((p) => client.streams.add(p));
    else if (req.method === 'UNSUBSCRIBE') params.forEach((p) => client.streams.delete(p));
    const result = req.method === 'LIST_SUBSCRIPTIONS' ? [...client.streams] : null;
    client.socket.send(JSON.stringify({ result, id: req.id }));
  }

  /** Resolves with the next accepted connection (or one accepted already, if `existing`). */
  waitForClient(timeoutMs = 10_000, existing = false): Promise<FakeBinanceClient> {
    const open = [...this.clients];
    if (existing && open.length > 0) return Promise.resolve(open[open.length - 1]);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no client connected to the fake Binance server within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push((c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
  }

  /** Send a payload on a stream to every routed client subscribed to it. Returns how many got it. */
  publish(stream: string, data: unknown): number {
    const frame = JSON.stringify({ stream, data });
    let n = 0;
    for (const c of this.clients) {
      if (c.routed && c.streams.has(stream) && c.socket.readyState === c.socket.OPEN) {
        c.socket.send(frame);
        n += 1;
      }
    }
    return n;
  }

  /** Send a raw text frame to every open client, whatever it subscribed (malformed-frame tests). */
  sendRaw(frame: string): void {
    for (const c of this.clients) if (c.socket.readyState === c.socket.OPEN) c.socket.send(frame);
  }

  forceOrder(o: ForceOrderInput): number {
    const time = o.time ?? Date.now();
    return this.publish('!forceOrder@arr', {
      e: 'forceOrder',
      E: time,
      o: {
        s: o.symbol,
        S: o.side,
        o: 'LIMIT',
        f: 'IOC',
        q: String(o.qty),
        p: String(o.price),
        ap: String(o.price),
        X: 'FILLED',
        l: String(o.qty),
        z: String(o.qty),
        T: time,
      },
    });
  }

  markPrice(symbol: string, price: number, time = Date.now()): number {
    return this.publish(`${symbol.toLowerCase()}@markPrice@1s`, {
      e: 'markPriceUpdate',
      E: time,
      s: symbol,
      p: price.toFixed(2),
      i: price.toFixed(2),
      P: price.toFixed(2),
      r: '0.00010000',
      T: time + 3_600_000,
    });
  }

  aggTrade(symbol: string, price: number, qty: number, takerSide: 'buy' | 'sell', id: number, time = Date.now()): number {
    return this.publish(`${symbol.toLowerCase()}@aggTrade`, {
      e: 'aggTrade',
      E: time,
      s: symbol,
      a: id,
      p: price.toFixed(2),
      q: qty.toFixed(3),
      nq: qty.toFixed(3),
      f: id,
      l: id,
      T: time,
      m: takerSide === 'sell',
    });
  }

  /**
   * Replay a recording's Binance frames to every routed client, `speed` times faster than recorded.
   * Frames are sent exactly as recorded (whatever their stream). Resolves with the count sent.
   */
  async replay(path: string, { speed = 1, signal }: { speed?: number; signal?: AbortSignal } = {}): Promise<number> {
    let first: number | null = null;
    const started = Date.now();
    let sent = 0;
    for await (const rec of readRecording(path)) {
      if (signal?.aborted) break;
      if (rec.venue !== 'binance') continue;
      first ??= rec.t;
      const due = started + (rec.t - first) / speed;
      const wait = due - Date.now();
      if (wait > 5) await new Promise((r) => setTimeout(r, wait));
      for (const c of this.clients) if (c.routed && c.socket.readyState === c.socket.OPEN) c.socket.send(rec.frame);
      sent += 1;
    }
    return sent;
  }

  /** Close every client connection, as a venue restart or network drop would. */
  dropAll(code = 1006): void {
    for (const c of this.clients) {
      if (code === 1006) c.socket.terminate();
      else c.socket.close(code, 'fake server drop');
    }
  }

  async close(): Promise<void> {
    if (this.pingTimer) clearInterval(this.pingTimer);
    // ws waits for connected clients on close(): terminate them first.
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}
