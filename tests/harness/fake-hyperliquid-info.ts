/**
 * A loopback stand-in for Hyperliquid's `POST /info`, as its docs describe it: a JSON body with a
 * `type`; `clearinghouseState` (weight 2) answers a wallet's positions from `world`, `meta` and
 * `recentTrades` cost 20; every request is weighed against 1 200 a minute per IP, and over that the
 * answer is 429 with a Retry-After. Time comes from `now` (a test's fake clock), so "a minute" is the
 * same minute the client's budget counts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePosition {
  coin: string;
  /** Signed coins: + long, − short. */
  szi: number;
  entryPx: number;
  leverage: number;
  margin: 'cross' | 'isolated';
  liquidationPx: number | null;
  /** Defaults to |szi| × entryPx. */
  positionValue?: number;
  /** Some clients see `leverage.value` as a string: serve it that way. */
  leverageAsString?: boolean;
}

const WEIGHTS: Record<string, number> = { clearinghouseState: 2, l2Book: 2, allMids: 2 };
export const HYPERLIQUID_WEIGHT_PER_MINUTE = 1_200;

export class FakeHyperliquidInfo {
  /** Wallet (lowercase) → open positions. */
  readonly world = new Map<string, FakePosition[]>();
  /** Every request: when (by `now`), its type and weight, and whether it was refused. */
  readonly log: { at: number; type: string; weight: number; status: number; user?: string }[] = [];
  /** Answer the next N requests with 429 whatever the weight. */
  forceRateLimit = 0;
  /** What `recentTrades` answers (the documented WsTrade objects, users included). */
  recentTrades: Record<string, unknown>[] = [];
  retryAfterS = 30;

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    private readonly now: () => number,
  ) {}

  static async start(now: () => number = Date.now): Promise<FakeHyperliquidInfo> {
    const server = createServer();
    const fake = new FakeHyperliquidInfo(server, now);
    server.on('request', (req, res) => void fake.serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Most weight accepted within any 60 s window (by `now`). */
  highestWeightPerMinute(): number {
    const ok = this.log.filter((r) => r.status === 200);
    let best = 0;
    let sum = 0;
    let start = 0;
    for (let i = 0; i < ok.length; i++) {
      sum += ok[i].weight;
      while (ok[i].at - ok[start].at >= 60_000) sum -= ok[start++].weight;
      best = Math.max(best, sum);
    }
    return best;
  }

  private usedLastMinute(at: number): number {
    return this.log.filter((r) => r.status === 200 && at - r.at < 60_000).reduce((s, r) => s + r.weight, 0);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = { 'content-type': 'application/json', 'access-control-allow-origin': '*' };
    // The extension's POST with a JSON body is preflighted from another origin: answer as a CORS proxy would.
    if (req.method === 'OPTIONS')
      return void res
        .writeHead(204, { ...headers, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type' })
        .end();
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== '/info')
      return void res.writeHead(404, headers).end('{"error":"not found"}');
    let body: { type?: unknown; user?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return void res.writeHead(400, headers).end('"Failed to deserialize the JSON body"');
    }
    const type = typeof body.type === 'string' ? body.type : '';
    const weight = WEIGHTS[type] ?? 20;
    const at = this.now();
    const user = typeof body.user === 'string' ? body.user.toLowerCase() : undefined;
    if (this.forceRateLimit > 0 || this.usedLastMinute(at) + weight > HYPERLIQUID_WEIGHT_PER_MINUTE) {
      this.forceRateLimit = Math.max(0, this.forceRateLimit - 1);
      this.log.push({ at, type, weight, status: 429, user });
      return void res.writeHead(429, { ...headers, 'retry-after': String(this.retryAfterS) }).end('null');
    }
    this.log.push({ at, type, weight, status: 200, user });
    if (type === 'clearinghouseState' && user) return void res.writeHead(200, headers).end(JSON.stringify(this.clearinghouse(user, at)));
    if (type === 'recentTrades') return void res.writeHead(200, headers).end(JSON.stringify(this.recentTrades));
    if (type === 'meta')
      return void res.writeHead(200, headers).end(JSON.stringify({ universe: [{ name: 'BTC', szDecimals: 5, maxLeverage: 40 }] }));
    res.writeHead(400, headers).end(`"Unknown request type ${type}"`);
  }

  /** The documented reply shape: strings for numbers, `leverage {type, value}`, `liquidationPx` maybe null. */
  private clearinghouse(user: string, at: number) {
    const positions = this.world.get(user) ?? [];
    const ntl = positions.reduce((s, p) => s + (p.positionValue ?? Math.abs(p.szi) * p.entryPx), 0);
    const summary = {
      accountValue: String(ntl / 5),
      totalNtlPos: String(ntl),
      totalRawUsd: String(ntl / 5),
      totalMarginUsed: String(ntl / 10),
    };
    return {
      marginSummary: summary,
      crossMarginSummary: summary,
      crossMaintenanceMarginUsed: String(ntl / 50),
      withdrawable: '0.0',
      assetPositions: positions.map((p) => {
        const value = p.positionValue ?? Math.abs(p.szi) * p.entryPx;
        return {
          type: 'oneWay',
          position: {
            coin: p.coin,
            szi: String(p.szi),
            leverage: {
              type: p.margin,
              value: p.leverageAsString ? String(p.leverage) : p.leverage,
              ...(p.margin === 'isolated' ? { rawUsd: String(-value) } : {}),
            },
            entryPx: String(p.entryPx),
            positionValue: String(value),
            unrealizedPnl: '0.0',
            returnOnEquity: '0.0',
            liquidationPx: p.liquidationPx === null ? null : String(p.liquidationPx),
            marginUsed: String(value / p.leverage),
            maxLeverage: 40,
            cumFunding: { allTime: '0.0', sinceOpen: '0.0', sinceChange: '0.0' },
          },
        };
      }),
      time: at,
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
