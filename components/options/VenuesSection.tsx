/** Options → Venues: each venue on or off, its symbols (those its list does not name are flagged) and endpoint overrides. */
import { listVenues } from '@/lib/exchanges';
import type { VenueEndpoints } from '@/lib/exchanges/types';
import { endpointError, type Settings } from '@/lib/settings';
import { useState } from 'preact/hooks';
import { formatList, t } from '@/lib/i18n';
import type { SectionProps } from './section';

interface VenuesSectionProps extends SectionProps {
  /** Per venue, the configured symbols its instrument list does not name. */
  unlisted: Readonly<Record<string, string[]>>;
  /** An endpoint is being typed (its venue's edits wait) or was left (saved now). */
  typingEndpoint(typing: boolean): void;
}

/** Endpoint overrides that cannot be used, per venue and kind. */
export function endpointErrors(draft: Settings): { venue: string; kind: 'ws' | 'rest'; err: string }[] {
  return listVenues().flatMap((v) =>
    (['ws', 'rest'] as const).flatMap((kind) => {
      const url = draft.venues[v.id]?.endpoints[kind];
      const err = url ? endpointError(kind, url) : undefined;
      return err ? [{ venue: v.id, kind, err }] : [];
    }),
  );
}

export function VenuesSection({ draft, update, unlisted: unlistedBy, typingEndpoint }: VenuesSectionProps) {
  const errors = endpointErrors(draft);
  return (
    <>
      <span id="sec-venues" class="anchor" />
      <div class="venue-grid">
        {listVenues().map((adapter) => {
          const v = draft.venues[adapter.id]!;
          const venue = (s: Settings) => s.venues[adapter.id]!;
          const id = (name: string) => `${adapter.id}-${name}`;
          const errorFor = (kind: 'ws' | 'rest') => errors.find((e) => e.venue === adapter.id && e.kind === kind)?.err;
          const unlisted = unlistedBy[adapter.id] ?? [];
          return (
            <fieldset key={adapter.id} data-testid={`venue-${adapter.id}`} class={v.enabled ? undefined : 'off'}>
              {/* The on/off switch sits in the card's title: one line less per card, ten cards. */}
              <legend>
                <label class="venue-switch">
                  <input
                    id={id('enabled')}
                    type="checkbox"
                    aria-label={t('streamVenue', { venue: adapter.label })}
                    checked={v.enabled}
                    onChange={(e) => update((s) => (venue(s).enabled = (e.target as HTMLInputElement).checked))}
                  />
                  {adapter.label}
                </label>
              </legend>
              <div class="field">
                <label for={id('symbols')}>{t('symbols')}</label>
                {unlisted.length > 0 && (
                  <span class="error-text" data-testid={`unlisted-${adapter.id}`}>
                    {t('notListedOn', { venue: adapter.label, symbols: formatList(unlisted, 'unit') })}
                  </span>
                )}
                <input
                  id={id('symbols')}
                  type="text"
                  value={v.symbols.join(', ')}
                  placeholder={adapter.defaultSymbols.join(', ')}
                  onChange={(e) =>
                    update(
                      (s) =>
                        (venue(s).symbols = (e.target as HTMLInputElement).value
                          .split(/[,\s]+/)
                          .map((x) => x.trim().toUpperCase())
                          .filter(Boolean)),
                    )
                  }
                />
              </div>
              <EndpointFields
                label={adapter.label}
                defaults={adapter.defaultEndpoints}
                endpoints={v.endpoints}
                id={id}
                errorFor={errorFor}
                typingEndpoint={typingEndpoint}
                set={(kind, url) => update((s) => (venue(s).endpoints[kind] = url))}
              />
              {!adapter.hasLiquidationFeed && <p class="hint">{t('venueNoLiquidationFeed', { venue: adapter.label })}</p>}
            </fieldset>
          );
        })}
      </div>
    </>
  );
}

/**
 * A venue's endpoint overrides, folded: most traders never touch them, and ten cards of two URL
 * fields each buried the sections below. The summary says when one is overridden; open from the
 * start only when one is wrong.
 */
function EndpointFields(props: {
  label: string;
  defaults: VenueEndpoints;
  endpoints: VenueEndpoints;
  id(name: string): string;
  errorFor(kind: 'ws' | 'rest'): string | undefined;
  typingEndpoint(typing: boolean): void;
  set(kind: 'ws' | 'rest', url: string): void;
}) {
  const { endpoints, id, errorFor } = props;
  const overridden = !!(endpoints.ws || endpoints.rest);
  const [open, setOpen] = useState(() => !!errorFor('ws') || !!errorFor('rest'));
  return (
    <details class="advanced" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary class={overridden ? 'overridden' : undefined}>{t(overridden ? 'endpointsOverridden' : 'endpointsDefaults')}</summary>
      {(['ws', 'rest'] as const).map((kind) => (
        <div class="field" key={kind}>
          <label for={id(kind)}>{t(kind === 'ws' ? 'endpointWs' : 'endpointRest')}</label>
          <input
            id={id(kind)}
            type="url"
            value={endpoints[kind]}
            placeholder={props.defaults[kind]}
            aria-invalid={errorFor(kind) ? 'true' : 'false'}
            aria-describedby={errorFor(kind) ? id(`${kind}-error`) : undefined}
            onInput={(e) => {
              props.typingEndpoint(true);
              props.set(kind, (e.target as HTMLInputElement).value.trim());
            }}
            onChange={() => props.typingEndpoint(false)}
          />
          {errorFor(kind) && (
            <span class="error-text" id={id(`${kind}-error`)}>
              {errorFor(kind)}
            </span>
          )}
        </div>
      ))}
      <p class="hint">{t('endpointsHint', { venue: props.label })}</p>
    </details>
  );
}
