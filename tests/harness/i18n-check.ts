/**
 * The message catalogue's checks (tests/unit/i18n/catalogue.test.ts runs them on the tree and on
 * probes): every locale has every key and no other, with the plural forms its language uses and the
 * placeholders English has; no key unused; no words typed straight into a component's markup.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { placeholdersOf } from '../../lib/i18n';

export type Catalogue = Record<string, { message: string; description?: string }>;

/** English, then the languages traders read most (issue #27), in the browser's folder names. */
export const LOCALES = ['en', 'zh_CN', 'zh_TW', 'ko', 'ja', 'ru', 'tr', 'vi', 'es', 'pt_BR'] as const;

const PLURAL = /^(.+)__(zero|one|two|few|many|other)$/;

/** A message's placeholders, sorted; a plural form may leave `{count}` out ("one liquidation"). */
const placeholders = (text: string, plural = false) =>
  placeholdersOf(text)
    .filter((name) => !(plural && name === 'count'))
    .join(',');

/** The plural categories a locale's numbers take (`Intl.PluralRules`), as the catalogue must spell them. */
export function pluralCategories(locale: string): string[] {
  return [...new Intl.PluralRules(locale.replace('_', '-')).resolvedOptions().pluralCategories].sort();
}

/** What is wrong with `catalogue` for `locale`, measured against English. Empty: nothing. */
export function catalogueProblems(locale: string, catalogue: Catalogue, english: Catalogue): string[] {
  const problems: string[] = [];
  const bases = new Set(Object.keys(english).flatMap((k) => PLURAL.exec(k)?.[1] ?? []));
  const expected = new Set<string>();
  for (const key of Object.keys(english)) if (!PLURAL.test(key)) expected.add(key);
  for (const base of bases) for (const c of pluralCategories(locale)) expected.add(`${base}__${c}`);
  for (const key of expected) if (!(key in catalogue)) problems.push(`${locale}: missing ${key}`);
  for (const [key, entry] of Object.entries(catalogue)) {
    if (!/^[A-Za-z0-9_]+$/.test(key)) problems.push(`${locale}: ${key} is not a key the browser accepts (letters, digits, _)`);
    if (!expected.has(key)) {
      problems.push(`${locale}: ${key} is not in English (or not a plural form ${locale} uses)`);
      continue;
    }
    const text = entry?.message;
    if (typeof text !== 'string' || !text.trim()) {
      problems.push(`${locale}: ${key} has no message`);
      continue;
    }
    // `$` starts the browser's own substitutions ($1, $name$): amounts come in as {placeholders}.
    if (text.includes('$')) problems.push(`${locale}: ${key} has a "$" (the browser would substitute it): use a {placeholder}`);
    const plural = PLURAL.exec(key);
    const source = plural ? english[`${plural[1]}__other`] : english[key];
    const want = placeholders(source.message, !!plural);
    const have = placeholders(text, !!plural);
    if (have !== want) problems.push(`${locale}: ${key} has placeholders {${have}}, English {${want}}`);
  }
  return problems;
}

/** Keys of the English catalogue that no source file names (a plural counts by its base, `tn('x'`). */
export function unusedKeys(english: Catalogue, sources: readonly string[]): string[] {
  const named = new Set<string>();
  for (const text of sources) {
    for (const m of text.matchAll(/['"`]([A-Za-z0-9_]+)['"`]/g)) named.add(m[1]);
    for (const m of text.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)) named.add(m[1]);
  }
  return Object.keys(english).filter((key) => !named.has(PLURAL.exec(key)?.[1] ?? key));
}

/** Names and units that are the same in every language: never a finding on their own. */
const UNTRANSLATED =
  /\b(LiqLens|TradingView|Hyperliquid|Binance|Bybit|OKX|BitMEX|Deribit|Bitget|Gate|Kraken|dYdX|USD[TC]?|BTC|ETH|px|ms|USD-M)\b/g;
const WORDS = /\p{L}{2,}/u;
/** Attributes a person reads or hears. */
const READ_ATTRIBUTES = new Set(['title', 'aria-label', 'aria-description', 'placeholder', 'alt', 'label', 'aria-roledescription']);

const hasWords = (text: string) => WORDS.test(text.replace(UNTRANSLATED, ''));

/**
 * Words typed into markup in a .tsx file: JSX text, string and template literals among a JSX
 * element's children, and the read attributes (`title`, `aria-label`, `placeholder`, ...).
 * Each finding is `file:line "text"`.
 */
export function hardCodedStrings(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const findings: string[] = [];
  const report = (node: ts.Node, text: string) =>
    findings.push(`${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1} "${text.trim().slice(0, 60)}"`);
  /** String parts of an expression that would be shown as they are (both arms of a condition, `a && 'b'`). */
  const literalsIn = (expr: ts.Node, found: (node: ts.Node, text: string) => void): void => {
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return found(expr, expr.text);
    if (ts.isTemplateExpression(expr)) {
      const parts = [expr.head.text, ...expr.templateSpans.map((s) => s.literal.text)].join(' ');
      if (hasWords(parts)) found(expr, parts);
      for (const span of expr.templateSpans) literalsIn(span.expression, found);
      return;
    }
    if (ts.isConditionalExpression(expr)) return (literalsIn(expr.whenTrue, found), literalsIn(expr.whenFalse, found));
    if (
      ts.isBinaryExpression(expr) &&
      [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(
        expr.operatorToken.kind,
      )
    )
      return (literalsIn(expr.left, found), literalsIn(expr.right, found));
    if (ts.isParenthesizedExpression(expr)) return literalsIn(expr.expression, found);
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && hasWords(node.text)) report(node, node.text);
    if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent)))
      literalsIn(node.expression, (n, text) => hasWords(text) && report(n, text));
    if (ts.isJsxAttribute(node) && READ_ATTRIBUTES.has(node.name.getText(file)) && node.initializer) {
      const init = node.initializer;
      if (ts.isStringLiteral(init)) {
        if (hasWords(init.text)) report(init, init.text);
      } else if (ts.isJsxExpression(init) && init.expression) literalsIn(init.expression, (n, text) => hasWords(text) && report(n, text));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return findings;
}

/** Every source file under `dirs` (relative to `root`) with this extension. */
export function sourceFiles(root: string, dirs: readonly string[], pattern: RegExp): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (pattern.test(entry.name)) out.push(relative(root, path));
    }
  };
  for (const d of dirs) walk(join(root, d));
  return out.sort();
}

