/** The options page's field rows: a label and its control, one shape for every section. */
import type { ComponentChildren } from 'preact';

/** A labelled checkbox row. */
export function CheckField(props: { id: string; label: ComponentChildren; checked: boolean; onChange(checked: boolean): void }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        onChange={(e) => props.onChange((e.target as HTMLInputElement).checked)}
      />
    </div>
  );
}
