/**
 * The service worker: builds the core's ports from browser APIs and routes messages, alarms and
 * commands to it. Logic lives in lib/worker/core.ts. Listeners are registered synchronously in
 * main() so a worker woken by a message, alarm or command handles it.
 */
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { useBrowserLanguage } from '@/components/browser-language';
import { errorText } from '@/lib/error-text';
import { t } from '@/lib/i18n';
import { watchSettings } from '@/lib/settings/storage';
import { WorkerCore } from '@/lib/worker/core';
import { registerAlarms } from './alarms';
import { registerMessaging } from './messaging';
import { TOGGLE_COMMAND } from './overlay-sites';
import { browserPorts } from './ports';

export default defineBackground(() => {
  // Notifications and notices in the browser's language.
  useBrowserLanguage();
  const core: WorkerCore = new WorkerCore(browserPorts((message) => core.notice(message)));
  registerMessaging(core);
  registerAlarms();
  browser.commands?.onCommand.addListener((command) => {
    if (command === TOGGLE_COMMAND)
      core.toggleOverlay().catch((err: unknown) => core.notice(t('commandToggleFailed', { error: errorText(err) })));
  });
  // A host granted or withdrawn (Options, or the browser's own site-access menu): register again.
  browser.permissions?.onAdded?.addListener(() => core.permissionsChanged());
  browser.permissions?.onRemoved?.addListener(() => core.permissionsChanged());
  // Writes from outside the core (a migration, another profile sync) are applied too.
  watchSettings((settings) => core.apply(settings));
  void core.start();
});
