/** "Save a recording": the last minutes of raw frames as a .rec.jsonl file, for bug reports and replays. */
import { useState } from 'preact/hooks';
import { sendMessage } from '@/lib/protocol';

export function RecordingExport() {
  const [minutes, setMinutes] = useState(5);
  const [message, setMessage] = useState('');

  const save = async () => {
    try {
      const { jsonl, frames } = await sendMessage('exportRecording', { minutes });
      if (frames === 0) return setMessage('Nothing recorded yet: no frame arrived in that time.');
      const url = URL.createObjectURL(new Blob([jsonl], { type: 'application/x-ndjson' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `liqlens-${new Date().toISOString().replace(/[:.]/g, '-')}.rec.jsonl`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setMessage(`Saved ${frames} frames. Replay with: npm run replay -- <file>`);
    } catch (err) {
      setMessage(`Could not save: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return (
    <fieldset>
      <legend>Recording</legend>
      <p class="hint">
        LiqLens keeps the last 10 minutes of raw exchange frames in memory (never on disk, never sent anywhere). Save them to attach to a
        bug report.
      </p>
      <div class="field">
        <label for="rec-minutes">Minutes to save</label>
        <select id="rec-minutes" value={minutes} onChange={(e) => setMinutes(Number((e.target as HTMLSelectElement).value))}>
          {[1, 5, 10].map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </div>
      <div class="actions">
        <button type="button" data-testid="save-recording" onClick={() => void save()}>
          Save raw frames
        </button>
        <span role="status" aria-live="polite" data-testid="recording-status">
          {message}
        </span>
      </div>
    </fieldset>
  );
}
