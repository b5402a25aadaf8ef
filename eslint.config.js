import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', '.cache/**', 'samples/**', 'web/dist/**', 'test/browser/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The browser UI's plain modules (the .vue files are checked by the Vite build): the browser globals it uses
    // beyond the shared list below.
    files: ['web/**/*.js'],
    languageOptions: { globals: { URLSearchParams: 'readonly', CustomEvent: 'readonly', sessionStorage: 'readonly', performance: 'readonly' } },
  },
  {
    // Routes and job processors are thin entry points: the store is reached through the use cases (server/services/).
    files: ['server/routes/**/*.ts', 'workers/processors/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "MemberExpression[property.name='models']", message: 'Routes and processors call a use case in server/services/; they do not touch the store models.' }],
    },
  },
  {
    // CommonJS config files (dependency-cruiser reads .cjs).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', fetch: 'readonly', document: 'readonly', window: 'readonly', localStorage: 'readonly', FormData: 'readonly', Blob: 'readonly', AbortController: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error',
        { object: 'describe', property: 'only' }, { object: 'it', property: 'only' },
        { object: 'describe', property: 'skip' }, { object: 'it', property: 'skip' }],
    },
  },
);
