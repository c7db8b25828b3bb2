/**
 * A small label per estimated zone at the chart's price-axis edge (its USD, the side it would
 * liquidate, its price range: what a trader reads without hovering); hovering or focusing one shows
 * what a trader asks of a zone: USD, long/short split, leverage mix, venues, distance from price.
 * Which zones are labelled: lib/sites/zone-labels.ts (nearest on each side first, then by USD with
 * hysteresis, never overlapping). Text only, never HTML from data.
 */
import { useRef, useState } from 'preact/hooks';
import { venueLabels } from '@/lib/exchanges/catalog';
import { formatCount, formatList, t } from '@/lib/i18n';
import { formatPct, formatPrice, formatRange, formatUsd } from '@/lib/ui/format';
import type { Zone } from '@/lib/contract/market';
import type { ChartReport, ShowPrices } from '@/lib/sites/bridge';
import type { PriceScale } from '@/lib/sites/ladder';
import { planZoneLabels, rangeShowing } from '@/lib/sites/zone-labels';
import { gradientCss, type GradientPreset } from '@/lib/ui/gradients';

export function ZoneLabels(props: {
  pane: ChartReport['pane'];
  scale: PriceScale;
  zones: Zone[];
  threshold: number;
  gradient?: GradientPreset;
  /** Set where the chart can be scrolled: an arrow's click brings its zone into view. */
  showPrices?(range: ShowPrices): void;
}) {
  const { pane, scale, zones, threshold, showPrices } = props;
  const [open, setOpen] = useState<number | null>(null);
  // The zones labelled last render: they keep their labels unless clearly outgrown (hysteresis).
  const previous = useRef<number[]>([]);
  const placed = planZoneLabels(zones, scale, threshold, previous.current);
  previous.current = placed.map((p) => p.zone.price);
  return (
    <div class="zone-labels" style={{ left: `${pane.x + pane.width}px`, top: `${pane.y}px`, height: `${pane.height}px` }}>
      {placed.map(({ zone, y, share, edge }, i) => (
        <button
          type="button"
          key={`${zone.low}-${zone.high}`}
          class="zone-label"
          data-testid="zone-label"
          style={{ top: `${y}px`, borderColor: gradientCss(share, 1, props.gradient) }}
          data-edge={edge}
          aria-label={zoneLabelName(zone, edge, !!showPrices)}
          data-clickable={edge && showPrices ? 'true' : undefined}
          onClick={edge && showPrices ? () => showPrices(rangeShowing(scale, zone)) : undefined}
          aria-expanded={open === i}
          onMouseEnter={() => setOpen(i)}
          onMouseLeave={() => setOpen(null)}
          onFocus={() => setOpen(i)}
          onBlur={() => setOpen(null)}
        >
          <span class="usd">
            {edge === 'above' ? '↑ ' : edge === 'below' ? '↓ ' : ''}
            {t(zone.longUsd >= zone.shortUsd ? 'zoneUsdLongs' : 'zoneUsdShorts', { usd: formatUsd(zone.usd) })}
          </span>
          <span class="range">{formatRange(zone.low, zone.high)}</span>
          {open === i && <ZoneCard zone={zone} />}
        </button>
      ))}
    </div>
  );
}

function ZoneCard({ zone }: { zone: Zone }) {
  const longShare = zone.usd > 0 ? zone.longUsd / zone.usd : 0;
  return (
    <div class="zone-card" role="tooltip" data-testid="zone-card">
      <strong>{t(zone.kind === 'estimated' ? 'zoneCardEstimated' : 'zoneCardRealized', { usd: formatUsd(zone.usd) })}</strong>
      <div>{t('zoneCardWhere', { range: formatRange(zone.low, zone.high), pct: formatPct(zone.distancePct) })}</div>
      <div class="split" aria-label={t('zoneCardLongShare', { pct: formatCount(Math.round(longShare * 100)) })}>
        <span class="long" style={{ width: `${longShare * 100}%` }} />
      </div>
      <div>{t('zoneCardSides', { longs: formatUsd(zone.longUsd), shorts: formatUsd(zone.shortUsd) })}</div>
      {zone.leverageMix && zone.leverageMix.length > 0 && (
        <div>
          {t('zoneCardLeverage', {
            mix: formatList(
              zone.leverageMix.filter((l) => l.share >= 0.01).map((l) => `${l.leverage}× ${formatCount(Math.round(l.share * 100))} %`),
              'unit',
            ),
          })}
        </div>
      )}
      <div>{t('zoneCardVenues', { venues: venueLabels(zone.venues) || '—' })}</div>
    </div>
  );
}

/** What a screen reader says for a zone label: its kind, USD and price, and where it is when off screen. */
function zoneLabelName(zone: Zone, edge: 'above' | 'below' | undefined, clickable: boolean): string {
  const name = t(zone.kind === 'estimated' ? 'zoneNameEstimated' : 'zoneNameRealized', {
    usd: formatUsd(zone.usd),
    price: formatPrice(zone.price),
  });
  if (!edge) return name;
  const where = t(edge === 'above' ? 'zoneAboveVisible' : 'zoneBelowVisible');
  return `${name}, ${where}${clickable ? `: ${t('zoneShowIt')}` : ''}`;
}
