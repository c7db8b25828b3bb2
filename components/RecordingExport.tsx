/**
 * "Save a recording": the last minutes of raw frames as a .rec.jsonl file, for bug reports and
 * replays. The recorder is off unless the user turns it on (it holds up to 40 MB of frames in memory).
 */
import { useState } from 'preact/hooks';
import { sendMessage } from '@/lib/contract/protocol';
import { errorText } from '@/lib/error-text';
import { formatCount, t } from '@/lib/i18n';

export function RecordingExport({ enabled, onToggle }: { enabled: boolean; onToggle(on: boolean): void }) {
  const [minutes, setMinutes] = useState(5);
  const [message, setMessage] = useState('');

  const save = async () => {
    try {
      const { jsonl, frames } = await sendMessage('exportRecording', { minutes });
      if (frames === 0) return setMessage(t('recordingNothing'));
      const url = URL.createObjectURL(new Blob([jsonl], { type: 'application/x-ndjson' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `liqlens-${new Date().toISOString().replace(/[:.]/g, '-')}.rec.jsonl`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setMessage(t('recordingSaved', { frames: formatCount(frames) }));
    } catch (err) {
      setMessage(t('couldNotSave', { reason: errorText(err) }));
    }
  };

  return (
    <fieldset id="sec-recording">
      <legend>{t('secRecording')}</legend>
      <div class="field">
        <label for="rec-enabled">{t('recordingEnabled')}</label>
        <input id="rec-enabled" type="checkbox" checked={enabled} onChange={(e) => onToggle((e.target as HTMLInputElement).checked)} />
      </div>
      <p class="hint">{t('recordingHint')}</p>
      <div class="field">
        <label for="rec-minutes">{t('recordingMinutes')}</label>
        <select id="rec-minutes" value={minutes} onChange={(e) => setMinutes(Number((e.target as HTMLSelectElement).value))}>
          {[1, 5, 10].map((m) => (
            <option key={m} value={m}>
              {formatCount(m)}
            </option>
          ))}
        </select>
      </div>
      <div class="actions">
        <button type="button" data-testid="save-recording" disabled={!enabled} onClick={() => void save()}>
          {t('recordingSave')}
        </button>
        <span role="status" aria-live="polite" data-testid="recording-status">
          {message}
        </span>
      </div>
    </fieldset>
  );
}
