/**
 * The trader's own Hyperliquid account: read from the loopback info server (Hyperliquid's documented
 * clearinghouseState shape) at once, then every 30 s, inside the host's weight budget, with the
 * exchange's own liquidation price; a new address drops the old one's positions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WeightBudget } from '../../../lib/net/weight-budget';
import { MyAccountReader, READ_EVERY_MS } from '../../../lib/positions/my-account';
import { FakeClock, nextTurn } from '../../harness/fake-clock';
import { FakeHyperliquidInfo } from '../../harness/fake-hyperliquid-info';

const ME = `0x${'ab'.repeat(20)}`;
const OTHER = `0x${'cd'.repeat(20)}`;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function reader(budgetPerMinute = 300) {
  const clock = new FakeClock();
  const info = await FakeHyperliquidInfo.start(clock.now);
  const budget = new WeightBudget('127.0.0.1', budgetPerMinute, clock);
  let changes = 0;
  const r = new MyAccountReader({
    fetch: (url, init) => fetch(url, init),
    clock,
    budget: () => budget,
    infoUrl: () => `${info.url}/info`,
    changed: () => void changes++,
  });
  cleanup.push(
    () => r.stop(),
    () => info.close(),
  );
  // Between timers, let each answer arrive before time moves on.
  const settle = async () => {
    await nextTurn();
    while (r.busy) await nextTurn();
  };
  return { clock, info, budget, r, settle, changes: () => changes };
}

const reads = (info: FakeHyperliquidInfo, user: string) => info.log.filter((l) => l.type === 'clearinghouseState' && l.user === user);

describe('my Hyperliquid account', () => {
  it('is read at once and every 30 s, with the exchange’s own liquidation price (none where margin covers it)', async () => {
    const { clock, info, r, settle } = await reader();
    info.world.set(ME, [
      { coin: 'BTC', szi: 0.4, entryPx: 97_000, leverage: 20, margin: 'cross', liquidationPx: 91_250.5 },
      { coin: 'ETH', szi: -3, entryPx: 3_400, leverage: 3, margin: 'cross', liquidationPx: null },
    ]);
    r.setAddress(ME);
    await clock.advance(0, settle);
    expect(r.positions()).toEqual([
      {
        id: 'hl-BTC',
        source: 'hyperliquid',
        venue: 'hyperliquid',
        coin: 'BTC',
        side: 'long',
        entry: 97_000,
        size: 0.4,
        leverage: 20,
        liquidationPrice: 91_250.5,
      },
      { id: 'hl-ETH', source: 'hyperliquid', venue: 'hyperliquid', coin: 'ETH', side: 'short', entry: 3_400, size: 3, leverage: 3 },
    ]);
    expect(r.status()?.lastReadAt).toBe(clock.now());
    await clock.advance(READ_EVERY_MS * 4, settle);
    expect(reads(info, ME)).toHaveLength(5); // at once, then four more in two minutes: weight 2 each
  });

  it('waits for the budget instead of overspending it, and drops the old address’s positions on a new one', async () => {
    const { clock, info, budget, r, settle } = await reader();
    info.world.set(ME, [{ coin: 'BTC', szi: 0.4, entryPx: 97_000, leverage: 20, margin: 'cross', liquidationPx: 91_000 }]);
    while (budget.tryTake(2)); // the scanner spent this minute's weight
    r.setAddress(ME);
    await clock.advance(1_000, settle);
    expect(reads(info, ME)).toHaveLength(0);
    await clock.advance(60_000, settle);
    expect(reads(info, ME)).toHaveLength(1);
    expect(r.positions()).toHaveLength(1);
    r.setAddress(OTHER); // nobody's positions at that address
    expect(r.positions()).toEqual([]);
    await clock.advance(1_000, settle);
    expect(reads(info, OTHER)).toHaveLength(1);
    expect(r.positions()).toEqual([]);
    r.setAddress('');
    await clock.advance(READ_EVERY_MS * 2, settle);
    expect(reads(info, OTHER)).toHaveLength(1); // no address: nothing asked
  });
});
