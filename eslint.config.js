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
export const pureLibSeams = ['lib/contract/protocol.ts', 'lib/settings/storage.ts', 'lib/model/history-store.ts'];
const pureMessage =
  'lib/ is plain TypeScript that Node can run: reach the browser through a port (lib/worker/ports.ts) or a named seam (pureLibSeams in eslint.config.js).';

/**
 * Import boundaries: what each part of the code may not import (docs/architecture.md, "Layers").
 * Data flows one way, so a lower layer never imports a higher one: venues know nothing of the model,
 * the contract (what crosses worker ↔ UI) knows only venues' types, the model knows nothing of
 * feeds, positions or the worker, and UIs reach the worker only through the contract.
 */
export const importBoundaries = [
  {
    files: ['lib/exchanges/**'],
    forbid: ['contract', 'model', 'net', 'positions', 'worker', 'settings', 'sites', 'ui', 'dev'],
    why: 'a venue file turns frames into events and knows nothing above it: put shared types in lib/exchanges/types.ts',
  },
  {
    files: ['lib/contract/**'],
    forbid: ['model', 'net', 'positions', 'worker', 'sites', 'ui', 'dev'],
    why: 'the contract holds what crosses worker ↔ UI and depends on venue types alone: move the type into lib/contract/',
  },
  {
    files: ['lib/model/**'],
    forbid: ['net', 'positions', 'worker', 'settings', 'sites', 'ui', 'dev'],
    why: 'the model is fed events through its front door and answers queries: wire types belong in lib/contract/',
  },
  {
    files: ['lib/net/**'],
    forbid: ['positions', 'worker', 'settings', 'sites', 'ui', 'dev'],
    why: 'feeds hand events up through callbacks: the worker composes them',
  },
  {
    files: ['lib/positions/**'],
    forbid: ['worker', 'settings', 'sites', 'ui', 'dev'],
    why: 'the positions reader is composed by the worker, not the other way round',
  },
  {
    files: ['lib/settings/**', 'lib/sites/**', 'lib/ui/**'],
    forbid: ['worker', 'net', 'positions', 'dev'],
    why: 'settings, sites and UI helpers are read by every UI: they cannot pull the worker into a page',
  },
  {
    files: ['lib/i18n/**'],
    forbid: ['contract', 'model', 'net', 'positions', 'worker', 'settings', 'sites', 'ui', 'dev'],
    why: 'the message catalogue is a leaf every layer reads: it formats and looks up words, and knows nothing of the data',
  },
  {
    files: ['lib/**'],
    ignores: ['lib/dev/**'],
    forbid: ['dev'],
    why: 'lib/dev/ (simulators, replay) is for scripts and tests, never in the extension',
  },
  {
    files: [
      'components/**',
      'entrypoints/popup/**',
      'entrypoints/options/**',
      'entrypoints/overlay.content/**',
      'entrypoints/*.content.ts',
    ],
    forbid: ['worker', 'net', 'positions', 'dev'],
    why: 'a UI talks to the worker through lib/contract/ (snapshots, views, messages), never to its insides',
  },
];
/**
 * The model's front door: outside lib/model/, its files are reached through lib/model/index.ts, except
 * the two public leaves the options page uses alone and the history database seam.
 */
const modelInsides = {
  regex: '^(@/lib/|(\\.\\./)+(lib/)?)model/(?!(index|params|liquidation-price|history-store)$)',
  message: "lib/model/ is entered through its front door: import from 'lib/model' (index.ts), which exports what may be used outside.",
};
const LIB_FOLDERS = ['contract', 'model', 'net', 'positions', 'worker', 'settings', 'sites', 'ui', 'dev'];
/** An import path that reaches into lib/<folder>/ (relative or through the @/ alias). */
const folderImport = (folder) => ({
  regex: `^(@/lib/|(\\.\\./)+(lib/)?)${folder}(/|$)`,
});

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
    },
  },
  // no-restricted-imports takes one option set per file, so each file gets the boundaries of every
  // zone it is in, plus the browser-API ban where it is pure lib/.
  ...boundaryConfigs(),
);

function boundaryConfigs() {
  // Later configs override earlier ones for the same rule: all of lib/ first, then each folder, then
  // the seams; each config carries every boundary its files are under.
  const scopes = [
    'lib/**',
    ...['exchanges', ...LIB_FOLDERS].map((f) => `lib/${f}/**`),
    ...pureLibSeams,
    'components/**',
    'entrypoints/popup/**',
    'entrypoints/options/**',
    'entrypoints/overlay.content/**',
    'entrypoints/*.content.ts',
  ];
  return scopes.map((scope) => {
    const sample = scope.replace('**', 'sample.ts').replace('*.content.ts', 'sample.content.ts');
    const zones = importBoundaries.filter(
      (b) => b.files.some((g) => covers(g, sample)) && !(b.ignores ?? []).some((g) => covers(g, sample)),
    );
    const patterns = zones.flatMap((z) =>
      z.forbid.map((folder) => ({ ...folderImport(folder), message: `lib/${folder}/ is off limits here: ${z.why}.` })),
    );
    if (scope !== 'lib/model/**' && !scope.startsWith('lib/dev')) patterns.push(modelInsides);
    const pure = scope.startsWith('lib/') && !pureLibSeams.includes(scope);
    if (pure) patterns.push({ group: [...browserApiImports, 'idb'], message: pureMessage });
    const files = scope.endsWith('**') ? [`${scope}/*.{ts,tsx}`] : [scope];
    return {
      files,
      ignores: pure ? pureLibSeams : [],
      rules: { 'no-restricted-imports': ['error', { patterns }] },
    };
  });
}

/** Whether a glob of the shapes used above (`dir/**`, `dir/*.content.ts`, a path) covers a path. */
function covers(glob, path) {
  if (glob.endsWith('/**')) return path.startsWith(glob.slice(0, -2));
  if (glob.includes('*')) return new RegExp(`^${glob.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`).test(path);
  return glob === path;
}
