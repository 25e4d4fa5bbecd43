// The built workspace packages, imported from their dist folders (the repository root has
// no dependency on them). Run `pnpm build` first.
export * as activations from '../../packages/activations/dist/index.js';
export * as datasets from '../../packages/datasets/dist/index.js';
export * as linalg from '../../packages/linalg/dist/index.js';
export * as objective from '../../packages/objective/dist/index.js';
