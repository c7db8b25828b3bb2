/** What every options section gets: the draft as edited, and the one way to change it (autosaved). */
import type { Settings } from '@/lib/settings';

export interface SectionProps {
  draft: Settings;
  /** Change the draft; it is saved after a short pause (lib/settings: validated by the one writer). */
  update(fn: (s: Settings) => void): void;
}

/** The value of the input or select an event came from. */
export const value = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;
