/**
 * Tests read the English catalogue, as a browser with an English UI does: lib/i18n's `t` then
 * returns the words a trader sees, and tests assert those. (Numbers follow `en-US`.)
 */
import english from '../public/_locales/en/messages.json';
import { useCatalogue } from '../lib/i18n';

const messages = english as Record<string, { message: string }>;
useCatalogue((key) => messages[key]?.message ?? '', 'en-US');
