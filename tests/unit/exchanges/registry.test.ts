/**
 * Meta-tests over the venue registry: every adapter is covered by the shared machinery (a fake
 * server dialect, so protocol and fuzz tests include it), asks for its REST host, and keeps the
 * MV3 service worker alive (traffic within Chrome's 30 s idle window).
 */
import { describe, expect, it } from 'vitest';
import { listVenues, restHostPermissions } from '../../../lib/exchanges';
import { dialects } from '../../harness/dialects';

/** Venues whose own data keeps sockets busy without an application ping, and why. */
const ALIVE_WITHOUT_PING: Record<string, string> = {
  binance: 'markPrice@1s pushes every second for each subscribed symbol',
  deribit: 'the server sends a heartbeat every 15 s after public/set_heartbeat',
  dydx: 'v4_markets pushes oracle prices every few seconds, and the server pings every 30 s',
};

describe.each(listVenues().map((v) => [v.id, v] as const))('%s adapter', (id, adapter) => {
  it('has a fake-server dialect, so protocol, e2e and fuzz tests cover it', () => {
    expect(Object.keys(dialects)).toContain(id);
  });

  it('keeps the service worker alive while it streams', () => {
    for (const plan of adapter.connections(adapter.defaultEndpoints, adapter.defaultSymbols)) {
      if (ALIVE_WITHOUT_PING[id]) continue;
      expect(plan.keepalive?.everyMs, `${plan.id} keepalive`).toBeLessThanOrEqual(25_000);
    }
  });

  it('detects a dead socket within a minute and a half', () => {
    for (const plan of adapter.connections(adapter.defaultEndpoints, adapter.defaultSymbols))
      expect(plan.staleAfterMs).toBeLessThanOrEqual(90_000);
  });

  it('has its default REST host in the manifest host permissions', () => {
    expect(restHostPermissions()).toContain(`${new URL(adapter.defaultEndpoints.rest).origin}/*`);
  });

  it('ships built-in specs for its default symbols', () => {
    const known = new Set(adapter.specs.defaults.map((s) => s.symbol));
    for (const s of adapter.defaultSymbols) expect(known.has(s), `${id} ${s}`).toBe(true);
  });
});

describe('names a trader reads', () => {
  it('shows an instrument by its venue’s name, never its key', async () => {
    const { instrumentLabel, venueLabels } = await import('../../../lib/exchanges/catalog');
    expect(instrumentLabel('binance:BTCUSDT')).toBe('Binance USD-M BTCUSDT');
    expect(instrumentLabel('okx:BTC-USDT-SWAP')).toBe('OKX BTC-USDT-SWAP');
    expect(instrumentLabel('nowhere:XYZ')).toBe('nowhere XYZ');
    expect(venueLabels(['binance', 'okx', 'binance'])).toBe('Binance USD-M, OKX');
  });
});
