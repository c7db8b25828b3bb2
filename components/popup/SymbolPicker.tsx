/** The quick view's symbol search: every instrument the venues list, ↑/↓ through the results, Enter takes one. */
import { useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { searchInstruments } from '@/lib/ui/search';
import type { InstrumentChoice } from './types';

export function SymbolPicker({
  selection,
  instruments,
  onSelect,
}: {
  selection: string;
  instruments: InstrumentChoice[];
  onSelect(value: string): void;
}) {
  const [query, setQuery] = useState('');
  /** The search result ↑/↓ highlight, taken by Enter. */
  const [active, setActive] = useState(0);
  const matches = searchInstruments(instruments, query);
  const choose = (value: string) => {
    onSelect(value);
    setQuery('');
    setActive(0);
  };
  return (
    <div class="picker">
      <label for="symbol-search" class="sr-only">
        {t('symbol')}
      </label>
      <input
        id="symbol-search"
        type="search"
        placeholder={t('symbolSearch', { selection })}
        value={query}
        onInput={(e) => {
          setQuery((e.target as HTMLInputElement).value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && matches.length) {
            e.preventDefault();
            const step = e.key === 'ArrowDown' ? 1 : -1;
            setActive((a) => (a + step + matches.length) % matches.length);
          }
          if (e.key === 'Enter' && matches[active]) choose(matches[active].value);
          if (e.key === 'Escape') setQuery('');
        }}
        aria-activedescendant={matches.length ? `result-${active}` : undefined}
        aria-controls="symbol-results"
        aria-expanded={matches.length > 0}
        role="combobox"
        list={undefined}
      />
      {matches.length > 0 && (
        <ul id="symbol-results" role="listbox" class="results">
          {matches.map((m, i) => (
            <li key={m.value} id={`result-${i}`} role="option" aria-selected={i === active} class={i === active ? 'active' : undefined}>
              <button type="button" onClick={() => choose(m.value)}>
                {m.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
