/**
 * The words a trader reads, in the browser's language, from the extension's message catalogue
 * (public/_locales/<lang>/messages.json, the browser's own i18n: Chrome and Firefox pick the
 * catalogue of the browser's UI language and fall back to English key by key).
 *
 * - `t(key, params)`: a message with named placeholders, `{price}` in the catalogue. Values are
 *   formatted by the caller (lib/ui/format.ts, in the same locale) and inserted as text, never as
 *   markup: Preact renders them as text nodes.
 * - `tn(key, count, params)`: a message that depends on a count. The catalogue has one key per plural
 *   category the language uses (`key__one`, `key__few`, `key__many`, `key__other`, ...), chosen by
 *   `Intl.PluralRules` in the same locale ("1 liquidation", "2 liquidations"; Russian's one/few/many).
 *   `{count}` is the count, written in the locale's digits.
 *
 * Each surface calls `useCatalogue` once at start with `browser.i18n.getMessage` and the UI language;
 * lib/ stays plain TypeScript (Node tests load the English catalogue: tests/setup-i18n.ts).
 */
import type en from '../../public/_locales/en/messages.json';

/** Every key of the English catalogue (the default locale: every other locale has the same keys). */
export type CatalogueKey = keyof typeof en;
/** A key that has plural forms: `name` for `name__one` / `name__other`. */
export type PluralKey = CatalogueKey extends infer K ? (K extends `${infer Base}__other` ? Base : never) : never;
/** A key used alone (not one form of a plural). */
export type MessageKey = Exclude<CatalogueKey, `${string}__${string}`>;

export type Params = Record<string, string | number>;
/** `browser.i18n.getMessage`: '' for a key the catalogue does not have. */
export type Lookup = (key: string) => string;

let lookup: Lookup = () => '';
let uiLocale = 'en-US';
let plurals = new Intl.PluralRules(uiLocale);
/** Intl formatters of the current locale, each made once (making one costs more than formatting with it). */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) formatters.set(key, (f = make()));
  return f;
}

/** Install the catalogue and the locale numbers and plurals follow (`browser.i18n.getUILanguage()`). */
export function useCatalogue(source: Lookup, locale: string): void {
  // Each message read once: `getMessage` is a call into the browser's bindings with its arguments
  // checked, and the overlay reads its words four times a second (profiled on the chart page: ~8 %
  // of its script time). The catalogue cannot change while a surface runs.
  const read = new Map<string, string>();
  lookup = (key) => {
    let text = read.get(key);
    if (text === undefined) read.set(key, (text = source(key)));
    return text;
  };
  uiLocale = supportedLocale(locale);
  plurals = new Intl.PluralRules(uiLocale);
  formatters.clear();
}

/** The locale numbers and dates are written in (BCP 47, e.g. `de-DE`, `zh-CN`). */
export function currentLocale(): string {
  return uiLocale;
}

/** A locale Intl knows; anything else (an empty or malformed tag) is English. */
function supportedLocale(tag: string): string {
  try {
    return Intl.getCanonicalLocales(tag.replace(/_/g, '-'))[0] ?? 'en-US';
  } catch {
    return 'en-US';
  }
}

/** A message with its `{name}` placeholders filled; the key itself when the catalogue lacks it (visible, never blank). */
export function t(key: MessageKey, params?: Params): string {
  return fill(lookup(key) || key, params);
}

/** A message for a count, in the plural form the locale uses for it. */
export function tn(key: PluralKey, count: number, params?: Params): string {
  const category = plurals.select(count);
  const text = lookup(`${key}__${category}`) || lookup(`${key}__other`) || key;
  return fill(text, { count: formatCount(count), ...params });
}

/** An integer count in the locale's grouping (1,234 · 1.234 · 1 234). */
export function formatCount(n: number): string {
  return numberFormat(0, 0).format(n);
}

/** Numbers in the current locale with these decimals. */
export function numberFormat(minDecimals: number, maxDecimals: number, useGrouping = true): Intl.NumberFormat {
  return cached(
    `number|${minDecimals}|${maxDecimals}|${useGrouping}`,
    () => new Intl.NumberFormat(uiLocale, { minimumFractionDigits: minDecimals, maximumFractionDigits: maxDecimals, useGrouping }),
  );
}

/** An amount of time units as the locale writes it: `4 min` (short), `19 hours` (long). */
export function unitFormat(unit: 'second' | 'minute' | 'hour' | 'day', display: 'short' | 'long'): Intl.NumberFormat {
  return cached(
    `unit|${unit}|${display}`,
    () => new Intl.NumberFormat(uiLocale, { style: 'unit', unit, unitDisplay: display, maximumFractionDigits: 1 }),
  );
}

/** Dates and times in the current locale, local time, 24-hour clock; `name` tells apart the option sets. */
export function dateFormat(name: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(`date|${name}`, () => new Intl.DateTimeFormat(uiLocale, { hourCycle: 'h23', ...options }));
}

/**
 * Items in a list as the locale writes one: names joined ("Binance, OKX and Bybit", "Binance、OKX和
 * Bybit"), or figures side by side (`unit`: "25× 40 %, 50× 35 %").
 */
export function formatList(items: readonly string[], type: 'conjunction' | 'unit' = 'conjunction'): string {
  return cached(`list|${type}`, () => new Intl.ListFormat(uiLocale, { type, style: type === 'unit' ? 'short' : 'long' })).format(items);
}

const PLACEHOLDER = /\{(\w+)\}/g;

function fill(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(PLACEHOLDER, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The `{name}` placeholders a message uses (the catalogue check compares them across locales). */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort();
}
