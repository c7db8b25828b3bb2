/** The model check under the heatmap: one line a trader can read, the details in Options → Model. */
import type { ModelCheck } from '@/lib/contract/market';
import { scoreLine } from '@/lib/ui/score-line';

export function ScoreLine(props: { check?: ModelCheck; coin: string }) {
  return (
    <p
      class="score-line muted"
      data-testid="score-line"
      title="Each liquidation a venue reports is checked against the estimate of its own instrument 60 s before: a hit is a liquidation in the brightest quarter of the cells within ±10 % of the price then, on its side. Chance is 25 %. Details: Options → Model."
    >
      {scoreLine(props.check, props.coin)}
    </p>
  );
}
