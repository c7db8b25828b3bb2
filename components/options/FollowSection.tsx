/** Options → Follow the page's coin: on or off, and how long a coin stays after its page closes. */
import { t, tn } from '@/lib/i18n';
import { FOLLOW_PER_VENUE } from '@/lib/settings';
import { CheckField } from './fields';
import { value, type SectionProps } from './section';

export function FollowSection({ draft, update }: SectionProps) {
  return (
    <fieldset id="sec-follow" data-testid="follow-settings">
      <legend>{t('followTitle')}</legend>
      <CheckField
        id="follow-enabled"
        label={t('followEnabled')}
        checked={draft.follow.enabled}
        onChange={(on) => update((s) => (s.follow.enabled = on))}
      />
      <div class="field">
        <label for="follow-grace">{t('followGrace')}</label>
        <select
          id="follow-grace"
          value={draft.follow.graceMinutes}
          onChange={(e) => update((s) => (s.follow.graceMinutes = Number(value(e))))}
        >
          {[0, 1, 5, 15, 30, 60].map((m) => (
            <option key={m} value={m}>
              {m === 0 ? t('followGraceNone') : tn('minuteCount', m)}
            </option>
          ))}
        </select>
      </div>
      <p class="hint">{t('followHint', { max: FOLLOW_PER_VENUE })}</p>
    </fieldset>
  );
}
