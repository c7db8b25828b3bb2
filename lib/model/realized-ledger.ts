/**
 * Realized liquidations, kept once: every liquidation a venue reported, de-duplicated (venues re-send
 * after a reconnect), the newest few hundred listed for the UIs and counted per instrument since the
 * state began. The worker journals each one as it is accepted (lib/worker/realized-journal.ts) and
 * gives the journal back through `restore` on a restart; the model's snapshot carries only the counts
 * and the ids they include, so nothing is counted twice and the list is written one way.
 */
import type { LiquidationEvent } from '../exchanges/types';
import type { RealizedLiquidation } from '../contract/market';

/** Per-instrument totals since the model's state began. */
export interface RealizedTotals {
  liquidations: number;
  longLiquidatedUsd: number;
  shortLiquidatedUsd: number;
}

export interface RealizedLedgerSnapshot {
  totals: Record<string, RealizedTotals>;
  /** The listed liquidations the totals include (their list is journaled apart). */
  countedIds: string[];
}

/**
 * Identity of a liquidation across reconnects and snapshot replays: the venue's id where it has one,
 * else the fields that a re-delivery repeats exactly.
 */
export function liquidationId(e: {
  instrument: string;
  exchangeTime: number;
  liquidatedSide: string;
  price: number;
  baseQty: number;
  liquidationId?: string;
}): string {
  if (e.liquidationId) return `${e.instrument}|${e.liquidationId}`;
  return `${e.instrument}|${e.exchangeTime}|${e.liquidatedSide}|${e.price}|${e.baseQty}`;
}

/** A venue's liquidation event as LiqLens keeps and shows it. */
export function toRealized(e: LiquidationEvent, id = liquidationId(e)): RealizedLiquidation {
  return {
    id,
    venue: e.venue,
    instrument: e.instrument,
    liquidatedSide: e.liquidatedSide,
    price: e.price,
    baseQty: e.baseQty,
    notionalUsd: e.notionalUsd,
    exchangeTime: e.exchangeTime,
    receiveTime: e.receiveTime,
  };
}

const NO_TOTALS: RealizedTotals = Object.freeze({ liquidations: 0, longLiquidatedUsd: 0, shortLiquidatedUsd: 0 });

export class RealizedLedger {
  /** Oldest first; up to twice `keep` (trimmed in one splice, not a shift per liquidation). */
  private list: RealizedLiquidation[] = [];
  private ids = new Set<string>();
  private totalsBy = new Map<string, RealizedTotals>();
  /** Ids a restored snapshot counted whose entries the journal has not given back yet. */
  private countedNotListed = new Set<string>();

  constructor(private readonly keep: number) {}

  /** A venue's liquidation: kept and counted, or null when it was seen already. */
  record(e: LiquidationEvent): RealizedLiquidation | null {
    const id = liquidationId(e);
    if (this.ids.has(id)) return null;
    const liquidation = toRealized(e, id);
    this.count(liquidation);
    this.listed(liquidation);
    return liquidation;
  }

  /**
   * Liquidations the journal kept across a restart: those not known yet are listed (in time order)
   * and counted unless the restored totals include them already. Returns how many were added.
   */
  restore(list: readonly RealizedLiquidation[]): number {
    let added = 0;
    for (const liquidation of [...list].sort((a, b) => a.receiveTime - b.receiveTime)) {
      if (this.ids.has(liquidation.id)) continue;
      if (!this.countedNotListed.delete(liquidation.id)) this.count(liquidation);
      this.listed({ ...liquidation });
      added++;
    }
    if (added) this.list.sort((a, b) => a.receiveTime - b.receiveTime);
    return added;
  }

  /** The newest `limit` liquidations, newest first. */
  newest(limit: number): RealizedLiquidation[] {
    const n = Math.min(limit, this.keep);
    return n > 0 ? this.list.slice(-n).reverse() : [];
  }

  totals(instrument: string): RealizedTotals {
    return this.totalsBy.get(instrument) ?? NO_TOTALS;
  }

  toSnapshot(): RealizedLedgerSnapshot {
    const kept = this.list.length > this.keep ? this.list.slice(-this.keep) : this.list;
    return { totals: Object.fromEntries([...this.totalsBy].map(([k, t]) => [k, { ...t }])), countedIds: kept.map((l) => l.id) };
  }

  static fromSnapshot(snapshot: Partial<RealizedLedgerSnapshot> | undefined, keep: number): RealizedLedger {
    const ledger = new RealizedLedger(keep);
    for (const [instrument, t] of Object.entries(snapshot?.totals ?? {})) {
      if (Number.isFinite(t?.liquidations)) ledger.totalsBy.set(instrument, { ...NO_TOTALS, ...t });
    }
    if (Array.isArray(snapshot?.countedIds)) ledger.countedNotListed = new Set(snapshot.countedIds.filter((id) => typeof id === 'string'));
    return ledger;
  }

  /** Told of each liquidation as it is counted, once (the market-wide tape sums them). */
  onCount?: (l: RealizedLiquidation) => void;

  private count(l: RealizedLiquidation): void {
    this.onCount?.(l);
    let t = this.totalsBy.get(l.instrument);
    if (!t) this.totalsBy.set(l.instrument, (t = { ...NO_TOTALS }));
    t.liquidations += 1;
    if (l.liquidatedSide === 'long') t.longLiquidatedUsd += l.notionalUsd;
    else t.shortLiquidatedUsd += l.notionalUsd;
  }

  private listed(l: RealizedLiquidation): void {
    this.list.push(l);
    this.ids.add(l.id);
    if (this.list.length >= 2 * this.keep)
      for (const dropped of this.list.splice(0, this.list.length - this.keep)) this.ids.delete(dropped.id);
  }
}
