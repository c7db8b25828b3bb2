/** The heatmap gradients as a select's options (the popup's legend row and Options → Appearance). */
import { t } from '@/lib/i18n';
import { GRADIENT_LABELS, type GradientPreset } from '@/lib/ui/gradients';

export function GradientOptions() {
  return (
    <>
      {(Object.keys(GRADIENT_LABELS) as GradientPreset[]).map((g) => (
        <option key={g} value={g}>
          {t(GRADIENT_LABELS[g])}
        </option>
      ))}
    </>
  );
}
