/**
 * Controls a screen reader would announce without a name: every button, field, select, link and tab
 * needs one (aria-label, aria-labelledby, a <label>, or its own text), as the accessible-name rules
 * compute it for these elements. `shadowHost`: look inside that element's (open) shadow root, as
 * the overlay draws on a page.
 */
import type { Page } from 'playwright-core';

export async function unnamedControls(page: Page, shadowHost?: string): Promise<string[]> {
  return page.evaluate((host) => {
    const root: Document | ShadowRoot | null | undefined = host ? document.querySelector(host)?.shadowRoot : document;
    if (!root) return [`no shadow root on ${host}`];
    const named = (el: HTMLElement): boolean => {
      if (el.getAttribute('aria-label')?.trim()) return true;
      const by = el.getAttribute('aria-labelledby');
      if (by && by.split(/\s+/).some((id) => root.getElementById(id)?.textContent?.trim())) return true;
      const labels = (el as HTMLInputElement).labels;
      if (labels && [...labels].some((l) => l.textContent?.trim())) return true;
      if (['BUTTON', 'A'].includes(el.tagName) || el.getAttribute('role') === 'tab') if (el.textContent?.trim()) return true;
      if (el.tagName === 'INPUT' && ['submit', 'button'].includes((el as HTMLInputElement).type) && (el as HTMLInputElement).value)
        return true;
      return !!el.getAttribute('title')?.trim();
    };
    return [...root.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], [role=tab], [tabindex="0"]')]
      .filter((el) => el.getClientRects().length > 0 && (el as HTMLInputElement).type !== 'hidden' && !named(el))
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}`);
  }, shadowHost);
}
