/**
 * The docked price ladder: a narrow panel with its own price scale, centred on the current price,
 * with a band at each realized liquidation price of the chosen instrument. It is the fallback for
 * pages whose chart LiqLens cannot read; site adapters replace it with bands on the page's chart.
 */
import { t } from '@/lib/i18n';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RealizedLiquidation } from '@/lib/contract/market';
import { formatPrice, formatUsd } from '@/lib/ui/format';
import { ladderRange, niceTicks, priceToY, type PriceScale } from '@/lib/sites/ladder';

export interface PriceLadderProps {
  instrument: string;
  instruments: string[];
  onInstrument(instrument: string): void;
  /** Current price (mark, else last trade); the ladder waits for it. */
  price: number | undefined;
  liquidations: RealizedLiquidation[];
  opacity: number;
  /** Start the two-click calibration to this page's own price axis. */
  onCalibrate?(): void;
  /** Why no price can come (nothing reachable), said instead of waiting. */
  notice?: string;
}

/** Minimum vertical distance between two band labels, so they never overprint. */
const LABEL_GAP_PX = 12;

/** A label this close to a tick of the ladder's scale would hide that tick's price. */
const TICK_CLEAR_PX = 9;

/**
 * Ids of the bands that get a USD label: the largest first, skipping any that would overlap another
 * label or cover one of the scale's tick prices.
 */
export function labelledBands(bands: { id: string; y: number; usd: number }[], tickYs: readonly number[] = []): Set<string> {
  const placed: number[] = [];
  const ids = new Set<string>();
  for (const b of [...bands].sort((a, c) => c.usd - a.usd)) {
    if (tickYs.some((y) => Math.abs(y - b.y) < TICK_CLEAR_PX)) continue;
    if (placed.every((y) => Math.abs(y - b.y) >= LABEL_GAP_PX)) {
      placed.push(b.y);
      ids.add(b.id);
    }
  }
  return ids;
}

/** Band thickness grows with the log of USD size: $1K → 2 px, $1M+ → 8 px. */
function bandHeight(usd: number): number {
  return Math.max(2, Math.min(8, 2 + 2 * Math.log10(Math.max(1, usd / 1000))));
}

export function PriceLadder(props: PriceLadderProps) {
  const { instrument, instruments, price, liquidations, opacity } = props;
  const [collapsed, setCollapsed] = useState(false);
  const scaleRef = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState(0);

  useEffect(() => {
    const el = scaleRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, [collapsed]);

  const own = liquidations.filter((l) => l.instrument === instrument);
  const center = price ?? own[0]?.price;
  const range = center
    ? ladderRange(
        center,
        own.map((l) => l.price),
      )
    : undefined;
  const scale: PriceScale | undefined = range && height > 0 ? { ...range, height, mode: 'linear' } : undefined;
  const visible = scale ? own.filter((l) => l.price >= scale.from && l.price <= scale.to) : [];
  const ticks = scale ? niceTicks(scale.from, scale.to, Math.max(2, Math.floor(height / 60))) : [];
  const withLabel = scale
    ? labelledBands(
        visible.map((l) => ({ id: l.id, y: priceToY(scale, l.price), usd: l.notionalUsd })),
        ticks.map((t) => priceToY(scale, t)),
      )
    : new Set<string>();

  return (
    <section class={`ladder${collapsed ? ' collapsed' : ''}`} style={{ opacity }} data-testid="ladder" aria-label={t('ladderName')}>
      <header>
        <button
          type="button"
          class="toggle"
          onClick={() => setCollapsed(!collapsed)}
          aria-expanded={!collapsed}
          title={t(collapsed ? 'ladderShow' : 'ladderHide')}
        >
          {collapsed ? '◂ LiqLens' : '▸'}
        </button>
        {!collapsed && (
          <select
            aria-label={t('instrument')}
            value={instrument}
            onChange={(e) => props.onInstrument((e.target as HTMLSelectElement).value)}
          >
            {instruments.map((i) => (
              <option key={i} value={i}>
                {i.split(':')[1] ?? i}
              </option>
            ))}
          </select>
        )}
        {!collapsed && props.onCalibrate && (
          <button type="button" class="calibrate" onClick={props.onCalibrate} title={t('calibrateTitle')}>
            {t('calibrate')}
          </button>
        )}
      </header>
      {!collapsed && (
        <div class="scale" ref={scaleRef}>
          {!scale && (
            <p class="waiting" data-testid="ladder-waiting">
              {props.notice ?? t('ladderWaiting', { symbol: instrument.split(':')[1] ?? instrument })}
            </p>
          )}
          {scale &&
            ticks.map((tick) => (
              <div key={tick} class="tick" style={{ top: `${priceToY(scale, tick)}px` }}>
                {formatPrice(tick)}
              </div>
            ))}
          {scale &&
            visible.map((l) => {
              const h = bandHeight(l.notionalUsd);
              return (
                <div
                  key={l.id}
                  class={`band ${l.liquidatedSide}`}
                  data-testid="liq-band"
                  data-price={l.price}
                  data-side={l.liquidatedSide}
                  style={{ top: `${priceToY(scale, l.price) - h / 2}px`, height: `${h}px` }}
                  title={t(l.liquidatedSide === 'long' ? 'ladderBandLong' : 'ladderBandShort', {
                    usd: formatUsd(l.notionalUsd),
                    price: formatPrice(l.price),
                  })}
                >
                  {withLabel.has(l.id) && <span class="label">{formatUsd(l.notionalUsd)}</span>}
                </div>
              );
            })}
          {scale && price && (
            <div class="price-line" style={{ top: `${priceToY(scale, price)}px` }} data-testid="ladder-price">
              <span>{formatPrice(price)}</span>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
