/**
 * The sites the overlay runs on. Each entry is one family of chart pages; the content scripts'
 * declared match patterns are generated from this list (wxt.config.ts), and each site can be turned
 * off in settings. A site declared `atRunTime` is in no manifest pattern: its scripts are registered
 * by the worker only while it is on and its host was granted (as the user's own sites are). How a
 * page's chart is read is up to the chart adapters (lightweight-charts.ts, charting-library.ts);
 * users add their own sites as match patterns (settings.overlay.customSites).
 */
import { t, type MessageKey } from '../i18n';

export interface SiteDefinition {
  id: string;
  /** Its name: a venue or product name, the same in every language, unless `labelKey` words it. */
  label: string;
  labelKey?: MessageKey;
  /** Match patterns (https://developer.chrome.com/docs/extensions/develop/concepts/match-patterns). */
  matches: string[];
  defaultEnabled: boolean;
  /**
   * Not in the manifest: registered at run time while switched on, behind an optional host
   * permission asked for when the user turns it on. For pages most users never want touched.
   */
  atRunTime?: boolean;
}

export const sites: SiteDefinition[] = [
  { id: 'tradingview', label: 'TradingView', matches: ['https://*.tradingview.com/chart/*'], defaultEnabled: true },
  { id: 'binance', label: 'Binance Futures', matches: ['https://www.binance.com/*/futures/*'], defaultEnabled: true },
  { id: 'bybit', label: 'Bybit', matches: ['https://www.bybit.com/trade/*'], defaultEnabled: true },
  { id: 'okx', label: 'OKX', matches: ['https://www.okx.com/trade-swap/*', 'https://www.okx.com/*/trade-swap/*'], defaultEnabled: true },
  { id: 'bitmex', label: 'BitMEX', matches: ['https://www.bitmex.com/app/trade/*'], defaultEnabled: true },
  { id: 'deribit', label: 'Deribit', matches: ['https://www.deribit.com/futures/*'], defaultEnabled: true },
  { id: 'hyperliquid', label: 'Hyperliquid', matches: ['https://app.hyperliquid.xyz/trade*'], defaultEnabled: true },
  // The venues LiqLens streams whose trading pages chart with the Charting Library (found by API shape).
  {
    id: 'bitget',
    label: 'Bitget',
    matches: ['https://www.bitget.com/futures/*', 'https://www.bitget.com/*/futures/*'],
    defaultEnabled: true,
  },
  {
    id: 'gate',
    label: 'Gate',
    matches: [
      'https://www.gate.com/futures/*',
      'https://www.gate.com/*/futures/*',
      'https://www.gate.io/futures/*',
      'https://www.gate.io/*/futures/*',
    ],
    defaultEnabled: true,
  },
  { id: 'kraken', label: 'Kraken Futures', matches: ['https://futures.kraken.com/trade/*'], defaultEnabled: true },
  { id: 'dydx', label: 'dYdX', matches: ['https://dydx.trade/trade/*'], defaultEnabled: true },
  // Self-hosted and local chart pages (and the demo). Off by default: most localhost pages are not
  // charts, and a local dev server or notebook gets no script of ours unless the trader asks.
  {
    id: 'local',
    label: 'localhost',
    labelKey: 'siteLocal',
    matches: ['http://localhost/*', 'http://127.0.0.1/*'],
    defaultEnabled: false,
    atRunTime: true,
  },
];

/** A site's name as the trader reads it: venue and product names as they are, others in their language. */
export function siteLabel(site: SiteDefinition): string {
  return site.labelKey ? t(site.labelKey) : site.label;
}

/** Every pattern the content scripts are declared for in the manifest. */
export const overlayMatches: string[] = sites.filter((s) => !s.atRunTime).flatMap((s) => s.matches);

/**
 * The patterns the worker registers the content scripts for at run time: the run-time sites that
 * are on, and the user's own sites (each is on while it is listed).
 */
export function runTimeOverlayPatterns(overlay: { sites: Record<string, boolean>; customSites: readonly string[] }): string[] {
  const builtIn = sites.filter((s) => s.atRunTime && overlay.sites[s.id] === true).flatMap((s) => s.matches);
  return [...new Set([...builtIn, ...overlay.customSites])];
}

/**
 * Which site a page URL belongs to, by scheme and host (ports ignored, as in match patterns). Paths
 * are left to the manifest: the content script only runs where a full pattern matched.
 */
export function siteForUrl(url: string, customSites: readonly string[] = []): SiteDefinition | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const builtIn = sites.find((s) => s.matches.some((m) => matchesPattern(m, parsed)));
  if (builtIn) return builtIn;
  const custom = customSites.find((m) => matchesPattern(m, parsed));
  return custom ? { id: CUSTOM_SITE_ID, label: custom, matches: [custom], defaultEnabled: true } : undefined;
}

/** Site id of every user-added pattern (settings.overlay.customSites); each is on while it is listed. */
export const CUSTOM_SITE_ID = 'custom';

function matchesPattern(pattern: string, url: URL): boolean {
  const m = /^(\*|https?):\/\/([^/]+)\//.exec(pattern);
  if (!m) return false;
  const [, scheme, host] = m;
  if (scheme !== '*' && `${scheme}:` !== url.protocol) return false;
  if (host.startsWith('*.')) {
    const domain = host.slice(2);
    return url.hostname === domain || url.hostname.endsWith(`.${domain}`);
  }
  return url.hostname === host;
}
