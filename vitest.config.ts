import { availableParallelism } from 'node:os';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: on the 2-core CI machine that is one,
    // and the unit run took 30 s instead of 20. Unit files are independent (each has its own fake
    // browser, clock and loopback ports); the e2e project runs its files one at a time anyway.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        // Unit and component tests: plain Node (happy-dom per file where a DOM is needed), with
        // WXT's fake browser for the few seams that touch extension APIs.
        plugins: [WxtVitest(), preact()],
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          setupFiles: ['tests/setup-i18n.ts'],
          // Files share a worker's module registry instead of re-importing WXT's plugin, Preact and
          // the engine for each one (a third of the run was imports). Every file resets what it uses
          // (fake browser, messaging listeners, timers) in its hooks; five runs in a row stay green.
          isolate: false,
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
          setupFiles: ['tests/setup-i18n.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
