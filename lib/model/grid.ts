/**
 * The log-price grid every book, profile and history shares: cell i covers prices
 * [(1+step)^i, (1+step)^(i+1)). A constant relative step means a 100x level is as sharp at $0.02 as at
 * $100 000, and books of different venues of one coin add up cell by cell.
 */
export class PriceGrid {
  readonly lnStep: number;

  constructor(readonly step: number) {
    if (!(step > 0 && step < 0.1)) throw new Error(`grid step ${step} must be a fraction between 0 and 0.1 (0.001 = 0.1 %)`);
    this.lnStep = Math.log1p(step);
  }

  cellOf(price: number): number {
    return Math.floor(Math.log(price) / this.lnStep);
  }

  /** Geometric middle of a cell. */
  priceOf(cell: number): number {
    return Math.exp((cell + 0.5) * this.lnStep);
  }

  lowerPriceOf(cell: number): number {
    return Math.exp(cell * this.lnStep);
  }

  /** Cells between two prices (inclusive), for a relative distance d: about d / step. */
  cellsFor(fraction: number): number {
    return Math.ceil(Math.log1p(fraction) / this.lnStep);
  }
}
