import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  test: {
    projects: [
      {
        // Unit and component tests: plain Node (happy-dom per file where a DOM is needed), with
        // WXT's fake browser for the few seams that touch extension APIs.
        plugins: [WxtVitest(), preact()],
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          mockReset: true,
          restoreMocks: true,
          // zustand's hook entry imports `react`; inline it so the preact/compat alias applies.
          server: { deps: { inline: ['zustand'] } },
        },
      },
      {
        // The built extension in real headless Chromium, against loopback fake venues.
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
