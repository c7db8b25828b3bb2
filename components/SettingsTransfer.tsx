/**
 * Options → Backup: settings out as a JSON file, and back in with every value validated: what is
 * invalid is listed and left at its current value, nothing is half-applied.
 */
import { useState } from 'preact/hooks';
import { sanitizeSettings, type Settings } from '@/lib/settings';
import { download } from './export';
import { t } from '@/lib/i18n';

export function SettingsTransfer({ settings, onImport }: { settings: Settings; onImport(s: Settings): Promise<void> }) {
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const importFile = async (file: File) => {
    let raw: unknown;
    try {
      raw = JSON.parse(await file.text());
    } catch {
      return setMessage({ error: true, text: t('importNotJson', { file: file.name }) });
    }
    const { settings: next, problems } = sanitizeSettings(raw);
    if (problems.length) return setMessage({ error: true, text: t('importProblems', { problems: problems.join('; ') }) });
    await onImport(next);
    setMessage({ error: false, text: t('imported', { file: file.name }) });
  };
  return (
    <fieldset id="sec-transfer" data-testid="settings-transfer">
      <legend>{t('backup')}</legend>
      <div class="row">
        <button
          type="button"
          onClick={() => download('liqlens-settings.json', new Blob([JSON.stringify(settings, null, 2)], { type: 'application/json' }))}
        >
          {t('exportSettings')}
        </button>
        <label class="file">
          {t('importSettings')}
          <input
            type="file"
            accept="application/json,.json"
            onChange={(e) => {
              const file = (e.target as HTMLInputElement).files?.[0];
              if (file) void importFile(file);
            }}
          />
        </label>
      </div>
      {message && (
        <p class={message.error ? 'error-text' : 'hint'} role="status" data-testid="import-status">
          {message.text}
        </p>
      )}
    </fieldset>
  );
}
