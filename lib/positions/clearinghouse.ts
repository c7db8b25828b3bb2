/**
 * Hyperliquid's `POST /info {"type":"clearinghouseState","user":"0x…"}`: one wallet's perpetual
 * positions with the exchange's own liquidation price. The reply does not name the wallet (the
 * caller keeps the request with it). Numbers arrive as decimal strings; `leverage.value` is a number
 * in the docs and a string in some clients; `liquidationPx` is null when the position cannot be
 * liquidated (enough cross margin). Anything malformed is an error with the reason, never a throw.
 *
 * Docs: Hyperliquid API, Info endpoint → Perpetuals → "Retrieve user's perpetuals account summary".
 */
import { isRecord, parseJson, preview, toNumber } from '../exchanges/parse-util';

export interface WalletPosition {
  coin: string;
  side: 'long' | 'short';
  /** Coins, unsigned (`szi` is signed: + long, − short). */
  size: number;
  entryPx: number;
  /** USD value at the mark price (`positionValue`). */
  positionValue: number;
  leverage: number;
  margin: 'cross' | 'isolated';
  /** The exchange's liquidation price; null: cannot be liquidated at any price now. */
  liquidationPx: number | null;
}

export interface ClearinghouseReading {
  positions: WalletPosition[];
  /** The venue's time of the state (ms), when given. */
  time?: number;
  /** Account value of the cross-margin account (USD). */
  accountValue?: number;
}

/** The request body, exactly as sent (and as recorded: docs/recording.md). */
export function clearinghouseRequest(user: string): string {
  return JSON.stringify({ type: 'clearinghouseState', user });
}

/** Weight of one `clearinghouseState` request against the per-IP budget (Hyperliquid's rate-limit docs). */
export const CLEARINGHOUSE_WEIGHT = 2;

export function parseClearinghouseState(body: string): ClearinghouseReading | { error: string } {
  const parsed = parseJson(body);
  if (!parsed.ok) return { error: parsed.error };
  const v = parsed.value;
  if (!isRecord(v) || !Array.isArray(v.assetPositions)) return { error: `clearinghouseState without assetPositions: ${preview(body)}` };
  const positions: WalletPosition[] = [];
  for (const ap of v.assetPositions) {
    const p = isRecord(ap) ? ap.position : undefined;
    if (!isRecord(p) || typeof p.coin !== 'string' || !/^[A-Za-z0-9:_-]{1,20}$/.test(p.coin))
      return { error: `position malformed: ${preview(ap)}` };
    const szi = toNumber(p.szi);
    const entryPx = toNumber(p.entryPx);
    const positionValue = toNumber(p.positionValue);
    const lev = isRecord(p.leverage) ? p.leverage : undefined;
    const leverage = toNumber(lev?.value);
    const margin = lev?.type === 'isolated' ? 'isolated' : lev?.type === 'cross' ? 'cross' : undefined;
    const liq = p.liquidationPx === null || p.liquidationPx === undefined ? null : toNumber(p.liquidationPx);
    if (!Number.isFinite(szi) || !(entryPx > 0) || !(positionValue >= 0) || !(leverage >= 1 && leverage <= 1_000) || !margin)
      return { error: `position with bad fields: ${preview(p)}` };
    if (liq !== null && !(liq >= 0 && Number.isFinite(liq))) return { error: `position with a bad liquidation price: ${preview(p)}` };
    if (szi === 0) continue; // a closed leg still listed
    positions.push({
      coin: p.coin,
      side: szi > 0 ? 'long' : 'short',
      size: Math.abs(szi),
      entryPx,
      positionValue,
      leverage,
      margin,
      // A liquidation price of 0 (a long that no price can liquidate) is no level either.
      liquidationPx: liq === null || liq === 0 ? null : liq,
    });
  }
  const time = toNumber(v.time);
  const accountValue = isRecord(v.crossMarginSummary) ? toNumber(v.crossMarginSummary.accountValue) : NaN;
  return {
    positions,
    ...(time > 0 ? { time } : {}),
    ...(Number.isFinite(accountValue) ? { accountValue } : {}),
  };
}
