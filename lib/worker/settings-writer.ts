/**
 * The one writer of the settings item. UIs send patches (objects merge, arrays replace, null
 * removes) or a whole replacement (import, reset); each change is merged into what is stored now,
 * validated, written, then applied, one after another, so two UIs never undo each other.
 */
import { errorText } from '../error-text';
import { applySettingsPatch, sanitizeSettings, type Settings } from '../settings';
import type { SettingsStore } from './ports';
import { t } from '../i18n';

export type SettingsResult = { settings: Settings } | { error: string };

export class SettingsWriter {
  /** Writes run one after another, each on the value the previous one stored. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: SettingsStore,
    /** Called with what was written, before the write's promise resolves. */
    private readonly written: (settings: Settings) => void,
  ) {}

  /** Merge a UI's patch into the stored settings, validate, write. Nothing is written on error. */
  change(patch: unknown): Promise<SettingsResult> {
    return this.write((stored) => applySettingsPatch(stored, patch));
  }

  /** Replace the settings whole (Options → import, reset to defaults), validated the same way. */
  replace(raw: unknown): Promise<SettingsResult> {
    return this.write(() => {
      const { settings, problems } = sanitizeSettings(raw);
      return problems.length ? { error: t('settingsRefused', { problems: problems.join('; ') }) } : { settings };
    });
  }

  /** The keyboard command: overlay off everywhere, or back on. Resolves the new state. */
  async toggleOverlay(): Promise<boolean> {
    const result = await this.write((stored) => applySettingsPatch(stored, { overlay: { enabled: !stored.overlay.enabled } }));
    if ('error' in result) throw new Error(result.error);
    return result.settings.overlay.enabled;
  }

  /** Add instruments (`venue:SYMBOL`) to their venues' symbols: a followed coin pinned from the popup. */
  addSymbols(instruments: readonly string[]): Promise<SettingsResult> {
    return this.write((stored) => {
      const venues: Record<string, { symbols: string[] }> = {};
      for (const instrument of instruments) {
        const at = instrument.indexOf(':');
        const venue = instrument.slice(0, at) as keyof Settings['venues'];
        const symbol = instrument.slice(at + 1);
        const symbols = venues[venue]?.symbols ?? [...(stored.venues[venue]?.symbols ?? [])];
        if (!symbols.includes(symbol)) symbols.push(symbol);
        venues[venue] = { symbols };
      }
      return applySettingsPatch(stored, { venues });
    });
  }

  private write(change: (stored: Settings) => SettingsResult): Promise<SettingsResult> {
    const run = this.writes.then(async (): Promise<SettingsResult> => {
      try {
        const result = change(await this.store.load());
        if ('error' in result) return result;
        await this.store.save(result.settings);
        this.written(result.settings);
        return result;
      } catch (err) {
        return { error: t('settingsNotSaved', { error: errorText(err) }) };
      }
    });
    this.writes = run;
    return run;
  }
}
