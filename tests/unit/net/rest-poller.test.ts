import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Poller, type FetchLike } from '../../../lib/net/rest-poller';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A fetch that answers from a script of statuses, recording when each request came. */
function scripted(answers: { status: number; retryAfter?: string; body?: string; networkError?: boolean }[]) {
  const times: number[] = [];
  const fetchImpl: FetchLike = async () => {
    times.push(Date.now());
    const a = answers.shift() ?? { status: 200, body: '{}' };
    if (a.networkError) throw new TypeError('Failed to fetch');
    return {
      status: a.status,
      headers: { get: (n: string) => (n === 'retry-after' ? (a.retryAfter ?? null) : null) },
      text: async () => a.body ?? '',
    };
  };
  return { fetchImpl, times };
}

function poller(fetchImpl: FetchLike, bodies: string[], everyMs = 10_000) {
  const p = new Poller({
    id: 't',
    request: { url: 'https://fapi.binance.com/fapi/v1/openInterest?symbol=BTCUSDT' },
    everyMs,
    fetch: fetchImpl,
    onBody: (b) => bodies.push(b),
  });
  p.start(0);
  return p;
}

describe('REST poller', () => {
  it('polls on its interval', async () => {
    const { fetchImpl, times } = scripted([]);
    const bodies: string[] = [];
    const p = poller(fetchImpl, bodies);
    await vi.advanceTimersByTimeAsync(35_000);
    expect(times.map((t) => t - times[0])).toEqual([0, 10_000, 20_000, 30_000]);
    expect(bodies).toHaveLength(4);
    p.stop();
  });

  it('parks without a timer while a round is not wanted, and asks at once when resumed and wanted', async () => {
    const { fetchImpl, times } = scripted([]);
    let wanted = true;
    const p = new Poller({
      id: 't',
      request: { url: 'https://x/oi' },
      everyMs: 10_000,
      fetch: fetchImpl,
      onBody: () => {},
      wanted: () => wanted,
    });
    p.start(0);
    await vi.advanceTimersByTimeAsync(100);
    wanted = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(times).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0); // a quiet worker keeps no timer for it
    expect(p.status.skipped).toBe(1);
    p.resumeIfWanted(); // still not wanted: nothing
    await vi.advanceTimersByTimeAsync(1_000);
    expect(times).toHaveLength(1);
    wanted = true;
    p.resumeIfWanted();
    await vi.advanceTimersByTimeAsync(100);
    expect(times).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(times).toHaveLength(3); // and on its interval again
    p.stop();
  });

  it('waits Retry-After seconds after a 429 or a 418 ban, not its usual interval', async () => {
    const { fetchImpl, times } = scripted([
      { status: 429, retryAfter: '30' },
      { status: 418, retryAfter: '120' },
    ]);
    const p = poller(fetchImpl, []);
    await vi.advanceTimersByTimeAsync(200_000);
    expect(times[1] - times[0]).toBe(30_000);
    expect(times[2] - times[1]).toBe(120_000);
    expect(p.status.failures).toBe(2);
    expect(p.status.lastError).toBeUndefined(); // recovered
    p.stop();
  });

  it('backs off exponentially on server errors and network failures', async () => {
    const { fetchImpl, times } = scripted([{ status: 502 }, { status: 503 }, { status: 0, networkError: true }, { status: 500 }]);
    const p = poller(fetchImpl, [], 1_000);
    await vi.advanceTimersByTimeAsync(100_000);
    const gaps = times.slice(1, 5).map((t, i) => t - times[i]);
    expect(gaps).toEqual([5_000, 10_000, 20_000, 40_000]);
    p.stop();
  });

  it('pauses for minutes on 403/451 and says it is probably a regional block', async () => {
    const { fetchImpl, times } = scripted([{ status: 451 }]);
    const p = poller(fetchImpl, []);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(p.status.lastError).toMatch(/HTTP 451.*blocked in your region/);
    await vi.advanceTimersByTimeAsync(9 * 60_000);
    expect(times).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(times).toHaveLength(2);
    p.stop();
  });
});
