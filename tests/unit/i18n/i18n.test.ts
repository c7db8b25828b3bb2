/**
 * lib/i18n as a trader in another language meets it: the catalogue of their language, plural forms
 * their language uses, numbers and dates written their way. Each test installs a catalogue and puts
 * English back after.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { currentLocale, formatList, t, tn, useCatalogue } from '../../../lib/i18n';
import { formatAge, formatPct, formatPrice, formatTime, formatUsd } from '../../../lib/ui/format';

const catalogue = (locale: string) => {
  const messages = JSON.parse(readFileSync(`public/_locales/${locale}/messages.json`, 'utf8')) as Record<string, { message: string }>;
  return (key: string) => messages[key]?.message ?? '';
};

afterEach(() => useCatalogue(catalogue('en'), 'en-US'));

describe('messages', () => {
  it('fill named placeholders and come from the installed catalogue', () => {
    expect(t('handleMatchedByPrice', { coin: 'BTC' })).toBe('BTC, matched by price');
    useCatalogue(catalogue('ja'), 'ja');
    expect(t('handleMatchedByPrice', { coin: 'BTC' })).toBe('BTC（価格で一致）');
  });

  it('choose the plural form the language uses for the count', () => {
    const cascade = (n: number) => tn('cascadeMessage', n, { target: 'BTC', side: '—' });
    expect([cascade(1), cascade(3)]).toEqual(['BTC, —, 1 liquidation', 'BTC, —, 3 liquidations']);
    useCatalogue(catalogue('ru'), 'ru');
    // Russian: 1 ликвидация, 3 ликвидации, 5 ликвидаций, 21 ликвидация.
    expect([1, 3, 5, 21].map(cascade)).toEqual([
      'BTC, —, 1 ликвидация',
      'BTC, —, 3 ликвидации',
      'BTC, —, 5 ликвидаций',
      'BTC, —, 21 ликвидация',
    ]);
  });

  it('ask the browser once per message, however often it is shown', () => {
    const asked: string[] = [];
    const en = catalogue('en');
    useCatalogue((key) => (asked.push(key), en(key)), 'en-US');
    for (let i = 0; i < 3; i++) {
      t('cancel');
      tn('cascadeMessage', i, { target: 'BTC', side: '—' });
    }
    expect(asked.sort()).toEqual(['cancel', 'cascadeMessage__one', 'cascadeMessage__other']);
  });

  it('show the key, never a blank, for a key the catalogue lacks', () => {
    useCatalogue(() => '', 'en-US');
    expect(t('cancel')).toBe('cancel');
  });
});

describe('numbers, dates and lists in the browser’s locale', () => {
  it('write a German trader’s price as 97.092,4, and English as 97,092.4', () => {
    expect(formatPrice(97_092.4)).toBe('97,092.4');
    useCatalogue(catalogue('en'), 'de-DE');
    expect(currentLocale()).toBe('de-DE');
    expect(formatPrice(97_092.4)).toBe('97.092,4');
    expect(formatUsd(1_234_567)).toBe('$1,23M');
    expect(formatPct(-0.4)).toBe('−0,40 %');
  });

  it('write times, ages and lists the locale’s way', () => {
    const at = new Date(2026, 11, 5, 18, 7).getTime();
    expect(formatTime(at)).toBe('Dec 5, 18:07');
    expect(formatAge(4 * 60_000)).toBe('4 min');
    expect(formatList(['Binance', 'OKX', 'Bybit'])).toBe('Binance, OKX, and Bybit');
    useCatalogue(catalogue('zh_CN'), 'zh-CN');
    expect(formatTime(at)).toBe('12月5日 18:07');
    expect(formatList(['Binance', 'OKX', 'Bybit'])).toBe('Binance、OKX和Bybit');
  });

  it('fall back to English for a malformed locale tag', () => {
    useCatalogue(catalogue('en'), 'not a locale!');
    expect(currentLocale()).toBe('en-US');
  });
});
