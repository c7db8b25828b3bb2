/**
 * The browser's language for this surface (popup, options, overlay, worker): lib/i18n reads the
 * extension's message catalogue through `browser.i18n` and writes numbers and dates in the UI
 * language; a page root gets `lang` too, so CJK text is drawn with the right glyphs.
 */
import { browser } from 'wxt/browser';
import { currentLocale, useCatalogue } from '@/lib/i18n';

export function useBrowserLanguage(root?: HTMLElement): void {
  // Keys are checked against the English catalogue in lib/i18n (CatalogueKey), not WXT's generated list.
  const i18n = browser.i18n as unknown as { getMessage(key: string): string; getUILanguage(): string };
  useCatalogue((key) => i18n.getMessage(key), i18n.getUILanguage());
  if (root) root.lang = currentLocale();
}
