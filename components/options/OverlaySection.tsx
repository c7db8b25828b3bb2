/** Options → Overlay: on or off, its layers, opacity and threshold (the handle's controls), and the built-in sites. */
import { mergeSettingsPatch, type Settings } from '@/lib/settings';
import { sites } from '@/lib/sites';
import { OverlayLayerControls } from '../OverlayLayerControls';
import { checked, type SectionProps } from './section';

export function OverlaySection({ draft, update }: SectionProps) {
  return (
    <fieldset id="sec-overlay">
      <legend>Overlay</legend>
      <div class="field">
        <label for="overlay-enabled">Draw on chart pages</label>
        <input
          id="overlay-enabled"
          type="checkbox"
          checked={draft.overlay.enabled}
          onChange={(e) => update((s) => (s.overlay.enabled = checked(e)))}
        />
      </div>
      <OverlayLayerControls
        layout="fields"
        overlay={draft.overlay}
        onChange={(patch) => update((s) => (s.overlay = (mergeSettingsPatch(s, { overlay: patch }) as Settings).overlay))}
      />
      <p class="hint">Show or hide the overlay everywhere with Alt+Shift+L (change it at chrome://extensions/shortcuts).</p>
      <h3>Sites</h3>
      {sites.map((site) => (
        <div class="field" key={site.id}>
          <label for={`site-${site.id}`}>{site.label}</label>
          <input
            id={`site-${site.id}`}
            type="checkbox"
            checked={draft.overlay.sites[site.id] ?? false}
            onChange={(e) => update((s) => (s.overlay.sites[site.id] = checked(e)))}
          />
        </div>
      ))}
    </fieldset>
  );
}
