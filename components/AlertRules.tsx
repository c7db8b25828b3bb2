/**
 * Options → Alerts: the rules the worker evaluates (zone near price, big liquidation, cascade), the
 * cooldown and the sound. Targets are `*`, a coin (all venues added up) or one venue's instrument.
 */
import { alertsState } from '@/lib/ui/alerts';
import { alertRuleError, type AlertRule, type AlertSettings } from '@/lib/settings';
import { useEffect, useState } from 'preact/hooks';
import { parseUsd, usdInputText } from '@/lib/ui/format';

const KIND_LABEL: Record<AlertRule['kind'], string> = {
  zone: 'Price near an estimated zone',
  liquidation: 'A realized liquidation',
  cascade: 'A cascade (realized USD in a window)',
};

export function AlertRules({ alerts, onChange }: { alerts: AlertSettings; onChange(a: AlertSettings): void }) {
  const setRule = (i: number, patch: Partial<AlertRule>) =>
    onChange({ ...alerts, rules: alerts.rules.map((r, k) => (k === i ? ({ ...r, ...patch } as AlertRule) : r)) });
  const add = (kind: AlertRule['kind']) => {
    const id = `${kind}-${Date.now().toString(36)}`;
    const base = { id, enabled: true, target: 'BTC', minUsd: kind === 'zone' ? 50_000_000 : kind === 'cascade' ? 10_000_000 : 1_000_000 };
    const rule: AlertRule =
      kind === 'zone' ? { ...base, kind, withinPct: 0.5 } : kind === 'cascade' ? { ...base, kind, windowSec: 60 } : { ...base, kind };
    onChange({ ...alerts, rules: [...alerts.rules, rule] });
  };
  const on = alerts.rules.filter((r) => r.enabled).length;
  return (
    <fieldset id="sec-alerts" data-testid="alert-rules">
      <legend>Alerts</legend>
      <div class="field">
        <label for="alerts-on">Send alerts</label>
        <span class="row">
          <input
            id="alerts-on"
            type="checkbox"
            checked={alerts.enabled}
            aria-describedby="alerts-state"
            onChange={(e) => onChange({ ...alerts, enabled: (e.target as HTMLInputElement).checked })}
          />
          <span id="alerts-state" class={on === 0 && alerts.enabled ? 'hint' : 'muted'} data-testid="alerts-state">
            {alertsState(alerts.enabled, on, alerts.rules.length)}
          </span>
        </span>
      </div>
      <div class="field">
        <label for="alerts-sound">With sound</label>
        <input
          id="alerts-sound"
          type="checkbox"
          checked={alerts.sound}
          onChange={(e) => onChange({ ...alerts, sound: (e.target as HTMLInputElement).checked })}
        />
      </div>
      <div class="field">
        <label for="alerts-cooldown">Cooldown per rule (minutes)</label>
        <input
          id="alerts-cooldown"
          type="number"
          min="0"
          max="1440"
          value={alerts.cooldownMinutes}
          onInput={(e) => onChange({ ...alerts, cooldownMinutes: Number((e.target as HTMLInputElement).value) })}
        />
      </div>
      {alerts.rules.map((r, i) => {
        const error = alertRuleError(r);
        const id = (n: string) => `rule-${i}-${n}`;
        return (
          <div class="rule" key={r.id} data-testid={`rule-${r.kind}`}>
            <label>
              <input
                type="checkbox"
                checked={r.enabled}
                onChange={(e) => setRule(i, { enabled: (e.target as HTMLInputElement).checked })}
              />{' '}
              {KIND_LABEL[r.kind]}
            </label>
            <label for={id('target')}>for</label>
            <input
              id={id('target')}
              class="short-input"
              value={r.target}
              aria-label="Target (*, a coin or venue:SYMBOL)"
              onInput={(e) => setRule(i, { target: (e.target as HTMLInputElement).value.trim() })}
            />
            <label for={id('usd')}>of at least $</label>
            <UsdInput id={id('usd')} value={r.minUsd} onChange={(usd) => setRule(i, { minUsd: usd })} />
            {r.kind === 'zone' && (
              <>
                <label for={id('within')}>within (%)</label>
                <input
                  id={id('within')}
                  type="number"
                  min="0.05"
                  max="20"
                  step="0.05"
                  value={r.withinPct}
                  onInput={(e) => setRule(i, { withinPct: Number((e.target as HTMLInputElement).value) })}
                />
              </>
            )}
            {r.kind === 'cascade' && (
              <>
                <label for={id('window')}>in (s)</label>
                <input
                  id={id('window')}
                  type="number"
                  min="5"
                  max="3600"
                  value={r.windowSec}
                  onInput={(e) => setRule(i, { windowSec: Number((e.target as HTMLInputElement).value) })}
                />
              </>
            )}
            <button
              type="button"
              onClick={() => onChange({ ...alerts, rules: alerts.rules.filter((_, k) => k !== i) })}
              aria-label={`Remove rule ${i + 1}`}
            >
              Remove
            </button>
            {error && <span class="error-text">{error}</span>}
          </div>
        );
      })}
      <div class="row">
        <button type="button" onClick={() => add('zone')}>
          + Zone rule
        </button>
        <button type="button" onClick={() => add('liquidation')}>
          + Liquidation rule
        </button>
        <button type="button" onClick={() => add('cascade')}>
          + Cascade rule
        </button>
      </div>
      <p class="hint">
        Target: * (everything), a coin such as BTC (all venues added up), or one venue's instrument such as binance:BTCUSDT.
      </p>
    </fieldset>
  );
}

/**
 * A USD field that takes what a trader types: 50M, 1.5B, 250k or 50,000,000. What does not read as
 * an amount is kept as typed, marked, and not saved.
 */
function UsdInput({ id, value, onChange }: { id: string; value: number; onChange(usd: number): void }) {
  const [text, setText] = useState(() => usdInputText(value));
  const parsed = parseUsd(text);
  // A change from elsewhere (another tab, an import) replaces what is shown, unless it is what was typed.
  useEffect(() => {
    if (parseUsd(text) !== value) setText(usdInputText(value));
  }, [value]);
  return (
    <input
      id={id}
      type="text"
      inputMode="decimal"
      value={text}
      aria-invalid={parsed === null ? 'true' : 'false'}
      title="USD: 50M, 1.5B, 250K or 50,000,000"
      class="usd-input"
      data-testid="usd-input"
      onInput={(e) => {
        const next = (e.target as HTMLInputElement).value;
        setText(next);
        const usd = parseUsd(next);
        if (usd !== null) onChange(usd);
      }}
    />
  );
}
