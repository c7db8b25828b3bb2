/**
 * The trader's own Hyperliquid account, by address: its positions read from the public
 * `clearinghouseState` every READ_EVERY_MS, inside the same per-IP weight budget as every other
 * LiqLens request to that host (one reading costs CLEARINGHOUSE_WEIGHT). The address goes to
 * Hyperliquid's public API and nowhere else. Each position carries the exchange's own liquidation
 * price, used as is (cross margin puts it where the account's whole equity says).
 */
import type { Clock, TimerHandle } from '../clock';
import type { MyPositionInput } from '../model';
import { request, type FetchLike } from '../net/rest-poller';
import type { WeightBudget } from '../net/weight-budget';
import { clearinghouseRequest, CLEARINGHOUSE_WEIGHT, parseClearinghouseState } from './clearinghouse';
import { t } from '../i18n';

/** A trader's own account changes when they trade: read twice a minute (weight 4 a minute of 1 200). */
export const READ_EVERY_MS = 30_000;
/** The budget is checked this often while a reading is due and the budget says wait. */
const RETRY_MS = 2_000;

export interface MyAccountStatus {
  address: string;
  lastReadAt?: number;
  error?: string;
}

export class MyAccountReader {
  private address = '';
  private list: MyPositionInput[] = [];
  private st: Omit<MyAccountStatus, 'address'> = {};
  private timer: TimerHandle | null = null;
  private reading = false;

  constructor(
    private readonly o: {
      fetch: FetchLike;
      clock: Clock;
      budget(): WeightBudget | null;
      infoUrl(): string;
      /** A new reading (or an error) changed what the snapshot shows. */
      changed(): void;
    },
  ) {}

  /** The address to read ('' for none): a new one is read at once, its predecessor's positions dropped. */
  setAddress(address: string): void {
    if (address === this.address) return;
    this.address = address;
    this.list = [];
    this.st = {};
    this.o.clock.clearTimeout(this.timer);
    this.timer = null;
    if (address) this.schedule(0);
    this.o.changed();
  }

  /** A reading is on its way (tests wait for it). */
  get busy(): boolean {
    return this.reading;
  }

  positions(): MyPositionInput[] {
    return this.list;
  }

  status(): MyAccountStatus | undefined {
    return this.address ? { address: this.address, ...this.st } : undefined;
  }

  stop(): void {
    this.o.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    this.timer = this.o.clock.setTimeout(() => void this.read(), ms);
  }

  private async read(): Promise<void> {
    this.timer = null;
    const address = this.address;
    const budget = this.o.budget();
    if (!address || this.reading) return;
    if (budget && !budget.tryTake(CLEARINGHOUSE_WEIGHT)) return this.schedule(Math.max(RETRY_MS, budget.waitFor(CLEARINGHOUSE_WEIGHT)));
    this.reading = true;
    try {
      const res = await request(this.o.fetch, { url: this.o.infoUrl(), method: 'POST', body: clearinghouseRequest(address) }, this.o.clock);
      if (address !== this.address) return; // changed while asking: the new one is on its way
      if (res.status === 429) budget?.rateLimit(res.retryAfterMs);
      const reading = res.ok ? parseClearinghouseState(res.body ?? '') : { error: res.error ?? `HTTP ${res.status}` };
      if ('error' in reading) this.st = { ...this.st, error: t('myAccountUnreadable', { error: reading.error }) };
      else {
        budget?.ok();
        this.list = reading.positions.map((p) => ({
          id: `hl-${p.coin}`,
          source: 'hyperliquid' as const,
          venue: 'hyperliquid',
          coin: p.coin,
          side: p.side,
          entry: p.entryPx,
          size: p.size,
          leverage: p.leverage,
          ...(p.liquidationPx !== null ? { liquidationPrice: p.liquidationPx } : {}),
        }));
        this.st = { lastReadAt: this.o.clock.now() };
      }
      this.o.changed();
    } finally {
      this.reading = false;
      if (address === this.address && !this.timer) this.schedule(READ_EVERY_MS);
    }
  }
}
