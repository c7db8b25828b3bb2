/**
 * Liquidation distances learned from the real positions read (docs/model.md#distance): per
 * Hyperliquid coin with enough positions of its own, and over every coin read for the rest (the
 * model offers that one to every venue). A fit from a handful of wallets would be one whale's
 * account, so a coin needs MIN_POSITIONS positions from MIN_WALLETS wallets.
 */
import { ALL_COINS, fitDistances, type DistanceDistribution } from '../model';
import type { TrueBook } from './true-book';

export const MIN_POSITIONS = 30;
export const MIN_WALLETS = 10;

export interface LearnedDistances {
  /** Coins with a fit of their own. */
  perCoin: Record<string, DistanceDistribution>;
  /** Every position read, every coin: for coins and venues without their own. */
  all: DistanceDistribution | null;
}

const enough = (d: DistanceDistribution | null): d is DistanceDistribution =>
  d !== null && d.positions >= MIN_POSITIONS && d.wallets >= MIN_WALLETS;

export function learnDistances(book: TrueBook): LearnedDistances {
  const perCoin: Record<string, DistanceDistribution> = {};
  const every = [];
  for (const coin of book.coins()) {
    const positions = book.positions(coin);
    every.push(...positions);
    const d = fitDistances(positions);
    if (enough(d)) perCoin[coin] = d;
  }
  const all = fitDistances(every);
  return { perCoin, all: enough(all) ? all : null };
}

/** What learning writes to: the model's front door. */
export interface LearnedTarget {
  learned(): Record<string, DistanceDistribution>;
  setLearned(coin: string, d: DistanceDistribution | null): void;
}

/**
 * Learn from the positions read and hand it to the model: coins that no longer have enough
 * positions lose their own fit (they fall back to the pooled one), the rest are replaced.
 */
export function learnInto(model: LearnedTarget, book: TrueBook): LearnedDistances {
  const learned = learnDistances(book);
  for (const coin of Object.keys(model.learned())) if (coin !== ALL_COINS && !learned.perCoin[coin]) model.setLearned(coin, null);
  for (const [coin, d] of Object.entries(learned.perCoin)) model.setLearned(coin, d);
  if (learned.all) model.setLearned(ALL_COINS, learned.all);
  return learned;
}