export function readCatalogue(root: string, locale: string): Catalogue {
  return JSON.parse(readFileSync(join(root, 'public/_locales', locale, 'messages.json'), 'utf8')) as Catalogue;
}

/**
 * lib/ files whose English sentences are diagnostics, not words a trader is meant to read as
 * prose: each venue's protocol file (what was wrong with which frame, quoting the frame), request
 * validation between LiqLens's own surfaces (only a bug or a hostile page trips it), internal
 * invariants that throw, and the developer tools. Everything else in lib/ words what it shows
 * through the catalogue (t / tn).
 */
export const DIAGNOSTIC_FILES: ReadonlySet<string> = new Set([
  ...['binance', 'bybit', 'okx', 'bitmex', 'deribit', 'hyperliquid', 'bitget', 'gate', 'dydx', 'kraken', 'parse-util'].map(
    (v) => `lib/exchanges/${v}.ts`,
  ),
  'lib/positions/clearinghouse.ts',
  'lib/contract/view.ts',
  'lib/contract/heatmap-wire.ts',
  'lib/model/distance-prior.ts',
  'lib/model/grid.ts',
  'lib/net/recording.ts',
]);

/** Two words or more with a space between (names and units aside): `not saved: …`, not `liqlens:bridge-hello:v1`. */
const isSentence = (text: string) =>
  /\p{L}{2,}[^\p{L}\d]*\s+[^\p{L}\d]*\p{L}{2,}/u.test(text.replace(UNTRANSLATED, '').replace(/\[object \w+\]/g, ''));

/** A canvas font (`ctx.font = '600 11px system-ui, sans-serif'`): CSS, not words. */
const isFontAssignment = (node: ts.Node) =>
  ts.isBinaryExpression(node.parent) &&
  node.parent.right === node &&
  ts.isPropertyAccessExpression(node.parent.left) &&
  node.parent.left.name.text === 'font';

/** Calls whose arguments no trader reads: the console's, and a socket's close reason (sent to the venue). */
const DEVELOPER_CALLS = /^(log|debug|warn|console\.\w+|this\.log|this\.ports\.log|this\.closeSocket)$/;

/**
 * Sentences typed into a .ts file (two words or more, names and units aside), outside
 * developer-log calls, URLs and canvas fonts: words a trader would read in English whatever their
 * language.
 * Each finding is `file:line "text"`.
 */
export function untranslatedSentences(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const findings: string[] = [];
  const inDeveloperCall = (node: ts.Node): boolean => {
    for (let p = node.parent; p; p = p.parent) {
      if (ts.isCallExpression(p) && DEVELOPER_CALLS.test(p.expression.getText(file).replace(/\?\./g, '.'))) return true;
    }
    return false;
  };
  const visit = (node: ts.Node) => {
    let parts: string[] | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) parts = [node.text];
    else if (ts.isTemplateExpression(node)) parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
    const text = parts?.join(' ');
    if (
      parts &&
      text !== undefined &&
      !ts.isImportDeclaration(node.parent) &&
      !ts.isExportDeclaration(node.parent) &&
      !/:\/\/|^\//.test(parts.join('')) &&
      isSentence(text) &&
      !isFontAssignment(node) &&
      !inDeveloperCall(node)
    )
      findings.push(`${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1} "${text.trim().slice(0, 60)}"`);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return findings;
}
