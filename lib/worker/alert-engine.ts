/**
 * Alert rules, evaluated in the worker: price near a big estimated zone, a big realized liquidation,
 * a cascade (realized USD over a window). Pure: the worker feeds it liquidations and zones and shows
 * what it returns. Each rule fires at most once per cooldown (per zone for zone rules), and a
 * liquidation re-delivered after a reconnect never fires twice.
 */
import type { FiredAlert, MyPositionView, RealizedLiquidation, Zone } from '../contract/market';
import { coinOf } from '../exchanges/specs';
import { formatCount, numberFormat, t, tn } from '../i18n';
import { formatPrice, formatRange, formatUsd } from '../ui/format';
import type { AlertRule, AlertSettings } from '../settings/alert-rules';

/** Whether an instrument belongs to a rule's target. */
export function targetMatches(target: string, instrument: string): boolean {
  if (target === '*') return true;
  if (target.includes(':')) return target === instrument;
  return coinOf(instrument) === target;
}

const MAX_HISTORY = 50;

export class AlertEngine {
  readonly history: FiredAlert[] = [];
  private lastFired = new Map<string, number>();
  /**
   * Per cascade rule, the liquidations of its target inside its window (times on the local clock) and
   * their running USD (and the longs' part of it: "80 % longs"): each liquidation costs O(1),
   * whatever the window holds. A long liquidation's USD is stored positive, a short's negative.
   */
  private windows = new Map<string, { times: number[]; usd: number[]; head: number; sum: number; longSum: number }>();
  /** Per venue, receive − exchange time (ms): exchange times are moved onto the local clock with it. */
  private offsets = new Map<string, { samples: number[]; next: number; min: number }>();

  constructor(private settings: AlertSettings) {}

  configure(settings: AlertSettings): void {
    // A rule whose target or window changed starts an empty window; unchanged rules keep theirs.
    const keep = new Map<string, string>();
    for (const r of this.settings.rules) if (r.kind === 'cascade') keep.set(r.id, `${r.target}|${r.windowSec}`);
    for (const r of settings.rules) if (r.kind === 'cascade' && keep.get(r.id) !== `${r.target}|${r.windowSec}`) this.windows.delete(r.id);
    this.settings = settings;
  }

  /**
   * A venue's exchange time on the local clock. The offset is the smallest receive − exchange seen in
   * the venue's last 64 liquidations (network delay only adds to it), so a venue whose clock runs
   * minutes ahead still fills a 60 s window with 60 s of liquidations.
   */
  private localTime(l: RealizedLiquidation): number {
    let o = this.offsets.get(l.venue);
    if (!o) this.offsets.set(l.venue, (o = { samples: [], next: 0, min: Infinity }));
    const sample = l.receiveTime - l.exchangeTime;
    const evicted = o.samples.length === 64 ? o.samples[o.next] : undefined;
    o.samples[o.next] = sample;
    o.next = (o.next + 1) % 64;
    if (evicted === o.min) {
      // The smallest one left: a loop, not Math.min(...samples) (an array spread per liquidation in a burst).
      let min = Infinity;
      for (const s of o.samples) if (s < min) min = s;
      o.min = min;
    } else if (sample < o.min) o.min = sample;
    return l.exchangeTime + o.min;
  }

  /** Add a liquidation to every cascade window whose target it belongs to, dropping what fell out. */
  private addToWindows(l: RealizedLiquidation, at: number, now: number, rules: readonly AlertRule[]): void {
    for (const rule of rules) {
      if (rule.kind !== 'cascade') continue;
      let w = this.windows.get(rule.id);
      if (!w) this.windows.set(rule.id, (w = { times: [], usd: [], head: 0, sum: 0, longSum: 0 }));
      if (targetMatches(rule.target, l.instrument) && at >= now - rule.windowSec * 1000) {
        const long = l.liquidatedSide === 'long';
        w.times.push(at);
        w.usd.push(long ? l.notionalUsd : -l.notionalUsd);
        w.sum += l.notionalUsd;
        if (long) w.longSum += l.notionalUsd;
      }
    }
  }

