/**
 * Settings written by a test take effect in the worker a moment later; for the sites whose content
 * scripts the worker registers at run time (local pages, the user's own sites) that moment matters:
 * a chart page that loads before the registration gets no overlay (as a trader's tab already open
 * does until it is reloaded). The harnesses' `setSettings` waits for it with these two.
 */
import { sanitizeSettings } from '../../lib/settings';
import { runTimeOverlayPatterns } from '../../lib/sites';

export interface RunTimeSites {
  /** The patterns the worker's overlay script is registered for. */
  registered: string[];
  /** Those of the wanted patterns the browser has granted. */
  expected: string[];
}

/**
 * Runs inside the extension (a worker or an extension page, Chromium or Firefox): everything it uses
 * comes in through its argument. Script id: entrypoints/background/overlay-sites.ts.
 */
export async function runTimeSitesProbe(wanted: string[]): Promise<RunTimeSites> {
  const scope = globalThis as unknown as { browser?: typeof import('wxt/browser').browser; chrome?: typeof import('wxt/browser').browser };
  const ext = (scope.browser ?? scope.chrome)!;
  const granted: string[] = [];
  for (const origin of wanted) if (await ext.permissions.contains({ origins: [origin] })) granted.push(origin);
  const [overlay] = await ext.scripting.getRegisteredContentScripts({ ids: ['liqlens-custom-overlay'] });
  return { registered: [...(overlay?.matches ?? [])].sort(), expected: granted.sort() };
}

/** Wait until the run-time sites of `settings` are registered as granted, or say what differs after 10 s. */
export async function waitForRunTimeSites(settings: unknown, probe: (patterns: string[]) => Promise<RunTimeSites>): Promise<void> {
  const patterns = runTimeOverlayPatterns(sanitizeSettings(settings).settings.overlay);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { registered, expected } = await probe(patterns);
    if (JSON.stringify(registered) === JSON.stringify(expected)) return;
    if (Date.now() > deadline) {
      throw new Error(`run-time sites not registered within 10 s: ${JSON.stringify(registered)}, expected ${JSON.stringify(expected)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
