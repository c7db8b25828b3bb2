/**
 * A pseudo-locale: every English message accented and twice as long ("Estimated zones" →
 * "[Éšţíḿáţéð žőñéš Éšţíḿáţéð žőñéš]"), placeholders kept. Loaded as the English catalogue of a copy
 * of the build, it shows where a longer language would overflow, and which words skipped the catalogue
 * (they stay plain).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PLAIN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ACCENTED = 'áƀçðéƒğĥíĵķĺḿñőƥɋŕšţúṽŵẋýžÁƁÇÐÉƑĞĤÍĴĶĹḾÑŐƤɊŔŠŢÚṼŴẊÝŽ';

const accent = (text: string) => [...text].map((c) => ACCENTED[PLAIN.indexOf(c)] ?? c).join('');

/** One message in the pseudo-locale: accented, doubled with its own words, {placeholders} untouched. */
export function pseudoMessage(text: string): string {
  const parts = text.split(/(\{\w+\})/);
  const body = parts.map((p) => (/^\{\w+\}$/.test(p) ? p : accent(p))).join('');
  const filler = accent(
    text
      .replace(/\{\w+\}/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  return `[${body}${filler ? ` ${filler}` : ''}]`;
}

/**
 * A copy of a built extension whose English catalogue is the pseudo-locale (the browser's UI here is
 * English, so it is the one read). Returns its directory and a way to remove it.
 */
export function pseudoLocaleBuild(builtDir: string): { dir: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'liqlens-pseudo-'));
  const dir = join(root, 'extension');
  cpSync(builtDir, dir, { recursive: true });
  const file = join(dir, '_locales', 'en', 'messages.json');
  const english = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { message: string; description?: string }>;
  const pseudo = Object.fromEntries(Object.entries(english).map(([k, v]) => [k, { message: pseudoMessage(v.message) }]));
  // The name and description keep the stores' limits (75 and 132 characters).
  pseudo.extName.message = pseudo.extName.message.slice(0, 75);
  pseudo.extDescription.message = pseudo.extDescription.message.slice(0, 132);
  pseudo.extShortName.message = english.extShortName.message;
  writeFileSync(file, JSON.stringify(pseudo));
  return { dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}