  private windowSum(rule: AlertRule & { kind: 'cascade' }, now: number): { usd: number; longUsd: number; count: number } {
    const w = this.windows.get(rule.id);
    if (!w) return { usd: 0, longUsd: 0, count: 0 };
    const since = now - rule.windowSec * 1000;
    while (w.head < w.times.length && w.times[w.head] < since) {
      const usd = w.usd[w.head++];
      w.sum -= Math.abs(usd);
      if (usd > 0) w.longSum -= usd;
    }
    // Compact now and then instead of shifting on every eviction.
    if (w.head > 1024 && w.head * 2 > w.times.length) {
      w.times = w.times.slice(w.head);
      w.usd = w.usd.slice(w.head);
      w.head = 0;
    }
    if (w.head === w.times.length) w.sum = w.longSum = 0; // no drift from float sums
    return { usd: w.sum, longUsd: w.longSum, count: w.times.length - w.head };
  }

  /**
   * New realized liquidations, any order: fired liquidation and cascade alerts. Each arrives once: the
   * model's ledger drops a venue's re-sent ones before anything else sees them.
   */
  onLiquidations(fresh: readonly RealizedLiquidation[], now: number): FiredAlert[] {
    if (!fresh.length || !this.settings.enabled) return [];
    const fired: FiredAlert[] = [];
    const rules = this.settings.rules.filter((r) => r.enabled);
    // Only cascade rules keep windows (a burst brings hundreds of liquidations a second: no rule, no work).
    if (rules.some((r) => r.kind === 'cascade')) for (const l of fresh) this.addToWindows(l, this.localTime(l), now, rules);
    for (const rule of rules) {
      if (rule.kind === 'liquidation') {
        const big = fresh.filter((l) => targetMatches(rule.target, l.instrument) && l.notionalUsd >= rule.minUsd);
        if (!big.length) continue;
        const top = big.reduce((a, b) => (b.notionalUsd > a.notionalUsd ? b : a));
        const more = big.length > 1 ? ` ${t('alertMore', { count: formatCount(big.length - 1) })}` : '';
        this.fire(fired, rule, rule.id, now, () => [
          t(top.liquidatedSide === 'long' ? 'alertLongLiquidated' : 'alertShortLiquidated', { usd: formatUsd(top.notionalUsd) }),
          `${t('alertAtPrice', { instrument: top.instrument, price: formatPrice(top.price) })}${more}`,
        ]);
      } else if (rule.kind === 'cascade') {
        const { usd, longUsd, count } = this.windowSum(rule, now);
        if (usd >= rule.minUsd) {
          const longShare = Math.round((longUsd / usd) * 100);
          const side =
            longShare >= 50
              ? t('sharePctLongs', { pct: formatCount(longShare) })
              : t('sharePctShorts', { pct: formatCount(100 - longShare) });
          this.fire(fired, rule, rule.id, now, () => [
            t('cascadeTitle', { usd: formatUsd(usd), seconds: formatCount(rule.windowSec) }),
            tn('cascadeMessage', count, { target: rule.target === '*' ? t('allMarketsAcrossVenues') : rule.target, side }),
          ]);
        }
      }
    }
    return fired;
  }

