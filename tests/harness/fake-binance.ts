/**
 * The fake Binance USD-M server used by the e2e tests and the demo: the generic fake venue with the
 * Binance dialect, plus helpers in Binance's own terms (forceOrder sides, aggTrade maker flag).
 */
import { binanceDialect } from './dialects';
import { FakeVenueServer, type FakeVenueOptions } from './fake-venue';

export interface ForceOrderInput {
  symbol: string;
  side: 'BUY' | 'SELL';
  price: number;
  qty: number;
  time?: number;
}

export class FakeBinanceServer extends FakeVenueServer {
  /** `dialect` defaults to Binance's; the demo passes one whose REST open interest moves. */
  static override async start(dialect = binanceDialect, options: FakeVenueOptions = {}): Promise<FakeBinanceServer> {
    return (await super.start(dialect, options)) as FakeBinanceServer;
  }

  /** A SELL force order liquidates a long. */
  forceOrder(o: ForceOrderInput): number {
    return this.liquidation({
      symbol: o.symbol,
      liquidatedSide: o.side === 'SELL' ? 'long' : 'short',
      price: o.price,
      qty: o.qty,
      time: o.time,
    });
  }

  markPrice(symbol: string, price: number, time?: number): number {
    return this.mark(symbol, price, time);
  }

  aggTrade(symbol: string, price: number, qty: number, takerSide: 'buy' | 'sell', id: number, time?: number): number {
    return this.trade({ symbol, price: Number(price.toFixed(2)), qty: Number(qty.toFixed(3)), takerSide, id: String(id), time });
  }
}
