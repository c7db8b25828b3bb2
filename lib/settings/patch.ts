/**
 * Settings patches: what a UI sends the one writer (objects merge, arrays and values replace, null
 * removes), the difference between two settings, and an options draft rebased on a change made
 * elsewhere.
 */
import { t } from '../i18n';
import { isObject, sanitizeSettings } from './sanitize';
import type { Settings } from './schema';
/**
 * A change to the settings, as UIs send it: objects merge key by key, arrays and values replace, and
 * `null` removes a key (a calibration) or puts a field back to its default. Sending only what the
 * user changed means no UI can overwrite what another saved meanwhile.
 */
export type SettingsPatch = Patch<Settings>;

type Patch<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: Patch<T[K]> | null } : T;

/** Keys never merged from a patch: a UI is code we do not fully control. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `base` with `patch` merged in (a new object; `base` is not touched). */
export function mergeSettingsPatch(base: Settings, patch: SettingsPatch): unknown {
  return mergeValue(base, patch);
}

function mergeValue(base: unknown, patch: unknown): unknown {
  if (!isObject(patch) || !isObject(base)) return structuredClone(patch);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(patch)) {
    if (UNSAFE_KEYS.has(key)) continue;
    if (value === null) delete out[key];
    else if (value !== undefined) out[key] = mergeValue(out[key], value);
  }
  return out;
}

/**
 * The smallest patch that turns `from` into `to`: what a UI sends after the user edited a copy.
 * Keys that `to` lacks become `null` (removed).
 */
export function settingsDiff(from: unknown, to: unknown): SettingsPatch | undefined {
  return diffValue(from, to) as SettingsPatch | undefined;
}

function diffValue(from: unknown, to: unknown): unknown {
  if (isObject(from) && isObject(to)) {
    const out: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
      if (!Object.hasOwn(to, key)) out[key] = null;
      else {
        const d = diffValue(from[key], to[key]);
        if (d !== undefined) out[key] = d;
      }
    }
    return Object.keys(out).length ? out : undefined;
  }
  return JSON.stringify(from) === JSON.stringify(to) ? undefined : structuredClone(to);
}

/** Dotted paths a patch touches (`overlay.opacity`), for "changed elsewhere" marks. */
export function patchPaths(patch: SettingsPatch | undefined, prefix = ''): string[] {
  if (!isObject(patch)) return prefix ? [prefix] : [];
  return Object.entries(patch).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return isObject(value) ? patchPaths(value as SettingsPatch, path) : [path];
  });
}

/**
 * An editor's draft after the stored settings changed under it (another tab, the popup, the
 * keyboard command): the new stored value, with the user's own unsaved edits kept on top.
 * `conflicts` lists the edited fields that were also changed elsewhere (kept as the user typed them,
 * and marked so the user sees it).
 */
export function rebaseDraft(base: Settings, draft: Settings, stored: Settings): { draft: Settings; conflicts: string[] } {
  const edits = settingsDiff(base, draft);
  if (!edits) return { draft: structuredClone(stored), conflicts: [] };
  const elsewhere = patchPaths(settingsDiff(base, stored));
  const stillDifferent = patchPaths(settingsDiff(stored, draft));
  const overlaps = (p: string, list: string[]) => list.some((q) => q === p || q.startsWith(`${p}.`) || p.startsWith(`${q}.`));
  // An edit that the stored value now equals was saved (here); one changed elsewhere to another value is a conflict.
  const conflicts = patchPaths(edits).filter((p) => overlaps(p, elsewhere) && overlaps(p, stillDifferent));
  // Not sanitized: a draft may hold a half-typed value (an endpoint) that the editor shows as an error.
  return { draft: mergeSettingsPatch(stored, edits) as Settings, conflicts };
}

/**
 * Apply a patch to the stored settings: the merged value must validate, or nothing changes (a bad
 * field in a patch never costs the good ones already stored).
 */
export function applySettingsPatch(base: Settings, patch: unknown): { settings: Settings } | { error: string } {
  if (!isObject(patch)) return { error: t('settingsPatchNotObject') };
  const { settings, problems } = sanitizeSettings(mergeSettingsPatch(base, patch as SettingsPatch));
  if (problems.length) return { error: t('settingsRefused', { problems: problems.join('; ') }) };
  return { settings };
}
