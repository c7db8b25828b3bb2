/** What the overlay content script renders: the docked ladder for the chosen instrument. */
import { useState } from 'preact/hooks';
import { coinOf } from '@/lib/exchanges/specs';
import { ChartBands } from './ChartBands';
import { PriceLadder } from './PriceLadder';
import { useLive, type LiveStore } from './live-store';

export function Overlay({ store }: { store: LiveStore }) {
  const market = useLive(store, (s) => s.snapshot.market);
  const settings = useLive(store, (s) => s.settings);
  const chart = useLive(store, (s) => s.chart ?? null);
  const [chosen, setChosen] = useState<string | null>(null);

  const configured = settings
    ? Object.entries(settings.venues).flatMap(([venue, v]) => (v?.enabled ? v.symbols.map((s) => `${venue}:${s}`) : []))
    : [];
  const instruments = [...new Set([...configured, ...Object.keys(market.instruments)])];
  const instrument = chosen && instruments.includes(chosen) ? chosen : instruments[0];
  if (!instrument) return null;
  const stats = market.instruments[instrument];
  const aggregate = settings?.display.aggregateVenues ?? true;
  if (chart) {
    // Bands on the page's own chart, on its own price scale.
    return (
      <ChartBands
        report={chart}
        zones={market.zones[aggregate ? coinOf(instrument) : instrument] ?? []}
        liquidations={market.liquidations.filter((l) => l.instrument === instrument)}
        opacity={settings?.overlay.opacity ?? 0.8}
      />
    );
  }

  return (
    <PriceLadder
      instrument={instrument}
      instruments={instruments}
      onInstrument={setChosen}
      price={stats?.lastMarkPrice ?? stats?.lastTradePrice}
      liquidations={market.liquidations}
      opacity={settings?.overlay.opacity ?? 0.8}
    />
  );
}
