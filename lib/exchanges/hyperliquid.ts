/**
 * Hyperliquid perpetuals.
 *
 * There is NO public liquidation feed (only per-user events), so Hyperliquid contributes trades,
 * mark price and open interest to the estimate, and the UI says it has no realized liquidations.
 * Trades: `side` "B" = the taker bought, "A" = the taker sold; `sz` in coins (`kPEPE` = 1000 PEPE).
 * `activeAssetCtx` gives mark price, funding (hourly) and open interest in coins.
 * Heartbeat: `{"method":"ping"}` → `{"channel":"pong"}`; the server closes connections it has
 * sent nothing to for 60 s. Connection budgets are small (design for ≤ 2 per IP).
 */
import { VENUE_INFO } from './catalog';
import { failed, isPositive, isRecord, neverThrows, parseJson, preview, skipped, toNumber } from './parse-util';
import { markEvent, openInterestEvent, tradeEvent } from './events';
import { linearSpec, sizeFromContracts } from './specs';
import { withCum } from './margin-tiers';
import {
  instrumentKey,
  type ConnectionPlan,
  type MarginTierSource,
  type InstrumentSpec,
  type MarketEvent,
  type ParseOutcome,
  type SpecLookup,
  type VenueAdapter,
  type VenueEndpoints,
} from './types';

function liveFrames(method: 'subscribe' | 'unsubscribe', coins: string[]): string[] {
  return coins.flatMap((coin) => [
    JSON.stringify({ method, subscription: { type: 'trades', coin } }),
    JSON.stringify({ method, subscription: { type: 'activeAssetCtx', coin } }),
  ]);
}

function connections(endpoints: VenueEndpoints, symbols: string[]): ConnectionPlan[] {
  return [
    {
      id: 'hyperliquid/ws',
      url: `${endpoints.ws.replace(/\/+$/, '')}/ws`,
      subscribeFrames: liveFrames('subscribe', symbols),
      symbols,
      // Well inside both Hyperliquid's 60 s cut and Chrome's 30 s service-worker idle window.
      keepalive: { frame: '{"method":"ping"}', everyMs: 20_000 },
      staleAfterMs: 75_000,
    },
  ];
}

/** A Hyperliquid wallet address: 0x and 40 hex digits. Anything else in `users` is ignored. */
export function isWallet(v: unknown): v is string {
  return typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v);
}

const hlSpec = (coin: string, extra: Partial<InstrumentSpec> = {}) => linearSpec('hyperliquid', coin, coin, 'USDC', extra);

export function createParser(specs: SpecLookup) {
  const spec = (coin: string) => specs.get(coin) ?? hlSpec(coin);

  const trades = (data: unknown, receiveTime: number): ParseOutcome => {
    if (!Array.isArray(data)) return failed(`trades without data array: ${preview(data)}`);
    const out: MarketEvent[] = [];
    for (const t of data) {
      if (!isRecord(t) || typeof t.coin !== 'string') return failed(`trade malformed: ${preview(t)}`);
      const price = toNumber(t.px);
      const size = toNumber(t.sz);
      const time = toNumber(t.time);
      if ((t.side !== 'B' && t.side !== 'A') || !isPositive(price) || !isPositive(size) || !isPositive(time))
        return failed(`trade with bad fields: ${preview(t)}`);
      // tid alone is not unique: the docs pair it with the time and coin.
      const tradeId = t.tid !== undefined ? `${time}:${String(t.tid)}` : undefined;
      const event = tradeEvent(
        'hyperliquid',
        instrumentKey('hyperliquid', t.coin),
        t.side === 'B' ? 'buy' : 'sell',
        price,
        sizeFromContracts(spec(t.coin), size, price),
        time,
        receiveTime,
        tradeId,
      );
      // `users` is [buyer, seller]: public wallets whose positions (and liquidation prices) can be read.
      if (Array.isArray(t.users) && t.users.length === 2 && isWallet(t.users[0]) && isWallet(t.users[1]))
        event.wallets = [t.users[0].toLowerCase(), t.users[1].toLowerCase()];
      out.push(event);
    }
    return { status: 'events', events: out };
  };

  const assetCtx = (data: unknown, receiveTime: number): ParseOutcome => {
    if (!isRecord(data) || typeof data.coin !== 'string' || !isRecord(data.ctx))
      return failed(`activeAssetCtx malformed: ${preview(data)}`);
    const { coin, ctx } = data;
    const mark = toNumber(ctx.markPx);
    if (!isPositive(mark)) return failed(`activeAssetCtx without mark price: ${preview(data)}`);
    const instrument = instrumentKey('hyperliquid', coin);
    const out: MarketEvent[] = [
      markEvent('hyperliquid', instrument, mark, receiveTime, receiveTime, toNumber(ctx.oraclePx), toNumber(ctx.funding)),
    ];
    const oi = toNumber(ctx.openInterest);
    if (oi >= 0) out.push(openInterestEvent('hyperliquid', instrument, spec(coin), oi, mark, receiveTime, receiveTime));
    return { status: 'events', events: out };
  };

  return neverThrows((frame, receiveTime) => {
    const parsed = parseJson(frame);
    if (!parsed.ok) return failed(parsed.error);
    const msg = parsed.value;
    if (!isRecord(msg) || typeof msg.channel !== 'string') return failed(`unknown message: ${preview(frame)}`);
    switch (msg.channel) {
      case 'trades':
        return trades(msg.data, receiveTime);
      case 'activeAssetCtx':
        return assetCtx(msg.data, receiveTime);
      case 'pong':
      case 'subscriptionResponse':
      case 'l2Book':
      case 'allMids':
      case 'bbo':
      case 'candle':
        return skipped(msg.channel);
      case 'error':
        return failed(`Hyperliquid error: ${preview(msg.data)}`);
    }
    return failed(`unknown channel ${preview(msg.channel)}`);
  });
}

