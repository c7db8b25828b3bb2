/** Options → Display: zones per coin across venues, or per instrument. */
import { t } from '@/lib/i18n';
import { CheckField } from './fields';
import type { SectionProps } from './section';

export function DisplaySection({ draft, update }: SectionProps) {
  return (
    <fieldset id="sec-display">
      <legend>{t('secDisplay')}</legend>
      <CheckField
        id="aggregate"
        label={t('aggregateLabel')}
        checked={draft.display.aggregateVenues}
        onChange={(on) => update((s) => (s.display.aggregateVenues = on))}
      />
      <p class="hint">{t('aggregateHint')}</p>
    </fieldset>
  );
}
