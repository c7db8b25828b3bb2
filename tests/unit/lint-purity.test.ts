/**
 * The rule that keeps lib/ plain TypeScript bites: a probe that reaches for browser globals or
 * imports is rejected in lib/, and the same code is allowed in a named seam and in entrypoints/.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const PROBE = `
import { openDB } from 'idb';
import { browser } from 'wxt/browser';
export const probe = [document.title, window.innerWidth, indexedDB, localStorage.length, navigator.userAgent, browser, chrome, openDB];
`;

async function rulesHit(filePath: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });
  const [result] = await eslint.lintText(PROBE, { filePath });
  return result.messages.map((m) => `${m.ruleId}: ${m.message.split(':')[0]}`);
}

describe('lib/ purity', () => {
  it('rejects browser globals and browser imports in lib/, each one', { timeout: 30_000 }, async () => {
    const hits = await rulesHit('lib/model/probe.ts');
    expect(hits.filter((h) => h.startsWith('no-restricted-globals'))).toHaveLength(6);
    expect(hits.filter((h) => h.startsWith('no-restricted-imports'))).toHaveLength(2);
    expect(hits.join('\n')).toMatch(/document|window/);
  });

  it('allows them in a named seam and in entrypoints/', { timeout: 30_000 }, async () => {
    expect(await rulesHit('lib/model/history-store.ts')).toEqual([]);
    expect(await rulesHit('entrypoints/background/probe.ts')).toEqual([]);
  });
});
