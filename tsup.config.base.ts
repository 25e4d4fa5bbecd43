import { defineConfig } from 'tsup';

/** Build settings shared by every package: ESM, CJS and declarations from src/index.ts. */
export const packageBuild = defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
