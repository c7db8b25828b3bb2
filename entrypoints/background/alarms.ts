/**
 * A wake-up path. While feeds stream, their traffic keeps the worker alive (Chrome ≥ 116). If the
 * worker is stopped anyway (browser update, crash, idle with every venue down), this alarm wakes it
 * within 30 s; waking runs the background's main(), which re-opens every feed.
 */
import { browser } from 'wxt/browser';

const WAKE_ALARM = 'liqlens-wake';

export function registerAlarms(): void {
  browser.alarms.onAlarm.addListener(() => {
    // Nothing to do: being woken is the point.
  });
  void browser.alarms.get(WAKE_ALARM).then((alarm) => {
    if (!alarm) void browser.alarms.create(WAKE_ALARM, { periodInMinutes: 0.5 });
  });
}
