/**
 * The import boundaries bite: a probe that reaches up a layer (the model into feeds or the worker, a
 * venue into the model, a UI into the worker, the extension into dev-only code) is rejected where
 * it stands, and the same import is allowed where the layers permit it.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

/** The boundary messages ESLint reports for `source` as if it were the file at `filePath`. */
async function boundaryHits(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const probe = (...paths: string[]) => paths.map((p, i) => `import * as m${i} from '${p}';\nexport const u${i} = m${i};`).join('\n');

describe('import boundaries', () => {
  it('keep the model off feeds, positions and the worker', { timeout: 30_000 }, async () => {
    const hits = await boundaryHits('lib/model/probe.ts', probe('../net/feed-manager', '../positions/tracker', '../worker/core', './grid'));
    expect(hits).toHaveLength(3);
    expect(hits[0]).toMatch(/lib\/net\/ is off limits here: the model is fed events through its front door/);
  });

  it('keep venues below the model and the contract below everything but venues', { timeout: 30_000 }, async () => {
    expect(await boundaryHits('lib/exchanges/probe.ts', probe('../model', './types'))).toHaveLength(1);
    expect(await boundaryHits('lib/contract/probe.ts', probe('../model', '../exchanges/types', './market'))).toHaveLength(1);
  });

  it('keep UIs on the contract: no worker, feeds or positions in a component or a page', { timeout: 30_000 }, async () => {
    expect(
      await boundaryHits('components/Probe.tsx', probe('@/lib/worker/core', '@/lib/net/feed-manager', '@/lib/contract/snapshot')),
    ).toHaveLength(2);
    expect(await boundaryHits('entrypoints/popup/probe.tsx', probe('@/lib/positions/tracker'))).toHaveLength(1);
  });

  it("enter the model through its front door: lib/model's insides are off limits outside it", { timeout: 30_000 }, async () => {
    const hits = await boundaryHits(
      'lib/worker/probe.ts',
      probe('../model/level-engine', '../model/realized-ledger', '../model', '../model/params'),
    );
    expect(hits).toHaveLength(2);
    expect(hits[0]).toMatch(/front door/);
    expect(await boundaryHits('components/Probe.tsx', probe('@/lib/model/instrument-model', '@/lib/model/liquidation-price'))).toHaveLength(
      1,
    );
    expect(await boundaryHits('lib/model/probe.ts', probe('./level-engine', './realized-ledger'))).toEqual([]);
  });

  it('keep dev-only code (simulators, replay) out of the extension', { timeout: 30_000 }, async () => {
    expect(await boundaryHits('lib/worker/probe.ts', probe('../dev/replay'))).toHaveLength(1);
    expect(await boundaryHits('lib/dev/probe.ts', probe('../model/market-model', '../worker/core'))).toEqual([]);
  });

  it('allow what the layers permit: the worker composes everything below it', { timeout: 30_000 }, async () => {
    const source = probe('../net/feed-manager', '../positions/tracker', '../model', '../contract/snapshot');
    expect(await boundaryHits('lib/worker/probe.ts', source)).toEqual([]);
    expect(await boundaryHits('entrypoints/background/probe.ts', probe('@/lib/worker/core'))).toEqual([]);
  });
});
