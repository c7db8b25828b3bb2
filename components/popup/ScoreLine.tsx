/** The model check under the heatmap: one line a trader can read, the details in Options → Model. */
import type { ModelCheck } from '@/lib/contract/market';
import { t } from '@/lib/i18n';
import { scoreLine } from '@/lib/ui/score-line';

export function ScoreLine(props: { check?: ModelCheck; coin: string }) {
  return (
    <p class="score-line muted" data-testid="score-line" title={t('scoreLineTitle')}>
      {scoreLine(props.check, props.coin)}
    </p>
  );
}
