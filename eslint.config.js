import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.vitepress/cache/**',
      '**/.vitepress/dist/**',
      '**/.turbo/**',
      '**/.proto/**',
      '**/scratch*.mjs',
      'apps/docs/api/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.es2022 },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Code that runs in the browser: the docs theme, the playground worker and the
    // functions that browser tests evaluate inside the page.
    files: ['apps/docs/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Programs whose job is to print: the CLI, scripts, benchmarks, examples and tests.
    files: ['apps/cli/**', 'apps/docs/**', 'bench/**', 'scripts/**', '**/scripts/**', 'examples/**', '**/test/**'],
    rules: { 'no-console': 'off' },
  },
);
