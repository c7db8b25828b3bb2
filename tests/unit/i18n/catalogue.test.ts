/**
 * The message catalogue (public/_locales) against the code: every locale complete, no key unused, no
 * words typed into a component's markup, no sentence typed into lib/ outside its diagnostics. Each
 * check is also run on a probe it must catch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  catalogueProblems,
  DIAGNOSTIC_FILES,
  hardCodedStrings,
  LOCALES,
  pluralCategories,
  readCatalogue,
  sourceFiles,
  untranslatedSentences,
  unusedKeys,
  type Catalogue,
} from '../../harness/i18n-check';

const ROOT = new URL('../../../', import.meta.url).pathname;
const english = readCatalogue(ROOT, 'en');

describe('the message catalogue', () => {
  it.each(LOCALES.filter((l) => l !== 'en'))('%s has every key, the plural forms it uses, and English’s placeholders', (locale) => {
    expect(catalogueProblems(locale, readCatalogue(ROOT, locale), english)).toEqual([]);
  });

  it('English has one and other for each plural, valid keys, and no "$"', () => {
    expect(catalogueProblems('en', english, english)).toEqual([]);
  });

  it('fails a locale missing a key, with a stray key, a lost placeholder, or a plural form its language needs', () => {
    const probe: Catalogue = structuredClone(readCatalogue(ROOT, 'ru'));
    const [first, second] = Object.keys(english).filter((k) => !k.includes('__'));
    delete probe[first];
    probe.notAKeyOfOurs = { message: 'x' };
    const withPlaceholder = Object.keys(english).find((k) => english[k].message.includes('{') && !k.includes('__'))!;
    probe[withPlaceholder] = { message: 'без подстановки' };
    probe[second] = { message: 'US$ 5' };
    const problems = catalogueProblems('ru', probe, english);
    expect(problems).toContain(`ru: missing ${first}`);
    expect(problems.some((p) => p.includes('notAKeyOfOurs'))).toBe(true);
    expect(problems.some((p) => p.startsWith(`ru: ${withPlaceholder} has placeholders`))).toBe(true);
    expect(problems.some((p) => p.startsWith(`ru: ${second} has a "$"`))).toBe(true);
    // Russian counts one / few / many / other: a catalogue with English's two forms is incomplete.
    expect(pluralCategories('ru')).toEqual(['few', 'many', 'one', 'other']);
    const plural = Object.keys(english)
      .find((k) => k.endsWith('__other'))
      ?.replace('__other', '');
    if (plural) {
      delete probe[`${plural}__few`];
      expect(catalogueProblems('ru', probe, english)).toContain(`ru: missing ${plural}__few`);
    }
  });

  it('has no key the code does not use (and catches one it does not)', () => {
    const sources = [...sourceFiles(ROOT, ['components', 'entrypoints', 'lib'], /\.tsx?$/), 'wxt.config.ts'].map((f) =>
      readFileSync(join(ROOT, f), 'utf8'),
    );
    expect(unusedKeys(english, sources)).toEqual([]);
    expect(unusedKeys({ ...english, probeKeyNobodyUses: { message: 'x' } }, sources)).toEqual(['probeKeyNobodyUses']);
  });
});

describe('components', () => {
  const files = sourceFiles(ROOT, ['components', 'entrypoints'], /\.tsx$/);

  it('type no words into markup: every word a trader reads comes from the catalogue', () => {
    const findings = files.flatMap((f) => hardCodedStrings(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(findings).toEqual([]);
  });

  it('catches words in text, in a condition, in a template and in a read attribute, and lets names and symbols pass', () => {
    const probe = `export const P = ({ on, n }) => (
      <div title="Drag to move" aria-label={on ? 'Open the panel' : 'Close'}>
        Hello trader
        {on && 'shown when on'}
        {\`\${n} liquidations\`}
        <span class="a-class-name" data-testid="not-read">{'▴'} LiqLens · BTC 97,000 px</span>
        {t('fromTheCatalogue')}
      </div>
    );`;
    const found = hardCodedStrings('probe.tsx', probe).map((f) => f.replace(/^probe\.tsx:\d+ /, ''));
    expect(found).toEqual(['"Drag to move"', '"Open the panel"', '"Close"', '"Hello trader"', '"shown when on"', '"liquidations"']);
  });
});

// Code outside markup: lib/, and the .ts files of the UIs and the worker's wiring (a tooltip built
// on a canvas, an error a store holds, a notice from a keyboard command). Their .tsx is checked above.
describe('code outside markup', () => {
  const files = sourceFiles(ROOT, ['lib', 'components', 'entrypoints'], /\.ts$/).filter(
    (f) => !f.startsWith('lib/dev/') && !DIAGNOSTIC_FILES.has(f),
  );

  it('words what a trader reads (notices, feed errors, settings problems, venue notes, tooltips) through the catalogue', () => {
    const findings = files.flatMap((f) => untranslatedSentences(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(findings).toEqual([]);
  });

  it('catches a notice, an error reason and a problem typed in English, and lets logs, URLs and keys pass', () => {
    const probe = `
      this.notice('Heatmap history could not load.');
      const reason = code === 1000 ? 'closed by venue' : \`closed with code \${code}\`;
      problems.push(t('settingsTheme'));
      this.log('could not save engine state', err);
      this.ports.log?.('could not restore recent liquidations');
      const url = \`\${rest}/fapi/v1/klines?symbol=\${s}&interval=5m&limit=500\`;
      const venue = 'Binance USD-M';
      lines.push(share > 0 ? \`Estimated ≈ \${usd} at that minute\` : 'No estimated levels');
      ctx.font = '600 11px system-ui, sans-serif';
    `;
    const found = untranslatedSentences('probe.ts', probe).map((f) => f.replace(/^probe\.ts:\d+ /, ''));
    expect(found).toEqual([
      '"Heatmap history could not load."',
      '"closed by venue"',
      '"closed with code"',
      '"Estimated ≈   at that minute"',
      '"No estimated levels"',
    ]);
  });
});
