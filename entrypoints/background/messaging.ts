/** Background side of lib/contract/protocol.ts: every request goes to the worker core; nothing is decided here. */
import { onMessage } from '@/lib/contract/protocol';
import type { WorkerCore } from '@/lib/worker/core';

export function registerMessaging(core: WorkerCore): void {
  // Asking for a snapshot subscribes the asker to pushes: a tab by its id, extension pages as one.
  onMessage('getSnapshot', ({ sender }) => core.listen(sender.tab?.id !== undefined ? `tab:${sender.tab.id}` : 'page'));
  onMessage('getStatus', () => core.health());
  onMessage('getView', ({ data }) => core.view(data));
  onMessage('getHeatmap', ({ data }) => core.heatmap(data));
  onMessage('listInstruments', () => core.instruments());
  onMessage('getAlertHistory', () => core.alertHistory());
  onMessage('getCalibration', () => core.calibration());
  onMessage('exportRecording', ({ data }) => core.exportRecording(data?.minutes));
  onMessage('changeSettings', ({ data }) => core.changeSettings(data));
  onMessage('replaceSettings', ({ data }) => core.replaceSettings(data));
  onMessage('watchCoin', ({ sender, data }) => core.watchCoin(sender.tab?.id !== undefined ? `tab:${sender.tab.id}` : 'page', data));
  onMessage('pinCoin', ({ data }) => core.pinCoin(data));
  onMessage('retryBackfill', () => core.retryBackfill());
}
