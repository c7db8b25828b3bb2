/**
 * The options page's draft of the settings, and how it reaches the one writer: every edit autosaves
 * once valid, after a short pause, as a patch of what differs from what is stored. The draft follows
 * the stored settings: a change made elsewhere (the popup, a chart page, the keyboard command) shows
 * up at once, and the user's own unsaved edits stay on top (marked when they collided).
 *
 * Text that reconnects feeds (endpoints) is saved when the field is left or Enter is pressed, never
 * half-typed; anything invalid is not saved, and the status says what to fix.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { applyTheme } from '@/components/live-store';
import { sendMessage } from '@/lib/contract/protocol';
import { errorText } from '@/lib/error-text';
import { t } from '@/lib/i18n';
import { rebaseDraft, sanitizeSettings, settingsDiff, type Settings, type SettingsPatch } from '@/lib/settings';
import { loadSettings, watchSettings } from '@/lib/settings/storage';

export type SaveStatus =
  { kind: 'idle' } | { kind: 'pending' } | { kind: 'saving' } | { kind: 'saved'; at: number } | { kind: 'error'; message: string };

/** Autosave waits this long after the last change: one write per burst of edits. */
const AUTOSAVE_MS = 400;

/** Send a change to the one settings writer; resolves the error text, if any. */
export async function send(request: Promise<{ settings: Settings } | { error: string }>): Promise<string | undefined> {
  try {
    const result = await request;
    return 'error' in result ? result.error : undefined;
  } catch (err) {
    return t('couldNotSave', { reason: errorText(err) });
  }
}

/** A patch without venue edits: what autosaves while an endpoint is still being typed. */
function withoutVenues(patch: SettingsPatch | undefined): SettingsPatch | undefined {
  if (!patch) return undefined;
  const { venues: _venues, ...rest } = patch;
  return Object.keys(rest).length ? rest : undefined;
}

export interface SettingsDraft {
  draft: Settings | null;
  /** What is stored (the draft's base): what "reset" keeps sites and calibrations from. */
  stored(): Settings | null;
  status: SaveStatus;
  setStatus(status: SaveStatus): void;
  /** Fields edited here that were also changed elsewhere before they were saved. */
  conflicts: string[];
  update(fn: (s: Settings) => void): void;
  /** An endpoint is being typed (venue edits wait) or was left (save now). */
  typingEndpoint(typing: boolean): void;
  /** Enter in a field, or "Save now": save at once, an endpoint being typed included. */
  submit(): Promise<void>;
  /** Replace the stored settings whole (import, reset); the draft starts again from them. */
  replace(next: Settings): Promise<void>;
}

export function useSettingsDraft(): SettingsDraft {
  const [draft, setDraftState] = useState<Settings | null>(null);
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const [conflicts, setConflicts] = useState<string[]>([]);
  const autosave = useRef<ReturnType<typeof setTimeout>>(undefined);
  const typing = useRef(false);
  /** The stored settings the draft was last rebased on, and the draft itself, for callbacks. */
  const base = useRef<Settings | null>(null);
  const current = useRef<Settings | null>(null);
  const setDraft = (next: Settings) => {
    current.current = next;
    setDraftState(next);
    applyTheme(next);
  };

  useEffect(() => {
    void loadSettings().then((s) => {
      if (base.current) return; // the watch was first
      base.current = s;
      setDraft(s);
    });
    return watchSettings((stored) => {
      const previous = base.current;
      base.current = stored;
      if (!previous || !current.current) return setDraft(stored);
      const rebased = rebaseDraft(previous, current.current, stored);
      setDraft(rebased.draft);
      if (rebased.conflicts.length) setConflicts(rebased.conflicts);
    });
  }, []);

  const scheduleSave = (ms: number) => {
    clearTimeout(autosave.current);
    autosave.current = setTimeout(() => void save(), ms);
  };

  /** Save what differs from the stored settings; venue edits wait while an endpoint is being typed. */
  async function save() {
    clearTimeout(autosave.current);
    const problems = current.current ? sanitizeSettings(current.current).problems : [];
    if (problems.length) return setStatus({ kind: 'error', message: t('optionsNotSaved', { problems: problems.join('; ') }) });
    const diff = settingsDiff(base.current, current.current);
    const patch = typing.current ? withoutVenues(diff) : diff;
    if (!patch) return setStatus(typing.current ? { kind: 'pending' } : { kind: 'saved', at: Date.now() });
    setStatus({ kind: 'saving' });
    const error = await send(sendMessage('changeSettings', patch));
    if (error) return setStatus({ kind: 'error', message: error });
    setConflicts([]);
    setStatus(typing.current ? { kind: 'pending' } : { kind: 'saved', at: Date.now() });
  }

  return {
    draft,
    stored: () => base.current,
    status,
    setStatus,
    conflicts,
    update(fn) {
      const next = structuredClone(current.current ?? draft!);
      fn(next);
      setDraft(next);
      setStatus({ kind: 'pending' });
      scheduleSave(AUTOSAVE_MS);
    },
    typingEndpoint(now) {
      typing.current = now;
      // Left the field: the endpoint is what the user meant; save it (if valid) now.
      if (!now) scheduleSave(0);
    },
    submit() {
      typing.current = false;
      return save();
    },
    async replace(next) {
      const error = await send(sendMessage('replaceSettings', next));
      if (error) return setStatus({ kind: 'error', message: error });
      base.current = next;
      setDraft(next);
      setConflicts([]);
      setStatus({ kind: 'saved', at: Date.now() });
    },
  };
}
