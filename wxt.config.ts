import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { restHostPermissions } from './lib/exchanges';

// https://wxt.dev/api/config.html
export default defineConfig({
  // Explicit imports everywhere: lib/ must stay plain TypeScript that Node can run.
  imports: false,
  // LIQLENS_NO_MINIFY=1: readable function names in profiles (npm run bench:browser -- --profile).
  vite: () => ({ plugins: [preact()], ...(process.env.LIQLENS_NO_MINIFY ? { build: { minify: false } } : {}) }),
  webExt: { disabled: true },
  // The sources zip AMO reviews: code and docs, not test screenshots, store pictures or recordings.
  zip: { excludeSources: ['tests/e2e/artifacts/**', 'store/**', '*.log', '.vitest-results*.json'] },
  manifest: ({ browser }) => ({
    // Name, description and the command's words in the browser's language (public/_locales; docs/store-listing.md).
    name: '__MSG_extName__',
    short_name: '__MSG_extShortName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // Justified line by line in docs/architecture.md#permissions.
    permissions: ['storage', 'alarms', 'scripting', 'notifications'],
    // REST only (instrument lists, Binance open interest): fetches from the worker need host access
    // where a venue sends no CORS headers (OKX). WebSockets need none. One host per venue.
    host_permissions: restHostPermissions(),
    // Custom chart sites: asked for one host at a time, when the user adds it (Options → Sites).
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    // Only our own packaged scripts run in extension pages: no eval, no remote code, no plugins, no
    // <base> tricks. (MV3's default already forbids remote scripts; this is stricter and explicit.)
    content_security_policy:
      browser === 'firefox'
        ? "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"
        : { extension_pages: "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'" },
    commands: {
      'toggle-overlay': { suggested_key: { default: 'Alt+Shift+L' }, description: '__MSG_commandToggleOverlay__' },
    },
    ...(browser === 'firefox'
      ? {
          // Firefox MV2 has no optional_host_permissions: host patterns are optional permissions there.
          optional_permissions: ['https://*/*', 'http://*/*'],
          // 140: `data_collection_permissions` (no data collected) is read from 140 on, 142 on Android;
          // the MAIN-world chart bridge (`world: 'MAIN'` content scripts) needs 128. 140 is an ESR.
          browser_specific_settings: {
            gecko: { id: 'liqlens@liqlens.dev', strict_min_version: '140.0', data_collection_permissions: { required: ['none'] } },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : // Chrome 116+ keeps a service worker alive while its WebSocket exchanges messages.
        { minimum_chrome_version: '116' }),
  }),
});
