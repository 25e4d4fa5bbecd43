export type { BufferKernels, KernelBackend } from './types.js';
export { blockedDot } from './dot.js';
export { createTypeScriptKernels } from './typescript.js';
export { createWasmKernels, wasmKernelsAvailable, type WasmMemory } from './wasm.js';
export { attachWorkspace, createWorkspace, WorkspaceLayout, type Workspace, type WorkspaceOptions } from './workspace.js';
