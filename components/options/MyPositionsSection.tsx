/**
 * Options → My positions: positions typed in (any venue), their liquidation price drawn on the chart
 * and weighed against the crowd's estimate in the popup, and how near the price may come before an
 * alert. Kept in this browser only. A new position is checked as a whole (lib/settings
 * `typedPositionError`) before it is added; the list saves through the one settings writer.
 */
import { useState } from 'preact/hooks';
import { listVenues } from '@/lib/exchanges';
import { HYPERLIQUID_ADDRESS, MAX_TYPED_POSITIONS, MY_ALERT_WITHIN_PCT, typedPositionError, type TypedPosition } from '@/lib/settings';
import { formatPrice, formatUsd } from '@/lib/ui/format';
import { numberFormat, t } from '@/lib/i18n';
import { NumberField } from './fields';
import { value, type SectionProps } from './section';

type Draft = {
  venue: string;
  coin: string;
  side: 'long' | 'short';
  entry: string;
  size: string;
  leverage: string;
  margin: string;
  liq: string;
};
const EMPTY: Draft = { venue: 'binance', coin: 'BTC', side: 'long', entry: '', size: '', leverage: '', margin: '', liq: '' };

/** A typed field: undefined when empty, NaN when not a number (the check then names it). */
const num = (text: string) => (text.trim() === '' ? undefined : Number(text.replace(/[,\s]/g, '')));

export function MyPositionsSection({ draft, update }: SectionProps) {
  const [form, setForm] = useState<Draft>(EMPTY);
  const [error, setError] = useState<string | null>(null);
  // The address as typed (saved once it is one): a half-typed address stays in the field.
  const [address, setAddress] = useState(draft.myPositions.hyperliquidAddress);
  const addressOk = address === '' || HYPERLIQUID_ADDRESS.test(address);
  const set = (patch: Partial<Draft>) => setForm((f) => ({ ...f, ...patch }));
  const typed = draft.myPositions.typed;
  const add = () => {
    const position: TypedPosition = {
      id: `p${Date.now().toString(36)}`,
      venue: form.venue as TypedPosition['venue'],
      coin: form.coin.trim().toUpperCase(),
      side: form.side,
      entry: num(form.entry) as number,
      size: num(form.size) as number,
      ...(num(form.leverage) !== undefined ? { leverage: num(form.leverage) } : {}),
      ...(num(form.margin) !== undefined ? { marginUsd: num(form.margin) } : {}),
      ...(num(form.liq) !== undefined ? { liquidationPrice: num(form.liq) } : {}),
    };
    const problem =
      typedPositionError(position) ?? (typed.length >= MAX_TYPED_POSITIONS ? t('typedAtMost', { max: MAX_TYPED_POSITIONS }) : undefined);
    setError(problem ?? null);
    if (problem) return;
    update((s) => (s.myPositions.typed = [...s.myPositions.typed, position]));
    setForm({ ...EMPTY, venue: form.venue, coin: form.coin });
  };
  const field = (key: keyof Draft, label: string, placeholder: string) => (
    <label class="my-field">
      <span>{label}</span>
      <input
        id={`my-${key}`}
        type="text"
        inputMode="decimal"
        placeholder={placeholder}
        value={form[key]}
        onInput={(e) => set({ [key]: value(e) } as Partial<Draft>)}
      />
    </label>
  );
  return (
    <fieldset id="sec-my" data-testid="my-positions-settings">
      <legend>{t('myPositionsName')}</legend>
      {typed.length > 0 && (
        <ul class="my-list">
          {typed.map((p) => (
            <li key={p.id} data-position={p.id}>
              {t(p.side === 'long' ? 'typedLong' : 'typedShort', {
                size: numberFormat(0, 8).format(p.size),
                coin: p.coin,
                entry: formatPrice(p.entry),
                venue: listVenues().find((v) => v.id === p.venue)?.label ?? p.venue,
              })}
              {', '}
              {p.liquidationPrice
                ? t('typedLiq', { price: formatPrice(p.liquidationPrice) })
                : p.leverage
                  ? `${numberFormat(0, 2).format(p.leverage)}×`
                  : t('typedMargin', { usd: formatUsd(p.marginUsd ?? 0) })}{' '}
              <button
                type="button"
                class="link"
                aria-label={t(p.side === 'long' ? 'typedRemoveLong' : 'typedRemoveShort', { coin: p.coin })}
                onClick={() => update((s) => (s.myPositions.typed = s.myPositions.typed.filter((x) => x.id !== p.id)))}
              >
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="my-form" role="group" aria-label={t('typedAddName')}>
        <label class="my-field">
          <span>{t('colVenue')}</span>
          <select id="my-venue" value={form.venue} onChange={(e) => set({ venue: value(e) })}>
            {listVenues().map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
        {field('coin', t('colCoin'), 'BTC')}
        <label class="my-field">
          <span>{t('colSide')}</span>
          <select id="my-side" value={form.side} onChange={(e) => set({ side: value(e) as Draft['side'] })}>
            <option value="long">{t('sideLong')}</option>
            <option value="short">{t('sideShort')}</option>
          </select>
        </label>
        {field('entry', t('typedEntry'), '97000')}
        {field('size', t('typedSize'), '0.5')}
        {field('leverage', t('colLeverage'), '20')}
        {field('margin', t('typedOrMargin'), '')}
        {field('liq', t('typedOrLiq'), '')}
        <button type="button" onClick={add}>
          {t('add')}
        </button>
      </div>
      {error && (
        <p class="error-text" role="alert" data-testid="my-position-error">
          {error}
        </p>
      )}
      <div class="field">
        <label for="my-hl-address">{t('hlAddress')}</label>
        <input
          id="my-hl-address"
          type="text"
          spellcheck={false}
          placeholder="0x…"
          value={address}
          aria-invalid={addressOk ? 'false' : 'true'}
          onInput={(e) => {
            const typedAddress = value(e).trim();
            setAddress(typedAddress);
            if (typedAddress === '' || HYPERLIQUID_ADDRESS.test(typedAddress))
              update((s) => (s.myPositions.hyperliquidAddress = typedAddress.toLowerCase()));
          }}
        />
        {!addressOk && <span class="error-text">{t('hlAddressError')}</span>}
      </div>
      <NumberField
        id="my-alert-within"
        label={t('myAlertWithin')}
        value={draft.myPositions.alertWithinPct}
        min={String(MY_ALERT_WITHIN_PCT.min)}
        max={String(MY_ALERT_WITHIN_PCT.max)}
        step="0.1"
        onValue={(v) => update((s) => (s.myPositions.alertWithinPct = v))}
      />
      <details class="advanced">
        <summary>{t('myHowTitle')}</summary>
        <p class="hint">{t('myHow')}</p>
      </details>
    </fieldset>
  );
}
