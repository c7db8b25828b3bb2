/**
 * `web-ext lint` on the Firefox build, with the warnings we cannot remove explained instead of
 * ignored: it fails on any error, and on any warning that is not one of these (docs/architecture.md#firefox):
 * - UNSAFE_VAR_ASSIGNMENT at Preact's `dangerouslySetInnerHTML` branch (`e.innerHTML = p.__html`),
 *   bundled with Preact whether used or not. Our code never uses it: ESLint bans the attribute and
 *   `innerHTML` itself, so that branch never runs.
 * Run after `npm run build:firefox`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = new URL('../.output/firefox-mv2/', import.meta.url).pathname;

interface LintMessage {
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

let out: string;
try {
  out = execFileSync('npx', ['web-ext', 'lint', '--source-dir', DIR, '--output', 'json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
} catch (err) {
  // web-ext exits non-zero on errors; its JSON is still on stdout.
  out = String((err as { stdout?: unknown }).stdout ?? '');
}
const report = JSON.parse(out.slice(out.indexOf('{'))) as { errors: LintMessage[]; warnings: LintMessage[]; notices: LintMessage[] };

/** The text around a message's position in the built file. */
function around(m: LintMessage): string {
  if (!m.file || !m.line) return '';
  const line = readFileSync(join(DIR, m.file), 'utf8').split('\n')[m.line - 1] ?? '';
  const at = Math.max(0, (m.column ?? 0) - 1);
  return line.slice(Math.max(0, at - 120), at + 120);
}

const explained = (m: LintMessage) => m.code === 'UNSAFE_VAR_ASSIGNMENT' && /innerHTML\s*=\s*\w+\.__html/.test(around(m));
const where = (m: LintMessage) => `${m.code} ${m.file ?? ''}${m.line ? `:${m.line}:${m.column}` : ''}: ${m.message}`;
const unexplained = report.warnings.filter((w) => !explained(w));
for (const e of report.errors) console.log(`error   ${where(e)}`);
for (const w of report.warnings) console.log(`${explained(w) ? 'known  ' : 'warning'} ${where(w)}`);
console.log(
  `web-ext lint: ${report.errors.length} errors, ${report.warnings.length} warnings (${report.warnings.length - unexplained.length} explained in docs/architecture.md#firefox), ${report.notices.length} notices`,
);
if (report.errors.length || unexplained.length) process.exit(1);
