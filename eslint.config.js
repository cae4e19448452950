// @ts-check
// ESLint's recommended rules over the app, its workers and the browser tests (`npm run check`,
// `cargo xtask check`). Types are tsc's job (tsconfig*.json); this catches what a type checker
// does not: unused names, unreachable code, duplicate keys, empty blocks, a lost error cause.

import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['pkg/', 'pkg-threads/', 'www/vendor/', 'target/', 'dist/'] },
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The house convention for a name that must be there but is not read: a leading `_`
      // (a default callback's parameters), or a key left out of a `...rest` copy.
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  // The page (main.js, the views, the benchmark pages) and the modules the workers share with it.
  {
    files: ['www/**/*.js'],
    ignores: ['www/*worker.js'],
    languageOptions: { globals: globals.browser },
  },
  // Worker entry points: a worker's own scope (self, postMessage, importScripts), no document.
  { files: ['www/*worker.js'], languageOptions: { globals: globals.worker } },
  // Node scripts, whose page.evaluate callbacks run in the page.
  {
    files: ['tests/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  { files: ['*.js'], languageOptions: { globals: globals.node } },
];
