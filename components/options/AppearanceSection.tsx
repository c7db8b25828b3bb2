/** Options → Appearance: the heatmap's gradient and the theme. */
import type { Settings } from '@/lib/settings';
import type { GradientPreset } from '@/lib/ui/gradients';
import { GradientOptions } from '../GradientOptions';
import { value, type SectionProps } from './section';

export function AppearanceSection({ draft, update }: SectionProps) {
  return (
    <fieldset id="sec-appearance">
      <legend>Appearance</legend>
      <div class="field">
        <label for="gradient">Heatmap gradient</label>
        <select
          id="gradient"
          value={draft.appearance.gradient}
          onChange={(e) => update((s) => (s.appearance.gradient = value(e) as GradientPreset))}
        >
          <GradientOptions />
        </select>
      </div>
      <div class="field">
        <label for="theme">Theme</label>
        <select
          id="theme"
          value={draft.appearance.theme}
          onChange={(e) => update((s) => (s.appearance.theme = value(e) as Settings['appearance']['theme']))}
        >
          <option value="system">Follow the system</option>
          <option value="dark">Dark</option>
          <option value="light">Light</option>
        </select>
      </div>
    </fieldset>
  );
}
