/**
 * The venues' wire formats for the fake servers (see ../fake-venue.ts), one file per venue beside
 * its adapter's name. Each builds frames from the venue's documented samples where one exists; the
 * comments name the quirk each one exercises.
 */
import { binanceDialect } from './binance';
import { bitgetDialect } from './bitget';
import { bitmexDialect } from './bitmex';
import { bybitDialect } from './bybit';
import { deribitDialect } from './deribit';
import { dydxDialect } from './dydx';
import { gateDialect } from './gate';
import { hyperliquidDialect } from './hyperliquid';
import { krakenDialect } from './kraken';
import { okxDialect } from './okx';

export {
  binanceDialect,
  bitgetDialect,
  bitmexDialect,
  bybitDialect,
  deribitDialect,
  dydxDialect,
  gateDialect,
  hyperliquidDialect,
  krakenDialect,
  okxDialect,
};
export { syntheticHistory } from './common';

export const dialects = {
  binance: binanceDialect,
  bybit: bybitDialect,
  okx: okxDialect,
  bitmex: bitmexDialect,
  deribit: deribitDialect,
  hyperliquid: hyperliquidDialect,
  bitget: bitgetDialect,
  gate: gateDialect,
  dydx: dydxDialect,
  kraken: krakenDialect,
};
