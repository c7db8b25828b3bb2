/** Options → Overlay: on or off, its layers, opacity and threshold (the handle's controls), and the built-in sites. */
import { mergeSettingsPatch, type Settings } from '@/lib/settings';
import { sites } from '@/lib/sites';
import { positionsLayerBlocked } from '@/lib/ui/health';
import { OverlayLayerControls } from '../OverlayLayerControls';
import { CheckField } from './fields';
import type { SectionProps } from './section';

export function OverlaySection({ draft, update }: SectionProps) {
  return (
    <fieldset id="sec-overlay">
      <legend>Overlay</legend>
      <CheckField
        id="overlay-enabled"
        label="Draw on chart pages"
        checked={draft.overlay.enabled}
        onChange={(on) => update((s) => (s.overlay.enabled = on))}
      />
      <OverlayLayerControls
        layout="fields"
        overlay={draft.overlay}
        positionsBlocked={positionsLayerBlocked(draft)}
        onChange={(patch) => update((s) => (s.overlay = (mergeSettingsPatch(s, { overlay: patch }) as Settings).overlay))}
      />
      <p class="hint">Show or hide the overlay everywhere with Alt+Shift+L (change it at chrome://extensions/shortcuts).</p>
      <h3>Sites</h3>
      <div class="site-grid">
        {sites.map((site) => (
          <CheckField
            key={site.id}
            id={`site-${site.id}`}
            label={site.label}
            checked={draft.overlay.sites[site.id] ?? false}
            onChange={(on) => update((s) => (s.overlay.sites[site.id] = on))}
          />
        ))}
      </div>
    </fieldset>
  );
}
