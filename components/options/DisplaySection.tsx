/** Options → Display: zones per coin across venues, or per instrument. */
import { checked, type SectionProps } from './section';

export function DisplaySection({ draft, update }: SectionProps) {
  return (
    <fieldset id="sec-display">
      <legend>Display</legend>
      <div class="field">
        <label for="aggregate">Add up all venues of a coin</label>
        <input
          id="aggregate"
          type="checkbox"
          checked={draft.display.aggregateVenues}
          onChange={(e) => update((s) => (s.display.aggregateVenues = checked(e)))}
        />
      </div>
      <p class="hint">
        On: zones per coin (BTC) across every venue, weighted by each venue's open interest. Off: each venue's instrument apart.
      </p>
    </fieldset>
  );
}
