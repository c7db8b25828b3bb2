/**
 * "Save a recording": the last minutes of raw frames as a .rec.jsonl file, for bug reports and
 * replays. The recorder is off unless the user turns it on (it holds up to 40 MB of frames in memory).
 */
import { useState } from 'preact/hooks';
import { sendMessage } from '@/lib/contract/protocol';

export function RecordingExport({ enabled, onToggle }: { enabled: boolean; onToggle(on: boolean): void }) {
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
    <fieldset id="sec-recording">
      <legend>Recording</legend>
      <div class="field">
        <label for="rec-enabled">Keep the last 10 minutes of raw frames</label>
        <input id="rec-enabled" type="checkbox" checked={enabled} onChange={(e) => onToggle((e.target as HTMLInputElement).checked)} />
      </div>
      <p class="hint">
        Off by default. When on, LiqLens keeps the last 10 minutes of raw exchange frames in memory (at most 200 000 frames or 40 MB of
        text; never on disk, never sent anywhere), so you can save them for a bug report or a replay. Turning it off frees them.
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
        <button type="button" data-testid="save-recording" disabled={!enabled} onClick={() => void save()}>
          Save raw frames
        </button>
        <span role="status" aria-live="polite" data-testid="recording-status">
          {message}
        </span>
      </div>
    </fieldset>
  );
}
