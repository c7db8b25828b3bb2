/** The latest realized liquidations, newest first. */
import type { RealizedLiquidation } from '@/lib/contract/market';
import { instrumentLabel } from '@/lib/exchanges/catalog';
import { formatClock, formatPrice, formatUsd } from '@/lib/ui/format';

export function LiquidationList({ liquidations, limit = 30 }: { liquidations: RealizedLiquidation[]; limit?: number }) {
  if (liquidations.length === 0) return <p class="muted">No liquidations received yet.</p>;
  return (
    <table class="liqs" aria-label="Latest realized liquidations">
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Instrument</th>
          <th scope="col">Position</th>
          <th scope="col" class="num">
            Price
          </th>
          <th scope="col" class="num">
            Size
          </th>
        </tr>
      </thead>
      <tbody>
        {liquidations.slice(0, limit).map((l) => (
          <tr key={l.id} data-testid="liq-row" data-side={l.liquidatedSide} data-price={l.price}>
            <td>{formatClock(l.exchangeTime)}</td>
            <td>{instrumentLabel(l.instrument)}</td>
            <td class={l.liquidatedSide === 'long' ? 'long' : 'short'}>{l.liquidatedSide === 'long' ? 'Long liq.' : 'Short liq.'}</td>
            <td class="num">{formatPrice(l.price)}</td>
            <td class="num">{formatUsd(l.notionalUsd)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
