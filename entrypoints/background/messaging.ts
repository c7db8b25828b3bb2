/** Background side of lib/contract/protocol.ts: every request goes to the worker core; nothing is decided here. */
import { onMessage } from '@/lib/contract/protocol';
import type { WorkerCore } from '@/lib/worker/core';
import type { ListenerId } from '@/lib/worker/ports';
import { browser } from 'wxt/browser';

/**
 * Who asks: a chart tab's overlay by its tab id; extension pages (the popup, also when opened in a
 * tab of its own, and Options) as one listener, which gets the popup's whole snapshot.
 */
function listenerOf(sender: { tab?: { id?: number }; url?: string }): ListenerId {
  const extensionPage = sender.url?.startsWith(browser.runtime.getURL('/')) ?? false;
  return sender.tab?.id !== undefined && !extensionPage ? `tab:${sender.tab.id}` : 'page';
}

export function registerMessaging(core: WorkerCore): void {
  // Asking for a snapshot subscribes the asker to pushes.
  onMessage('getSnapshot', ({ sender }) => core.listen(listenerOf(sender)));
  onMessage('getStatus', () => core.health());
  onMessage('getView', ({ data }) => core.view(data));
  onMessage('getHeatmap', ({ data }) => core.heatmap(data));
  onMessage('listInstruments', () => core.instruments());
  onMessage('getAlertHistory', () => core.alertHistory());
  onMessage('getCalibration', () => core.calibration());
  onMessage('exportRecording', ({ data }) => core.exportRecording(data?.minutes));
  onMessage('changeSettings', ({ data }) => core.changeSettings(data));
  onMessage('replaceSettings', ({ data }) => core.replaceSettings(data));
  onMessage('watchCoin', ({ sender, data }) => core.watchCoin(listenerOf(sender), data));
  onMessage('pinCoin', ({ data }) => core.pinCoin(data));
  onMessage('retryBackfill', () => core.retryBackfill());
}
