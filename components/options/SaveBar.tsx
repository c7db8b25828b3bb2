/** The options page's sticky bar: what the autosave did, what collided, "Save now" and "Reset to defaults". */
import { defaultSettings } from '@/lib/settings';
import { formatClock } from '@/lib/ui/format';
import { formatList, t } from '@/lib/i18n';
import type { SettingsDraft } from './use-settings-draft';

export function SaveBar({ settings }: { settings: SettingsDraft }) {
  const { status, conflicts } = settings;
  return (
    <div class="actions">
      <span role="status" aria-live="polite" data-testid="options-status" class={`save-state ${status.kind}`}>
        {status.kind === 'idle' && t('saveIdle')}
        {status.kind === 'pending' && t('savePending')}
        {status.kind === 'saving' && t('saving')}
        {status.kind === 'saved' && `✓ ${t('savedAt', { time: formatClock(status.at) })}`}
        {status.kind === 'error' && <span class="error">{status.message}</span>}
        {conflicts.length > 0 && (
          <span class="error" data-testid="options-conflicts">
            {' '}
            {t('saveConflicts', { fields: formatList(conflicts, 'unit') })}
          </span>
        )}
      </span>
      {/* Enter in any field saves at once; the button is for the pointer: nothing waits for it. */}
      <button type="submit" class="primary" disabled={status.kind === 'saved' || status.kind === 'idle'}>
        {t('saveNow')}
      </button>
      <button
        type="button"
        onClick={() => {
          // Your sites and calibrations are kept: they carry permissions and clicks on pages.
          const defaults = defaultSettings();
          const { customSites, calibrations } = settings.stored()?.overlay ?? defaults.overlay;
          void settings.replace({ ...defaults, overlay: { ...defaults.overlay, customSites, calibrations } });
        }}
      >
        {t('resetDefaults')}
      </button>
    </div>
  );
}
