import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// The main entry runs in browsers too. `parallel` (worker threads over shared memory) and
// the worker script it starts are Node.js only, so they are separate entries. `shims`
// gives the CommonJS build of `parallel` the import.meta.url it uses to find the worker.
export default defineConfig({
  ...(packageBuild as object),
  entry: {
    index: 'src/index.ts',
    parallel: 'src/parallel/index.ts',
    'parallel-worker': 'src/parallel/worker.ts',
  },
  shims: true,
});
