// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const browserApiImports = ['wxt/browser', 'wxt/utils/*', '#imports', '@wxt-dev/storage', '@webext-core/messaging', 'webextension-polyfill'];
/** Globals that exist only in a browser (extension APIs, the DOM, web storage): none of them in lib/. */
const browserGlobals = [
  'chrome',
  'browser',
  'document',
  'window',
  'indexedDB',
  'IDBKeyRange',
  'localStorage',
  'sessionStorage',
  'navigator',
];
/**
 * The named seams: the only files in lib/ that may touch a browser API. Messaging (protocol.ts), the
 * settings item (settings-storage.ts) and the history database adapter (IndexedDB through idb).
 * Chart readers in lib/sites take the page's window or document as a parameter instead.
 */
export const pureLibSeams = ['lib/protocol.ts', 'lib/settings-storage.ts', 'lib/model/history-store.ts'];
const pureMessage =
  'lib/ is plain TypeScript that Node can run: reach the browser through a port (lib/worker/ports.ts) or a named seam (pureLibSeams in eslint.config.js).';

export default tseslint.config(
  { ignores: ['.output/', '.wxt/', 'node_modules/', 'tests/e2e/artifacts/', 'tests/e2e/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Security: nothing from a feed or a page is ever parsed as HTML or code.
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^(innerHTML|outerHTML)$/]',
          message: 'No innerHTML/outerHTML: build DOM with Preact or textContent.',
        },
        {
          selector: "CallExpression[callee.property.name='insertAdjacentHTML']",
          message: 'No insertAdjacentHTML: build DOM with Preact or textContent.',
        },
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'No dangerouslySetInnerHTML.' },
      ],
    },
  },
  {
    // lib/ is pure logic, testable in plain Node. Browser APIs enter only through the ports the
    // worker core is built with (lib/worker/ports.ts) and the named seams below.
    files: ['lib/**/*.ts'],
    ignores: pureLibSeams,
    rules: {
      'no-restricted-globals': ['error', ...browserGlobals.map((name) => ({ name, message: pureMessage }))],
      'no-restricted-imports': ['error', { patterns: [{ group: [...browserApiImports, 'idb'], message: pureMessage }] }],
    },
  },
);