  /**
   * Zone rules: `zonesFor(target)` gives the current estimated zones of a coin or instrument (with
   * their distance from price). Called every few seconds by the worker.
   */
  onZones(zonesFor: (target: string) => Zone[], now: number): FiredAlert[] {
    if (!this.settings.enabled) return [];
    const fired: FiredAlert[] = [];
    for (const rule of this.settings.rules) {
      if (!rule.enabled || rule.kind !== 'zone' || rule.target === '*') continue;
      // The nearest qualifying zone only: the one price meets first. Six zones within range must not
      // be six notifications at once.
      const near = zonesFor(rule.target)
        .filter((z) => z.kind === 'estimated' && z.usd >= rule.minUsd && Math.abs(z.distancePct) <= rule.withinPct)
        .sort((a, b) => Math.abs(a.distancePct) - Math.abs(b.distancePct));
      for (const z of near.slice(0, 1)) {
        // One cooldown per zone (its rounded price), so two different zones can both alert.
        const key = `${rule.id}@${z.price.toPrecision(4)}`;
        const long = z.longUsd >= z.shortUsd;
        this.fire(fired, rule, key, now, () => [
          t('zoneAlertTitle', { target: rule.target, pct: numberFormat(2, 2).format(Math.abs(z.distancePct)), usd: formatUsd(z.usd) }),
          t(long ? 'zoneAlertLongs' : 'zoneAlertShorts', { range: `${formatPrice(z.low)}–${formatPrice(z.high)}` }),
        ]);
      }
    }
    return fired;
  }

  /**
   * Fire unless the key is cooling down. The text is written only when it fires: a cascade over its
   * threshold is checked at every liquidation of a burst, and formatting its figures each time was
   * a sizeable part of the worker's burst cost.
   */
  /**
   * The trader's own positions: the price within `withinPct` of one's liquidation price (0: off).
   * One cooldown per position; the global switch applies as to every rule.
   */
  onMyPositions(positions: readonly MyPositionView[], withinPct: number, now: number): FiredAlert[] {
    if (!this.settings.enabled || !(withinPct > 0)) return [];
    const fired: FiredAlert[] = [];
    for (const p of positions) {
      // A large cluster on the way to my level being swept now: one alert per cluster.
      const z = p.sweeping;
      if (z && p.liquidationPrice !== undefined)
        this.fire(fired, { id: `my-${p.id}`, kind: 'position' }, `my-sweep@${p.id}@${z.low.toPrecision(4)}`, now, () => [
          t(p.side === 'long' ? 'mySweepLongs' : 'mySweepShorts', { coin: p.coin, usd: formatUsd(z.usd) }),
          t(p.side === 'long' ? 'mySweepWhereLong' : 'mySweepWhereShort', {
            range: formatRange(z.low, z.high),
            price: formatPrice(p.liquidationPrice!),
          }),
        ]);
      if (p.distancePct === undefined || p.liquidationPrice === undefined || Math.abs(p.distancePct) > withinPct) continue;
      const rule = { id: `my-${p.id}`, kind: 'position' as const };
      this.fire(fired, rule, `my@${p.id}`, now, () => [
        t(p.side === 'long' ? 'myNearLong' : 'myNearShort', { coin: p.coin, pct: numberFormat(2, 2).format(Math.abs(p.distancePct!)) }),
        [
          t('myNearWhere', {
            price: formatPrice(p.liquidationPrice!),
            venue: p.venue,
            entry: formatPrice(p.entry),
            now: formatPrice(p.price!),
          }),
          p.estimatedUsdBetween
            ? t(p.side === 'long' ? 'myNearCrowdLongs' : 'myNearCrowdShorts', { usd: formatUsd(p.estimatedUsdBetween) })
            : '',
        ]
          .filter(Boolean)
          .join(', '),
      ]);
    }
    return fired;
  }

  private fire(
    out: FiredAlert[],
    rule: { id: string; kind: FiredAlert['kind'] },
    key: string,
    now: number,
    text: () => [title: string, message: string],
  ) {
    const last = this.lastFired.get(key);
    if (last !== undefined && now - last < this.settings.cooldownMinutes * 60_000) return;
    this.lastFired.set(key, now);
    const [title, message] = text();
    const alert: FiredAlert = { id: `${key}#${now}`, ruleId: rule.id, kind: rule.kind, at: now, title, message };
    out.push(alert);
    this.history.unshift(alert);
    if (this.history.length > MAX_HISTORY) this.history.length = MAX_HISTORY;
  }
}
