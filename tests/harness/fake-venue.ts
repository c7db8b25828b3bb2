/**
 * Loopback stand-ins for the exchanges' public WebSocket (and REST) APIs, one dialect per venue,
 * speaking each venue's real handshake paths, subscribe/ack frames, heartbeats and idle cuts:
 *
 * | venue       | path                         | subscribe                         | heartbeat                          |
 * |-------------|------------------------------|-----------------------------------|------------------------------------|
 * | binance     | /market/stream?streams=a/b   | in the URL (+ live SUBSCRIBE)     | server protocol pings              |
 * | bybit       | /v5/public/{linear,inverse}  | {"op":"subscribe","args":[…]}     | {"op":"ping"} → pong JSON          |
 * | okx         | /ws/v5/public                | {"op":"subscribe","args":[{…}]}   | text ping → pong; 30 s idle cut    |
 * | bitmex      | /realtime                    | {"op":"subscribe"} → partial       | text ping → pong                   |
 * | deribit     | /ws/api/v2                   | public/subscribe (JSON-RPC)       | test_request must get public/test  |
 * | hyperliquid | /ws                          | {"method":"subscribe",…}          | {"method":"ping"} → pong           |
 *
 * Failure injection: drop connections, go silent, delay handshakes, send garbage, answer REST with
 * 429/418 + Retry-After. Frames are built from plain inputs (side, price, venue quantity), so tests
 * compare the parser's normalized output with what was sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { VenueId } from '../../lib/exchanges/types';
import { readRecording } from './recording';

export interface FakeClient {
  socket: WebSocket;
  path: string;
  topics: Set<string>;
  /** Binance's unrouted legacy paths connect but deliver no market streams. */
  routed: boolean;
  /** Every text message the client sent. */
  received: string[];
  lastClientMessageAt: number;
  lastServerMessageAt: number;
}

export interface LiquidationInput {
  symbol: string;
  liquidatedSide: 'long' | 'short';
  price: number;
  /** In the venue's own unit (contracts for OKX and BitMEX, USD for inverse). */
  qty: number;
  time?: number;
  id?: string;
}

export interface TradeInput {
  symbol: string;
  takerSide: 'buy' | 'sell';
  price: number;
  qty: number;
  id: string;
  time?: number;
}

export interface Publication {
  topic: string;
  frame: string;
}

export interface Dialect {
  venue: VenueId;
  /** 'routed' accepts and delivers; 'silent' accepts but never delivers; false refuses (404). */
  acceptPath(path: string): 'routed' | 'silent' | false;
  topicsFromUrl?(url: URL): string[];
  /** Frames sent right after the handshake (BitMEX's welcome). */
  welcome?(): string[];
  /** Handle one client message: replies, and topics it subscribed or unsubscribed. */
  onMessage(text: string, client: FakeClient): { replies: string[]; subscribed?: string[]; unsubscribed?: string[] };
  /** Frames sent when a topic is subscribed (BitMEX's table partial). */
  onSubscribed?(topic: string): string[];
  liquidation(l: LiquidationInput): Publication;
  trade(t: TradeInput): Publication;
  mark(symbol: string, price: number, time?: number): Publication;
  openInterest?(symbol: string, qty: number, price: number, time?: number): Publication;
  /** Deribit: the server's heartbeat probe, and whether a client message answers it. */
  heartbeatProbe?: { frame(): string; isAnswer(text: string): boolean };
  /** REST routes: path → response body (JSON text). */
  rest?: Record<string, (url: URL) => string>;
}

export interface FakeVenueOptions {
  /** Close a client that sent nothing for this long (venues' idle cuts). */
  clientIdleTimeoutMs?: number;
  /** Deribit-style heartbeat: probe every N ms, close when unanswered by the next probe. */
  heartbeatEveryMs?: number;
  /** Protocol-level ping frames every N ms (Binance). */
  pingEveryMs?: number;
  /** Hold every WebSocket upgrade for this long before completing it (slow network). */
  handshakeDelayMs?: number;
}

