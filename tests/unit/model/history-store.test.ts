import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { InstrumentHistory, MINUTE_MS, ROWS } from '../../../lib/model/history';
import { HistoryStore } from '../../../lib/model/history-store';

const T0 = Date.UTC(2026, 10, 1);
let store: HistoryStore | null = null;
afterEach(async () => {
  await store?.clear();
  store?.close();
  store = null;
});

function filled(minutes: number, start = T0): InstrumentHistory {
  const h = new InstrumentHistory();
  const est = new Float64Array(ROWS);
  const rl = new Float64Array(ROWS);
  for (let m = 0; m < minutes; m++) {
    est.fill(0);
    est[m % ROWS] = 10_000 + m;
    rl.fill(0);
    rl[(m * 7) % ROWS] = 500;
    h.push(start + m * MINUTE_MS, 90_000 + m, 100_000 + m, est, rl, new Float64Array(ROWS));
  }
  return h;
}

describe('history in IndexedDB', () => {
  it('survives a restart: what is loaded equals what was saved, column by column', async () => {
    store = await HistoryStore.open();
    const h = filled(150);
    await store.save('binance:BTCUSDT', h, 0);
    store.close();
    store = await HistoryStore.open();
    const { histories, skipped } = await store.loadAll();
    const back = histories.get('binance:BTCUSDT')!;
    expect(skipped).toBe(0);
    expect(back.minutes.length).toBe(150);
    for (const i of [0, 77, 149]) expect(back.minutes.get(i)).toEqual(h.minutes.get(i));
    expect(back.coarse.length).toBe(h.coarse.length);
  });

  it('rewrites only the hours that changed', async () => {
    store = await HistoryStore.open();
    const h = filled(125);
    await store.save('okx:BTC-USDT-SWAP', h, 0);
    const more = filled(130);
    await store.save('okx:BTC-USDT-SWAP', more, T0 + 120 * MINUTE_MS);
    const { histories } = await store.loadAll();
    expect(histories.get('okx:BTC-USDT-SWAP')!.minutes.length).toBe(130);
  });

  it('prunes chunks older than the rings keep', async () => {
    store = await HistoryStore.open();
    await store.save('bybit:BTCUSDT', filled(180), 0);
    await store.pruneBefore(T0 + 120 * MINUTE_MS);
    const { histories } = await store.loadAll();
    expect(histories.get('bybit:BTCUSDT')!.minutes.get(0).time).toBe(T0 + 120 * MINUTE_MS);
  });

  it('skips unreadable records with a notice instead of failing the load', async () => {
    const notices: string[] = [];
    store = await HistoryStore.open({ notice: (m) => notices.push(m) });
    await store.save('binance:ETHUSDT', filled(10), 0);
    const raw = await new Promise<IDBDatabase>((resolve) => {
      const req = indexedDB.open('liqlens-history');
      req.onsuccess = () => resolve(req.result);
    });
    await new Promise<void>((resolve) => {
      const tx = raw.transaction('chunks', 'readwrite');
      tx.objectStore('chunks').put({ key: 'garbage', start: 0, junk: true });
      tx.oncomplete = () => resolve();
    });
    raw.close();
    const { histories, skipped } = await store.loadAll();
    expect(skipped).toBe(1);
    expect(histories.get('binance:ETHUSDT')!.minutes.length).toBe(10);
    expect(notices[0]).toMatch(/unreadable/);
  });
});

describe('history storage in trouble', () => {
  it('when the quota is exceeded, prunes the oldest hours, says so, and still saves', async () => {
    const notices: string[] = [];
    store = await HistoryStore.open({ notice: (m) => notices.push(m) });
    await store.save('binance:BTCUSDT', filled(480), 0); // eight old hours
    const put = (store as unknown as { put: (r: unknown[]) => Promise<void> }).put.bind(store);
    let failures = 1;
    (store as unknown as { put: (r: unknown[]) => Promise<void> }).put = async (records) => {
      if (failures-- > 0) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put(records);
    };
    // Another instrument's newer hours do not fit: the oldest stored hours make room.
    await store.save('bybit:BTCUSDT', filled(60, T0 + 600 * MINUTE_MS), 0);
    expect(notices.join('\n')).toMatch(/Browser storage is full: the oldest quarter of the heatmap history was removed/);
    const { histories } = await store.loadAll();
    expect(histories.get('bybit:BTCUSDT')!.minutes.length).toBe(60); // the new data is saved
    const old = histories.get('binance:BTCUSDT');
    expect(old?.minutes.get(0).time ?? Infinity).toBeGreaterThan(T0); // the oldest hour is gone
  });

  it('rebuilds a database it cannot open (another schema, a damaged file) and says so', async () => {
    // A database left by something else at a higher version: opening ours fails with VersionError.
    await new Promise<void>((resolve) => {
      const req = indexedDB.open('liqlens-history', 99);
      req.onupgradeneeded = () => req.result.createObjectStore('something-else');
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
    });
    const notices: string[] = [];
    store = await HistoryStore.open({ notice: (m) => notices.push(m) });
    expect(notices[0]).toMatch(/could not be opened .*it was reset/);
    await store.save('bybit:BTCUSDT', filled(5), 0);
    expect((await store.loadAll()).histories.get('bybit:BTCUSDT')!.minutes.length).toBe(5);
  });
});
