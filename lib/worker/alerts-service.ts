/**
 * Alerts as the trader set them: realized liquidations are checked as they arrive, zones every 10 s;
 * what fires is kept in the alert history (local storage) and shown as a browser notification.
 */
import { errorText } from '../error-text';
import { DEFAULT_ALERTS, type AlertSettings } from '../settings';
import { AlertEngine } from './alert-engine';
import type { FiredAlert, MyPositionView, RealizedLiquidation } from '../contract/market';
import { targetOfShorthand } from '../contract/target';
import type { MarketModel } from '../model';
import type { Persistence } from './persistence';
import type { WorkerPorts } from './ports';
import { t } from '../i18n';

export const ZONE_CHECK_EVERY_MS = 10_000;

export class AlertsService {
  private readonly engine = new AlertEngine(DEFAULT_ALERTS);
  private sound = false;

  constructor(
    private readonly notify: WorkerPorts['notify'],
    private readonly persistence: Persistence,
    private readonly notice: (message: string) => void,
  ) {}

  /** The alert history the last worker kept (merged: nothing fired meanwhile is lost). */
  async load(): Promise<void> {
    for (const a of await this.persistence.loadAlertHistory()) {
      if (!this.engine.history.some((h) => h.id === a.id)) this.engine.history.push(a);
    }
  }

  configure(settings: AlertSettings): void {
    this.engine.configure(settings);
    this.sound = settings.sound;
  }

  get history(): FiredAlert[] {
    return this.engine.history;
  }

  onLiquidations(liquidations: readonly RealizedLiquidation[], now: number): void {
    this.show(this.engine.onLiquidations(liquidations, now));
  }

  /** Zone rules: the estimated zones of each rule's target, now. */
  checkZones(model: MarketModel, now: number): void {
    this.show(this.engine.onZones((target) => model.zones(targetOfShorthand(target), now), now));
  }

  /** The trader's own positions: the price near one's liquidation price. */
  checkMyPositions(positions: readonly MyPositionView[], withinPct: number, now: number): void {
    this.show(this.engine.onMyPositions(positions, withinPct, now));
  }

  private show(fired: FiredAlert[]): void {
    if (!fired.length) return;
    this.persistence.saveAlertHistory(this.engine.history);
    for (const alert of fired) {
      this.notify(alert, { sound: this.sound }).catch((err) =>
        this.notice(t('alertNotShown', { title: alert.title, error: errorText(err) })),
      );
    }
  }
}
