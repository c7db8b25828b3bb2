/**
 * The venues' wire formats for the fake servers (see ../fake-venue.ts), one file per venue beside
 * its adapter's name. Each builds frames from the venue's documented samples where one exists; the
 * comments name the quirk each one exercises.
 */
import { binanceDialect } from './binance';
import { bitmexDialect } from './bitmex';
import { bybitDialect } from './bybit';
import { deribitDialect } from './deribit';
import { hyperliquidDialect } from './hyperliquid';
import { okxDialect } from './okx';

export { binanceDialect, bitmexDialect, bybitDialect, deribitDialect, hyperliquidDialect, okxDialect };
export { syntheticHistory } from './common';

export const dialects = {
  binance: binanceDialect,
  bybit: bybitDialect,
  okx: okxDialect,
  bitmex: bitmexDialect,
  deribit: deribitDialect,
  hyperliquid: hyperliquidDialect,
};
