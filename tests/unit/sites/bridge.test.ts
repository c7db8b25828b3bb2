/** The page world is untrusted: only well-formed, tagged, sane chart reports cross into the extension. */
import { describe, expect, it } from 'vitest';
import { BRIDGE_TAG, NO_CHART, parseBridgeMessage, parseShowPrices } from '../../../lib/sites/bridge';
import { priceToY, yToPrice } from '../../../lib/sites/ladder';

const good = {
  tag: BRIDGE_TAG,
  report: {
    priceFrom: 96_000,
    priceTo: 98_000,
    pane: { x: 0, y: 41, width: 1130, height: 640 },
    mode: 'linear',
    timeFrom: Date.UTC(2026, 10, 23),
    timeTo: Date.UTC(2026, 10, 24),
    symbol: 'BINANCE:BTCUSDT.P',
  },
};

describe('bridge messages', () => {
  it('accepts a well-formed report', () => {
    expect(parseBridgeMessage(structuredClone(good))).toEqual(good.report);
  });

  it('carries the chart’s last price (a page without a symbol is matched by it)', () => {
    const withLast = { ...good, report: { ...good.report, lastPrice: 97_012.5 } };
    expect(parseBridgeMessage(structuredClone(withLast))?.valueOf()).toEqual(withLast.report);
  });

  it('says whether the chart can be scrolled to a price range, and takes only a sane range back', () => {
    expect(parseBridgeMessage({ ...good, report: { ...good.report, canShowPrices: true } })).toMatchObject({ canShowPrices: true });
    expect(parseBridgeMessage({ ...good, report: { ...good.report, canShowPrices: 'yes' } })).toBeNull();
    expect(parseShowPrices({ tag: BRIDGE_TAG, show: { from: 95_000, to: 99_000 } })).toEqual({ from: 95_000, to: 99_000 });
    for (const show of [{ from: 99_000, to: 95_000 }, { from: NaN, to: 1 }, { from: -1, to: 5 }, { from: 1, to: 1e300 }, [1, 2], null])
      expect(parseShowPrices({ tag: BRIDGE_TAG, show })).toBeNull();
    expect(parseShowPrices({ tag: 'other', show: { from: 1, to: 2 } })).toBeNull();
  });

  it('carries the chart’s pixel span and an inverted scale, and says when the chart is gone', () => {
    const tv = { ...good, report: { ...good.report, span: 639, inverted: true } };
    expect(parseBridgeMessage(structuredClone(tv))).toEqual(tv.report);
    expect(parseBridgeMessage({ tag: BRIDGE_TAG, report: NO_CHART })).toBe(NO_CHART);
    expect(parseBridgeMessage({ ...good, report: { ...good.report, span: 641 } })).toBeNull(); // beyond the pane
    expect(parseBridgeMessage({ ...good, report: { ...good.report, inverted: 'yes' } })).toBeNull();
  });

  it.each([
    ['no tag', { ...good, tag: undefined }],
    ['another tag', { ...good, tag: 'liqlens:bridge:v0' }],
    ['a string', JSON.stringify(good)],
    ['an array', [good]],
    ['NaN price', { ...good, report: { ...good.report, priceFrom: NaN } }],
    ['inverted range', { ...good, report: { ...good.report, priceFrom: 99_000 } }],
    ['huge price', { ...good, report: { ...good.report, priceTo: 1e300 } }],
    ['price as string', { ...good, report: { ...good.report, priceTo: '98000' } }],
    ['unknown mode', { ...good, report: { ...good.report, mode: 'percent' } }],
    ['log of zero', { ...good, report: { ...good.report, priceFrom: 0, mode: 'log' } }],
    ['zero-height pane', { ...good, report: { ...good.report, pane: { x: 0, y: 0, width: 10, height: 0 } } }],
    ['pane far away', { ...good, report: { ...good.report, pane: { x: 1e9, y: 0, width: 10, height: 10 } } }],
    ['time before Bitcoin', { ...good, report: { ...good.report, timeFrom: 0 } }],
    ['script in symbol', { ...good, report: { ...good.report, symbol: '<img src=x onerror=alert(1)>' } }],
    ['very long symbol', { ...good, report: { ...good.report, symbol: 'A'.repeat(500) } }],
    ['last price of zero', { ...good, report: { ...good.report, lastPrice: 0 } }],
    ['last price as string', { ...good, report: { ...good.report, lastPrice: '97000' } }],
    ['absurd last price', { ...good, report: { ...good.report, lastPrice: Infinity } }],
  ])('rejects %s', (_name, msg) => {
    expect(parseBridgeMessage(msg)).toBeNull();
  });

  it('never runs a getter or walks a prototype, and cannot pollute Object.prototype', () => {
    let ran = false;
    const sneaky = { tag: BRIDGE_TAG, report: {} as Record<string, unknown> };
    Object.defineProperty(sneaky.report, 'priceFrom', {
      get() {
        ran = true;
        return 1;
      },
      enumerable: true,
    });
    expect(parseBridgeMessage(sneaky)).toBeNull();
    expect(ran).toBe(false);
    const inherited = Object.create({ tag: BRIDGE_TAG, report: good.report });
    expect(parseBridgeMessage(inherited)).toBeNull();
    const polluting = JSON.parse(
      `{"tag":"${BRIDGE_TAG}","report":{"__proto__":{"polluted":true},"priceFrom":1,"priceTo":2,"mode":"linear","pane":{"x":0,"y":0,"width":1,"height":1}}}`,
    );
    parseBridgeMessage(polluting);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    class Fake {
      tag = BRIDGE_TAG;
      report = good.report;
    }
    expect(parseBridgeMessage(new Fake())).toBeNull();
  });
});

describe('price ↔ pixel', () => {
  it('puts the range’s edges span px apart, upside down when inverted, and inverts exactly', () => {
    const tv = { from: 96_000, to: 98_000, height: 640, mode: 'linear' as const, span: 639 };
    expect(priceToY(tv, 98_000)).toBe(0);
    expect(priceToY(tv, 96_000)).toBe(639); // TradingView's library: `from` on the bottom pixel row, H − 1
    const upside = { ...tv, inverted: true };
    expect(priceToY(upside, 96_000)).toBe(0);
    expect(priceToY(upside, 98_000)).toBe(639);
    for (const scale of [tv, upside, { ...upside, mode: 'log' as const }])
      for (const p of [96_000, 96_517.3, 98_000]) expect(yToPrice(scale, priceToY(scale, p))).toBeCloseTo(p, 6);
  });
});
