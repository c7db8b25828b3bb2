/** Options → Display: zones per coin across venues, or per instrument. */
import { CheckField } from './fields';
import type { SectionProps } from './section';

export function DisplaySection({ draft, update }: SectionProps) {
  return (
    <fieldset id="sec-display">
      <legend>Display</legend>
      <CheckField
        id="aggregate"
        label="Add up all venues of a coin"
        checked={draft.display.aggregateVenues}
        onChange={(on) => update((s) => (s.display.aggregateVenues = on))}
      />
      <p class="hint">
        On: zones per coin (BTC) across every venue, weighted by each venue's open interest. Off: each venue's instrument apart.
      </p>
    </fieldset>
  );
}
