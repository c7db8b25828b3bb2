/** Options → Follow the page's coin: on or off, and how long a coin stays after its page closes. */
import { FOLLOW_PER_VENUE } from '@/lib/settings';
import { CheckField } from './fields';
import { value, type SectionProps } from './section';

export function FollowSection({ draft, update }: SectionProps) {
  return (
    <fieldset id="sec-follow" data-testid="follow-settings">
      <legend>Follow the page’s coin</legend>
      <CheckField
        id="follow-enabled"
        label="Stream the coin a chart shows when no venue above streams it"
        checked={draft.follow.enabled}
        onChange={(on) => update((s) => (s.follow.enabled = on))}
      />
      <div class="field">
        <label for="follow-grace">Keep it after the page closes for</label>
        <select
          id="follow-grace"
          value={draft.follow.graceMinutes}
          onChange={(e) => update((s) => (s.follow.graceMinutes = Number(value(e))))}
        >
          {[0, 1, 5, 15, 30, 60].map((m) => (
            <option key={m} value={m}>
              {m === 0 ? 'no time (stop at once)' : `${m} minute${m === 1 ? '' : 's'}`}
            </option>
          ))}
        </select>
      </div>
      <p class="hint">
        Subscribed on every enabled venue that lists the coin, with its last day of history; at most {FOLLOW_PER_VENUE} coins a venue at a
        time. Pin one in the popup to keep it: it becomes one of the venue’s symbols.
      </p>
    </fieldset>
  );
}
