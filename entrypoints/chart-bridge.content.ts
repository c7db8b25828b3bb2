/**
 * MAIN-world half of the chart bridge: runs in the page's own JavaScript world at document_start to
 * reach the page's chart object, and reports plain numbers to the isolated overlay script over a
 * private channel. It has no extension API; the one thing it takes from the overlay is a price range
 * to show (a zone arrow's click), validated in lib/sites/bridge.ts.
 */
import { defineContentScript } from 'wxt/utils/define-content-script';
import { overlayMatches } from '@/lib/sites';
import { chartingLibraryAdapter } from '@/lib/sites/charting-library';
import { lightweightChartsAdapter } from '@/lib/sites/lightweight-charts';
import { startPageBridge } from '@/lib/sites/page-bridge';

export default defineContentScript({
  matches: overlayMatches,
  world: 'MAIN',
  runAt: 'document_start',
  main() {
    // The Charting Library's API first: where a page has both, it is the chart the trader sees.
    startPageBridge(window, [chartingLibraryAdapter(), lightweightChartsAdapter()]);
  },
});
