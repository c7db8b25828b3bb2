/**
 * Snapshots to whoever listens, and nothing while nobody does. A UI that asks for a snapshot becomes
 * a listener: the popup (`page`) gets pushes at most every 250 ms, each chart tab at most once a
 * second and only its coin's share; realized liquidations reach them within a frame in their own
 * push. A listener that refuses a delivery (a closed popup, a tab that navigated away) is dropped.
 */
import type { Clock, TimerHandle } from '../clock';
import type { RealizedLiquidation } from '../contract/market';
import {
  liquidationsOfCoin,
  snapshotForCoin,
  SNAPSHOT_PUSH_INTERVAL_MS,
  TAB_SNAPSHOT_INTERVAL_MS,
  type LiqSnapshot,
} from '../contract/snapshot';
import type { ListenerId, WorkerPorts } from './ports';
import { throttle, type Throttled } from './throttle';

/**
 * Realized liquidations reach listeners within this (one animation frame), batched, instead of
 * waiting for the next snapshot (up to 250 ms): a liquidation is news, the estimate is not.
 */
const REALIZED_BATCH_MS = 16;

export class Publisher {
  /** Counters a user never sees; tests and the bench read them. */
  readonly stats = { snapshotsBuilt: 0 };
  private readonly listeners = new Set<ListenerId>();
  /** Pushes to the popup (≤ 4 Hz) and to chart tabs (≤ 1 Hz), each with its trailing run. */
  private readonly push: Throttled;
  private readonly pushTabs: Throttled;
  private realizedOutbox: RealizedLiquidation[] = [];
  private realizedPushTimer: TimerHandle | null = null;

  constructor(
    private readonly ports: Pick<WorkerPorts, 'publish' | 'pushRealized'> & { clock: Clock },
    /** The whole snapshot, built when asked (only while someone listens); chart tabs' without what only the popup shows. */
    private readonly build: (forPopup: boolean) => LiqSnapshot,
    /** The coin a chart tab said it shows (lib/worker/coin-follow.ts), if any. */
    private readonly coinShownBy: (listener: ListenerId, now: number) => string | undefined,
  ) {
    this.push = throttle(() => this.publish('page'), SNAPSHOT_PUSH_INTERVAL_MS, ports.clock);
    this.pushTabs = throttle(() => this.publish('tabs'), TAB_SNAPSHOT_INTERVAL_MS, ports.clock);
  }

  /** A listener asks: it is subscribed to pushes and gets the current snapshot (a chart tab, its share). */
  listen(listener: ListenerId): LiqSnapshot {
    this.listeners.add(listener);
    return this.shareOf(this.snapshot(listener === 'page'), listener);
  }

  /** Whether anyone receives pushes (no listener: no snapshot is built at all). */
  get listening(): boolean {
    return this.listeners.size > 0;
  }

  /** Something a snapshot shows changed: push, within each listener kind's rate. */
  changed(): void {
    if (!this.listeners.size) return;
    if (this.listeners.has('page')) this.push();
    if (this.listeners.size > (this.listeners.has('page') ? 1 : 0)) this.pushTabs();
  }

  /** New realized liquidations: to every listener within a frame, batched (a tab gets its coin's). */
  realized(liquidations: readonly RealizedLiquidation[]): void {
    if (!this.listeners.size) return;
    this.realizedOutbox.push(...liquidations);
    if (this.realizedPushTimer) return;
    this.realizedPushTimer = this.ports.clock.setTimeout(() => this.deliverRealized(), REALIZED_BATCH_MS);
  }

  /** The whole snapshot, now (also what tests and the bench read). */
  snapshot(forPopup = true): LiqSnapshot {
    this.stats.snapshotsBuilt += 1;
    return this.build(forPopup);
  }

  stop(): void {
    this.push.cancel();
    this.pushTabs.cancel();
    this.ports.clock.clearTimeout(this.realizedPushTimer);
  }

  private deliverRealized(): void {
    this.realizedPushTimer = null;
    const batch = this.realizedOutbox;
    this.realizedOutbox = [];
    const now = this.ports.clock.now();
    for (const listener of this.listeners) {
      // A chart tab gets its coin's liquidations only: the others would re-render it for nothing.
      const coin = listener === 'page' ? undefined : this.coinShownBy(listener, now);
      const mine = coin ? liquidationsOfCoin(batch, coin) : batch;
      if (!mine.length) continue;
      this.ports.pushRealized(mine, listener).then(
        (more) => more || this.drop(listener),
        () => this.drop(listener),
      );
    }
  }

  private publish(to: 'page' | 'tabs'): void {
    const targets = [...this.listeners].filter((l) => (l === 'page') === (to === 'page'));
    if (!targets.length) return;
    const snapshot = this.snapshot(to === 'page');
    const byCoin = new Map<string, LiqSnapshot>(); // one share per coin, however many tabs show it
    for (const listener of targets) {
      this.ports.publish(this.shareOf(snapshot, listener, byCoin), listener).then(
        (more) => more || this.drop(listener),
        () => this.drop(listener),
      );
    }
  }

  /** What `listener` is sent of `snapshot`: a chart tab that said which coin it shows gets that coin's share. */
  private shareOf(snapshot: LiqSnapshot, listener: ListenerId, byCoin = new Map<string, LiqSnapshot>()): LiqSnapshot {
    const coin = listener === 'page' ? undefined : this.coinShownBy(listener, snapshot.generatedAt);
    if (!coin) return snapshot;
    let share = byCoin.get(coin);
    if (!share) byCoin.set(coin, (share = snapshotForCoin(snapshot, coin)));
    return share;
  }

  private drop(listener: ListenerId): void {
    this.listeners.delete(listener);
  }
}
