/**
 * Options → Alerts: the rules the worker evaluates (zone near price, big liquidation, cascade), the
 * cooldown and the sound. Targets are `*`, a coin (all venues added up) or one venue's instrument.
 */
import { alertsState } from '@/lib/ui/alerts';
import { alertRuleError, type AlertRule, type AlertSettings } from '@/lib/settings';
import { useEffect, useState } from 'preact/hooks';
import { parseUsd, usdInputText } from '@/lib/ui/format';
import { t } from '@/lib/i18n';

const KIND_LABEL = {
  zone: 'ruleZone',
  liquidation: 'ruleLiquidation',
  cascade: 'ruleCascade',
} as const satisfies Record<AlertRule['kind'], string>;

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
      <legend>{t('secAlerts')}</legend>
      <div class="field">
        <label for="alerts-on">{t('alertsSend')}</label>
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
        <label for="alerts-sound">{t('alertsSound')}</label>
        <input
          id="alerts-sound"
          type="checkbox"
          checked={alerts.sound}
          onChange={(e) => onChange({ ...alerts, sound: (e.target as HTMLInputElement).checked })}
        />
      </div>
      <div class="field">
        <label for="alerts-cooldown">{t('alertsCooldown')}</label>
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
              {t(KIND_LABEL[r.kind])}
            </label>
            <label for={id('target')}>{t('ruleFor')}</label>
            <input
              id={id('target')}
              class="short-input"
              value={r.target}
              aria-label={t('ruleTargetName')}
              onInput={(e) => setRule(i, { target: (e.target as HTMLInputElement).value.trim() })}
            />
            <label for={id('usd')}>{t('ruleAtLeast')}</label>
            <UsdInput id={id('usd')} value={r.minUsd} onChange={(usd) => setRule(i, { minUsd: usd })} />
            {r.kind === 'zone' && (
              <>
                <label for={id('within')}>{t('ruleWithin')}</label>
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
                <label for={id('window')}>{t('ruleWindow')}</label>
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
              aria-label={t('ruleRemoveName', { n: i + 1 })}
            >
              {t('remove')}
            </button>
            {error && <span class="error-text">{error}</span>}
          </div>
        );
      })}
      <div class="row">
        <button type="button" onClick={() => add('zone')}>
          {`+ ${t('addZoneRule')}`}
        </button>
        <button type="button" onClick={() => add('liquidation')}>
          {`+ ${t('addLiquidationRule')}`}
        </button>
        <button type="button" onClick={() => add('cascade')}>
          {`+ ${t('addCascadeRule')}`}
        </button>
      </div>
      <p class="hint">{t('ruleTargetHint')}</p>
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
      title={t('usdInputTitle')}
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
