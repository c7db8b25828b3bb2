/**
 * MAIN-world half of the chart bridge: runs in the page's own JavaScript world at document_start to
 * reach the page's chart object, and reports plain numbers to the isolated overlay script. It has
 * no extension API and receives nothing from the extension.
 */
import { defineContentScript } from 'wxt/utils/define-content-script';
import { installLightweightChartsHook } from '@/lib/sites/lightweight-charts';
import { overlayMatches } from '@/lib/sites';

export default defineContentScript({
  matches: overlayMatches,
  world: 'MAIN',
  runAt: 'document_start',
  main() {
    installLightweightChartsHook(window);
  },
});