export class FakeVenueServer {
  readonly clients = new Set<FakeClient>();
  readonly history: FakeClient[] = [];
  /** Paths of every REST request, in order. */
  readonly restLog: string[] = [];
  /** REST failures to serve next: each request (to `path`, if given) takes the first matching one. */
  readonly restFailures: { status: number; retryAfterS?: number; path?: string }[] = [];
  /** While true, nothing is sent to clients and their pings go unanswered. */
  silent = false;
  /** While true, every REST request is answered 503 (a venue whose REST is down). */
  restDown = false;
  private waiters: ((c: FakeClient) => void)[] = [];
  private timers: ReturnType<typeof setInterval>[] = [];

  protected constructor(
    readonly dialect: Dialect,
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    readonly options: FakeVenueOptions,
  ) {}

  static async start(dialect: Dialect, options: FakeVenueOptions = {}): Promise<FakeVenueServer> {
    const http = createServer();
    const wss = new WebSocketServer({ noServer: true });
    const server = new this(dialect, http, wss, options);
    http.on('request', (req, res) => server.serveRest(req, res));
    http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const mode = dialect.acceptPath(url.pathname);
      if (!mode) return void socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      const complete = () => wss.handleUpgrade(req, socket, head, (ws) => server.accept(ws, url, mode));
      if (options.handshakeDelayMs) setTimeout(() => socket.writable && complete(), options.handshakeDelayMs);
      else complete();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    server.startTimers();
    return server;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  get restUrl(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  private serveRest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    this.restLog.push(url.pathname + url.search);
    // The extension's fetch comes from another origin: allow it, as a proxy would.
    const headers: Record<string, string> = { 'access-control-allow-origin': '*', 'content-type': 'application/json' };
    const index = this.restFailures.findIndex((f) => f.path === undefined || f.path === url.pathname);
    const failure = index >= 0 ? this.restFailures.splice(index, 1)[0] : undefined;
    if (this.restDown) return void res.writeHead(503, headers).end('{"error":"down"}');
    if (failure) {
      if (failure.retryAfterS !== undefined) headers['retry-after'] = String(failure.retryAfterS);
      return void res.writeHead(failure.status, headers).end('{"error":"injected"}');
    }
    const route = this.dialect.rest?.[url.pathname];
    if (!route) return void res.writeHead(404, headers).end('{"error":"not found"}');
    res.writeHead(200, headers).end(route(url));
  }

  private startTimers(): void {
    const { pingEveryMs, clientIdleTimeoutMs, heartbeatEveryMs } = this.options;
    if (pingEveryMs) this.timers.push(setInterval(() => this.clients.forEach((c) => !this.silent && c.socket.ping()), pingEveryMs));
    if (clientIdleTimeoutMs) {
      this.timers.push(
        setInterval(() => {
          for (const c of this.clients) if (Date.now() - c.lastClientMessageAt > clientIdleTimeoutMs) c.socket.close(4000, 'idle');
        }, clientIdleTimeoutMs / 4),
      );
    }
    const probe = this.dialect.heartbeatProbe;
    if (heartbeatEveryMs && probe) {
      const answered = new WeakMap<FakeClient, boolean>();
      this.timers.push(
        setInterval(() => {
          for (const c of this.clients) {
            if (answered.get(c) === false) {
              c.socket.close(4001, 'heartbeat not answered');
              continue;
            }
            answered.set(c, false);
            this.send(c, probe.frame());
          }
        }, heartbeatEveryMs),
      );
      this.answerHook = (c, text) => probe.isAnswer(text) && answered.set(c, true);
    }
  }

  private answerHook: ((c: FakeClient, text: string) => void) | null = null;

  private accept(socket: WebSocket, url: URL, mode: 'routed' | 'silent'): void {
    const now = Date.now();
    const client: FakeClient = {
      socket,
      path: url.pathname,
      topics: new Set(),
      routed: mode === 'routed',
      received: [],
      lastClientMessageAt: now,
      lastServerMessageAt: now,
    };
    this.clients.add(client);
    this.history.push(client);
    for (const f of this.dialect.welcome?.() ?? []) this.send(client, f);
    for (const t of this.dialect.topicsFromUrl?.(url) ?? []) this.subscribe(client, t);
    socket.on('message', (data) => {
      const text = data.toString();
      client.received.push(text);
      client.lastClientMessageAt = Date.now();
      this.answerHook?.(client, text);
      if (this.silent) return;
      const { replies, subscribed, unsubscribed } = this.dialect.onMessage(text, client);
      for (const r of replies) this.send(client, r);
      for (const t of subscribed ?? []) this.subscribe(client, t);
      for (const t of unsubscribed ?? []) client.topics.delete(t);
    });
    socket.on('close', () => this.clients.delete(client));
    for (const w of this.waiters.splice(0)) w(client);
  }

  private subscribe(client: FakeClient, topic: string): void {
    client.topics.add(topic);
    for (const f of this.dialect.onSubscribed?.(topic) ?? []) this.send(client, f);
  }

  private send(client: FakeClient, frame: string): void {
    if (client.socket.readyState !== client.socket.OPEN) return;
    client.socket.send(frame);
    client.lastServerMessageAt = Date.now();
  }

  waitForClient(timeoutMs = 10_000): Promise<FakeClient> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`no client connected to the fake ${this.dialect.venue} server within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push((c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
  }

  /** Deliver a publication to every routed client subscribed to its topic; returns how many. */
  publish(p: Publication): number {
    if (this.silent) return 0;
    let n = 0;
    for (const c of this.clients) {
      if (c.routed && c.topics.has(p.topic)) {
        this.send(c, p.frame);
        n += 1;
      }
    }
    return n;
  }

  liquidation(l: LiquidationInput): number {
    return this.publish(this.dialect.liquidation(l));
  }

  trade(t: TradeInput): number {
    return this.publish(this.dialect.trade(t));
  }

  mark(symbol: string, price: number, time?: number): number {
    return this.publish(this.dialect.mark(symbol, price, time));
  }

  /** Any text to every open client, whatever it subscribed (malformed-frame tests). */
  sendRaw(frame: string): void {
    for (const c of this.clients) this.send(c, frame);
  }

  /** Replay a recording's frames of this venue to every routed client, `speed` × faster than recorded. */
  async replay(path: string, { speed = 1 }: { speed?: number } = {}): Promise<number> {
    let first: number | null = null;
    const started = Date.now();
    let sent = 0;
    for await (const rec of readRecording(path)) {
      if (rec.venue !== this.dialect.venue) continue;
      first ??= rec.t;
      const wait = started + (rec.t - first) / speed - Date.now();
      if (wait > 5) await new Promise((r) => setTimeout(r, wait));
      for (const c of this.clients) if (c.routed) this.send(c, rec.frame);
      sent += 1;
    }
    return sent;
  }

  /**
   * One protocol-level ping to every client (Binance's heartbeat); resolves how many answered with
   * a pong within `timeoutMs`. Unit tests call this instead of waiting for a timer.
   */
  async pingAll(timeoutMs = 2_000): Promise<number> {
    const answers = [...this.clients].map(
      (c) =>
        new Promise<boolean>((resolve) => {
          const t = setTimeout(() => resolve(false), timeoutMs);
          c.socket.once('pong', () => {
            clearTimeout(t);
            resolve(true);
          });
          c.socket.ping();
        }),
    );
    return (await Promise.all(answers)).filter(Boolean).length;
  }

  /** Send the dialect's heartbeat probe (Deribit's test_request) to every client, once. */
  probeHeartbeat(): void {
    const probe = this.dialect.heartbeatProbe;
    if (!probe) throw new Error(`the ${this.dialect.venue} dialect has no heartbeat probe`);
    for (const c of this.clients) this.send(c, probe.frame());
  }

  /** Close every client: 1006 = the network died (no close frame), else a clean close with that code. */
  dropAll(code = 1006): void {
    for (const c of this.clients) {
      if (code === 1006) c.socket.terminate();
      else c.socket.close(code, 'fake server drop');
    }
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}
