/**
 * The background's side of the protocol, on WXT's fake browser: a UI asks for a snapshot and gets
 * one; pushes reach the tabs that asked, at most 4 times a second.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { registerMessaging } from '../../entrypoints/background/messaging';
import { MarketEngine } from '../../lib/model/engine';
import { FeedManager } from '../../lib/net/feed-manager';
import { removeAllListeners, sendMessage } from '../../lib/protocol';

beforeEach(() => {
  fakeBrowser.reset();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  removeAllListeners();
  vi.useRealTimers();
});

function setup() {
  const engine = new MarketEngine();
  const feeds = new FeedManager({ createSocket: () => ({}) as never, onEvents: () => {} });
  const messaging = registerMessaging({ engine: () => engine, feeds });
  return { engine, messaging };
}

describe('background messaging', () => {
  it('answers getSnapshot with the engine view', async () => {
    const { engine } = setup();
    engine.ingest([
      {
        kind: 'liquidation',
        venue: 'binance',
        instrument: 'binance:BTCUSDT',
        liquidatedSide: 'short',
        price: 101,
        baseQty: 2,
        notionalUsd: 202,
        exchangeTime: 5,
        receiveTime: 6,
      },
    ]);
    const snapshot = await sendMessage('getSnapshot');
    expect(snapshot.market.liquidations).toHaveLength(1);
    expect(snapshot.market.liquidations[0]).toMatchObject({ price: 101, liquidatedSide: 'short' });
    expect(snapshot.revision).toBe(engine.revision);
    expect(snapshot.feeds).toEqual([]);
  });

  it('pushes to subscribed tabs no more than every 250 ms, and forgets tabs that are gone', async () => {
    const { messaging } = setup();
    // Tab 1's overlay acknowledges pushes; tab 2 navigated away (Chrome answers with no response).
    const tabSend = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockImplementation(((
      tabId: number,
      _msg: unknown,
      _opts: unknown,
      cb?: (r: unknown) => void,
    ) => {
      cb?.(tabId === 1 ? { res: true } : undefined);
      return Promise.resolve(undefined);
    }) as never);
    // Two overlays subscribe by asking for a snapshot (the sender carries the tab).
    const listeners = fakeBrowser.runtime.onMessage as unknown as { trigger(...a: unknown[]): Promise<unknown> };
    for (const id of [1, 2]) await listeners.trigger({ id: 1, type: 'getSnapshot', timestamp: Date.now() }, { tab: { id } }, () => {});

    for (let i = 0; i < 100; i++) {
      messaging.push();
      await vi.advanceTimersByTimeAsync(10); // 100 changes in one second
    }
    await vi.runAllTimersAsync();
    const toTab1 = tabSend.mock.calls.filter((c) => c[0] === 1).length;
    expect(toTab1).toBeGreaterThanOrEqual(4);
    expect(toTab1).toBeLessThanOrEqual(5);
    // Tab 2 did not answer once and was dropped.
    expect(tabSend.mock.calls.filter((c) => c[0] === 2)).toHaveLength(1);
  });
});
