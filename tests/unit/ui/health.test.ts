/** One answer to "is LiqLens live?" for every surface. */
import { describe, expect, it } from 'vitest';
import { nothingReachable, overallHealth, positionsLayerBlocked, STALE_AFTER_MS } from '../../../lib/ui/health';
import type { VenueHealth } from '../../../lib/contract/health';

const NOW = 1_800_000_000_000;
const venue = (label: string, state: VenueHealth['state'], extra: Partial<VenueHealth> = {}) =>
  ({ venue: label.toLowerCase(), label, state, reconnects: 0, lastMessageAt: NOW - 1_000, ...extra }) as VenueHealth;

describe('overall health', () => {
  it('is live only when every venue streams, and names the ones that do not', () => {
    expect(overallHealth([venue('Binance', 'connected'), venue('OKX', 'connected')], NOW).state).toBe('live');
    const partial = overallHealth([venue('Binance', 'connected'), venue('OKX', 'down', { reconnects: 3 })], NOW);
    expect(partial).toMatchObject({ state: 'partial', live: ['Binance'], notLive: ['OKX'] });
    expect(partial.message).toContain('OKX');
  });

  it('a connected venue silent for longer than the stale limit is not live', () => {
    const h = overallHealth([venue('Binance', 'connected', { lastMessageAt: NOW - STALE_AFTER_MS - 1 })], NOW);
    expect(h.state).toBe('down');
  });

  it('says nothing is reachable once every venue failed, and "connecting" before that', () => {
    expect(overallHealth([venue('Binance', 'connecting'), venue('OKX', 'connecting')], NOW).state).toBe('connecting');
    const down = overallHealth([venue('Binance', 'down', { reconnects: 2 }), venue('OKX', 'connecting', { reconnects: 1 })], NOW);
    expect(down).toEqual({ state: 'down', message: nothingReachable(), live: [], notLive: ['Binance', 'OKX'] });
    expect(down.message).toMatch(/^No exchange reachable: offline, blocked in your region, or wrong endpoints/);
    expect(overallHealth([], NOW).state).toBe('none');
  });
});

describe('the real-positions layer', () => {
  it('says why it can draw nothing: Hyperliquid off, or reading positions off', () => {
    const on = { venues: { hyperliquid: { enabled: true } }, positions: { enabled: true } };
    expect(positionsLayerBlocked(on)).toBeNull();
    expect(positionsLayerBlocked({ ...on, venues: { hyperliquid: { enabled: false } } })).toMatch(/Hyperliquid is off.*Options → Venues/);
    expect(positionsLayerBlocked({ ...on, venues: {} })).toMatch(/Hyperliquid is off/);
    expect(positionsLayerBlocked({ ...on, positions: { enabled: false } })).toMatch(/Options → Positions/);
  });
});
