import { defineConfig } from 'vitest/config';

// The CLI tests start the built command line as a child process and train small models,
// which takes seconds each and more on a loaded machine than vitest's 5 s default.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
