/** The options page's field rows: a label and its control, one shape for every section. */
import type { ComponentChildren } from 'preact';

/** A labelled checkbox row (`box`: the control itself, for a handler that must undo a click). */
export function CheckField(props: {
  id: string;
  label: ComponentChildren;
  checked: boolean;
  onChange(checked: boolean, box: HTMLInputElement): void;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        onChange={(e) => props.onChange((e.target as HTMLInputElement).checked, e.target as HTMLInputElement)}
      />
    </div>
  );
}

/** A labelled number row: `onValue` gets the number typed (each keystroke, as the field shows it). */
export function NumberField(props: {
  id: string;
  label: ComponentChildren;
  value: number;
  min?: string;
  max?: string;
  step?: string;
  onValue(value: number): void;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="number"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        onInput={(e) => props.onValue(Number((e.target as HTMLInputElement).value))}
      />
    </div>
  );
}
