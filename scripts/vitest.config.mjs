import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests of the repository scripts and of the README examples. They use the built packages,
// so run `pnpm build` first.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['scripts/test/**/*.test.mjs'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
