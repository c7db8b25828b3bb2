/** Options → Appearance: the heatmap's gradient and the theme. */
import { t } from '@/lib/i18n';
import type { Settings } from '@/lib/settings';
import type { GradientPreset } from '@/lib/ui/gradients';
import { GradientOptions } from '../GradientOptions';
import { value, type SectionProps } from './section';

export function AppearanceSection({ draft, update }: SectionProps) {
  return (
    <fieldset id="sec-appearance">
      <legend>{t('secAppearance')}</legend>
      <div class="field">
        <label for="gradient">{t('heatmapGradient')}</label>
        <select
          id="gradient"
          value={draft.appearance.gradient}
          onChange={(e) => update((s) => (s.appearance.gradient = value(e) as GradientPreset))}
        >
          <GradientOptions />
        </select>
      </div>
      <div class="field">
        <label for="theme">{t('theme')}</label>
        <select
          id="theme"
          value={draft.appearance.theme}
          onChange={(e) => update((s) => (s.appearance.theme = value(e) as Settings['appearance']['theme']))}
        >
          <option value="system">{t('themeSystem')}</option>
          <option value="dark">{t('themeDark')}</option>
          <option value="light">{t('themeLight')}</option>
        </select>
      </div>
    </fieldset>
  );
}