/** `POST /info {"type":"meta"}`: the perp universe with size decimals and max leverage. */
function parseMeta(body: string): InstrumentSpec[] | { error: string } {
  const parsed = parseJson(body);
  const v = parsed.ok ? parsed.value : undefined;
  // metaAndAssetCtxs answers [meta, ctxs]; meta answers the object alone.
  const meta = Array.isArray(v) ? v[0] : v;
  if (!isRecord(meta) || !Array.isArray(meta.universe)) return { error: `meta without universe: ${preview(body)}` };
  const specs: InstrumentSpec[] = [];
  for (const u of meta.universe) {
    if (!isRecord(u) || typeof u.name !== 'string' || u.isDelisted === true) continue;
    const lev = toNumber(u.maxLeverage);
    specs.push(hlSpec(u.name, isPositive(lev) ? { maxLeverage: lev } : {}));
  }
  return specs.length ? specs : { error: 'meta listed no coin' };
}

/**
 * `POST /info {"type":"meta"}` margin tables: each coin's table lists tiers by `lowerBound` (USD)
 * with a max leverage; maintenance margin is half the initial margin at that leverage,
 * mmr = 1 / (2 × maxLeverage) (Hyperliquid's liquidation docs).
 */
const marginTiers: MarginTierSource = {
  request: (endpoints) => ({ url: `${endpoints.rest.replace(/\/+$/, '')}/info`, method: 'POST', body: '{"type":"meta"}', weight: 20 }),
  parse(body, symbol) {
    const v = parseJson(body);
    const meta = v.ok ? (Array.isArray(v.value) ? v.value[0] : v.value) : undefined;
    if (!isRecord(meta) || !Array.isArray(meta.universe)) return { error: `meta without universe: ${preview(body)}` };
    const coin = meta.universe.find((u) => isRecord(u) && u.name === symbol);
    if (!isRecord(coin)) return { error: `meta has no ${symbol}` };
    const tableId = coin.marginTableId ?? coin.maxLeverage;
    const table = Array.isArray(meta.marginTables) ? meta.marginTables.find((t) => Array.isArray(t) && t[0] === tableId) : undefined;
    const rows = Array.isArray(table) && isRecord(table[1]) && Array.isArray(table[1].marginTiers) ? table[1].marginTiers : undefined;
    if (!rows) return { error: `no margin table ${String(tableId)} for ${symbol}` };
    const bounds = rows.flatMap((r) =>
      isRecord(r) && isPositive(toNumber(r.maxLeverage)) ? [{ lower: toNumber(r.lowerBound) || 0, lev: toNumber(r.maxLeverage) }] : [],
    );
    bounds.sort((a, b) => a.lower - b.lower);
    return withCum(bounds.map((b, i) => ({ maxNotionalUsd: bounds[i + 1]?.lower ?? Infinity, mmr: 1 / (2 * b.lev), maxLeverage: b.lev })));
  },
};

export const hyperliquid: VenueAdapter = {
  ...VENUE_INFO.hyperliquid,
  connections,
  liveFrames,
  // 1 000 subscriptions per IP, two per coin, and the trader's own Hyperliquid tab shares them.
  maxSymbolsPerConnection: 200,
  createParser,
  marginTiers,
  restLimit: 'info weight 1200 / min per IP (meta costs 20); 100 WebSocket connections, 1000 subscriptions',
  specs: {
    request: (e) => ({ url: `${e.rest.replace(/\/+$/, '')}/info`, method: 'POST', body: '{"type":"meta"}', weight: 20 }),
    parse: parseMeta,
    defaults: ['BTC', 'ETH', 'SOL'].map((c) => hlSpec(c)),
  },
};
