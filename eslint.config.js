// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const browserApiImports = ['wxt/browser', 'wxt/utils/*', '#imports', '@wxt-dev/storage', '@webext-core/messaging', 'webextension-polyfill'];

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
    // lib/ is pure logic, testable in plain Node. Browser APIs enter only through the two seams.
    files: ['lib/**/*.ts'],
    ignores: ['lib/protocol.ts', 'lib/settings.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'chrome', message: 'lib/ stays free of extension APIs; pass what you need in from entrypoints/.' },
        { name: 'browser', message: 'lib/ stays free of extension APIs; pass what you need in from entrypoints/.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: browserApiImports,
              message: 'lib/ stays free of browser APIs: only lib/protocol.ts and lib/settings.ts may import them.',
            },
          ],
        },
      ],
    },
  },
);
