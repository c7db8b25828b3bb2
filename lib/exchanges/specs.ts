/**
 * Instrument specs: the one place venue quantities become coins and USD.
 *
 * Linear:  lots = qty × contractSize; USD = lots × price; coins = lots × baseMultiplier.
 * Inverse: USD = qty × contractSize;  coins = USD / price.
 * Stablecoin quotes (USDT, USDC) are taken as USD.
 */
import type { InstrumentSpec, SpecLookup, VenueId } from './types';

export class SpecBook implements SpecLookup {
  private readonly bySymbol = new Map<string, InstrumentSpec>();
  /** When the venue's REST list was last applied (epoch ms), if ever. */
  loadedAt: number | undefined;
  /** The symbols the venue's last list named (null before a list arrived). */
  private listed: Set<string> | null = null;

  constructor(defaults: readonly InstrumentSpec[] = []) {
    for (const s of defaults) this.bySymbol.set(s.symbol, s);
  }

  get(symbol: string): InstrumentSpec | undefined {
    return this.bySymbol.get(symbol);
  }

  /** Add or replace specs (a REST list refines the defaults; it never removes them). */
  set(specs: readonly InstrumentSpec[], at = Date.now()): void {
    for (const s of specs) this.bySymbol.set(s.symbol, s);
    this.listed = new Set(specs.map((s) => s.symbol));
    this.loadedAt = at;
  }

  /** Whether the venue lists this symbol: undefined until its instrument list has been loaded. */
  isListed(symbol: string): boolean | undefined {
    return this.listed ? this.listed.has(symbol) : undefined;
  }

  get size(): number {
    return this.bySymbol.size;
  }

  all(): InstrumentSpec[] {
    return [...this.bySymbol.values()];
  }
}

export function sizeFromContracts(spec: InstrumentSpec, qty: number, price: number): { baseQty: number; notionalUsd: number } {
  if (spec.inverse) {
    const usd = qty * spec.contractSize;
    return { baseQty: usd / price, notionalUsd: usd };
  }
  const lots = qty * spec.contractSize;
  return { baseQty: lots * spec.baseMultiplier, notionalUsd: lots * price };
}

/**
 * Coins per quoted lot for meme-coin symbols: `1000PEPEUSDT`, `1000000MOGUSDT` (prefix, Binance and
 * Bybit), `SHIB1000USDT` (suffix, Bybit), `kPEPE` (Hyperliquid). 1 for ordinary symbols.
 */
export function symbolBaseMultiplier(symbol: string): number {
  const prefix = /^(1000000|100000|10000|1000)(?=[A-Z])/.exec(symbol);
  if (prefix) return Number(prefix[1]);
  const suffix = /^[A-Z]+?(1000000|10000|1000)(?=USDT$|USDC$|PERP$)/.exec(symbol);
  if (suffix) return Number(suffix[1]);
  if (/^k[A-Z]{2,}$/.test(symbol)) return 1000;
  return 1;
}

/** XBT → BTC; strips the lot multiplier (1000PEPE, kPEPE → PEPE). */
export function normalizeBase(base: string): string {
  const b = base
    .replace(/^(1000000|100000|10000|1000)(?=[A-Z])/, '')
    .replace(/^k(?=[A-Z]{2,}$)/, '')
    .replace(/(1000000|10000|1000)$/, '');
  return b === 'XBT' ? 'BTC' : b;
}

/** A linear spec whose quantity is the quoted lot (Binance USD-M, Bybit linear, Hyperliquid). */
export function linearSpec(
  venue: VenueId,
  symbol: string,
  base: string,
  quote: string,
  extra: Partial<InstrumentSpec> = {},
): InstrumentSpec {
  return {
    venue,
    symbol,
    base: normalizeBase(base),
    quote,
    inverse: false,
    contractSize: 1,
    baseMultiplier: symbolBaseMultiplier(symbol),
    ...extra,
  };
}

/**
 * The coin an instrument trades, from its key alone (for aggregation before specs load):
 * `binance:1000PEPEUSDT` → PEPE, `okx:BTC-USDT-SWAP` → BTC, `bitmex:XBTUSD` → BTC, `hyperliquid:kPEPE` → PEPE,
 * `gate:BTC_USDT` → BTC, `kraken:PF_XBTUSD` → BTC.
 */
export function coinOf(instrument: string): string {
  // Called per liquidation per render and per snapshot share; instruments are few, so remembered.
  let coin = coins.get(instrument);
  if (coin === undefined) {
    if (coins.size >= 4_096) coins.clear();
    coins.set(instrument, (coin = coinOfUncached(instrument)));
  }
  return coin;
}
const coins = new Map<string, string>();

function coinOfUncached(instrument: string): string {
  // Kraken Futures prefixes the contract kind: PF_ (linear perpetual), PI_ (inverse), FF_/FI_ (dated).
  const symbol = instrument.slice(instrument.indexOf(':') + 1).replace(/^(PF|PI|FF|FI)_/, '');
  const head = symbol.split(/[-_]/)[0];
  const base = symbol.includes('-') || symbol.includes('_') ? head : head.replace(/(USDT|USDC|BUSD|USD|PERP)([FGHJKMNQUVXZ]\d\d)?$/, '');
  return normalizeBase(base || head);
}

/** Whether an instrument is coin-margined (inverse), from its key alone. */
export function isInverseInstrument(instrument: string): boolean {
  const [venue, symbol = ''] = instrument.split(/:(.*)/);
  switch (venue) {
    case 'bybit':
      return /USD$/.test(symbol) || /USD[FGHJKMNQUVXZ]\d\d$/.test(symbol);
    case 'okx':
      return /-USD-/.test(symbol);
    case 'bitmex':
      return /USD$/.test(symbol) && symbol.startsWith('XBT');
    case 'deribit':
      return !symbol.includes('_USDC');
    case 'kraken':
      return /^(PI|FI)_/.test(symbol);
    default:
      return false;
  }
}
