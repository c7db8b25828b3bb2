/**
 * The publisher alone, on a fake clock: nothing is built without listeners, pushes keep their rates,
 * a chart tab gets its coin's share, realized liquidations go out within a frame, and a listener
 * that refuses a delivery is dropped.
 */
import { describe, expect, it } from 'vitest';
import type { RealizedLiquidation } from '../../../lib/contract/market';
import { EMPTY_SNAPSHOT, type LiqSnapshot } from '../../../lib/contract/snapshot';
import type { ListenerId } from '../../../lib/worker/ports';
import { Publisher } from '../../../lib/worker/publisher';
import { FakeClock, nextTurn } from '../../harness/fake-clock';

const liquidation = (instrument: `bybit:${string}`, id: string): RealizedLiquidation => ({
  id,
  venue: 'bybit',
  instrument,
  liquidatedSide: 'long',
  price: 1,
  baseQty: 1,
  notionalUsd: 1,
  exchangeTime: 0,
  receiveTime: 0,
});

function setup(refuse = new Set<ListenerId>()) {
  const clock = new FakeClock(1_000_000);
  const published: [ListenerId, LiqSnapshot][] = [];
  const realized: [ListenerId, string[]][] = [];
  let built = 0;
  const market = {
    instruments: {
      'bybit:BTCUSDT': { liquidations: 0, longLiquidatedUsd: 0, shortLiquidatedUsd: 0 },
      'bybit:ETHUSDT': { liquidations: 0, longLiquidatedUsd: 0, shortLiquidatedUsd: 0 },
    },
    liquidations: [liquidation('bybit:BTCUSDT', 'b'), liquidation('bybit:ETHUSDT', 'e')],
    zones: {},
  };
  const publisher = new Publisher(
    {
      clock,
      publish: async (snapshot, listener) => (published.push([listener, snapshot]), !refuse.has(listener)),
      pushRealized: async (list, listener) => (realized.push([listener, list.map((l) => l.id)]), !refuse.has(listener)),
    },
    () => (built++, { ...EMPTY_SNAPSHOT, generatedAt: clock.now(), market }),
    (listener) => (listener === 'tab:1' ? 'ETH' : undefined),
  );
  return { clock, publisher, published, realized, built: () => built };
}

describe('publisher', () => {
  it('builds nothing while nobody listens', async () => {
    const { publisher, clock, built, realized } = setup();
    for (let i = 0; i < 10; i++) publisher.changed();
    publisher.realized([liquidation('bybit:BTCUSDT', 'x')]);
    await clock.advance(2_000);
    expect(built()).toBe(0);
    expect(realized).toEqual([]);
  });

  it('pushes to the popup at most every 250 ms and a chart tab once a second, its coin only', async () => {
    const { publisher, clock, published } = setup();
    publisher.listen('page');
    expect(publisher.listen('tab:1').market.liquidations.map((l) => l.id)).toEqual(['e']);
    for (let t = 0; t < 1_000; t += 50) {
      publisher.changed();
      await clock.advance(50);
    }
    const to = (l: ListenerId) => published.filter(([who]) => who === l);
    expect(to('page').length).toBeGreaterThanOrEqual(3);
    expect(to('page').length).toBeLessThanOrEqual(5);
    expect(to('tab:1').length).toBeLessThanOrEqual(2);
    expect(to('tab:1').every(([, s]) => Object.keys(s.market.instruments).join() === 'bybit:ETHUSDT')).toBe(true);
  });

  it('sends realized liquidations within a frame, batched, and drops a listener that refuses', async () => {
    const { publisher, clock, realized } = setup(new Set(['tab:1']));
    publisher.listen('page');
    publisher.listen('tab:1');
    publisher.realized([liquidation('bybit:BTCUSDT', 'a')]);
    publisher.realized([liquidation('bybit:ETHUSDT', 'b')]);
    await clock.advance(16);
    await nextTurn();
    expect(realized).toEqual([
      ['page', ['a', 'b']],
      ['tab:1', ['b']],
    ]);
    publisher.realized([liquidation('bybit:ETHUSDT', 'c')]);
    await clock.advance(16);
    await nextTurn();
    expect(realized.at(-1)).toEqual(['page', ['c']]); // the tab refused: it gets nothing more
  });
});
