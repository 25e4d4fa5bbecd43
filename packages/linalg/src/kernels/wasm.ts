import type { BufferKernels } from './types.js';
import { plainKernelsBase64, sharedKernelsBase64 } from './wasm-binary.js';

interface KernelExports {
  gemm_nn(a: number, b: number, c: number, n: number, d: number, k: number): void;
  gemm_tn_add(a: number, b: number, c: number, n: number, d: number, k: number): void;
  observation_pass(
    rowStart: number,
    rowBegin: number,
    rowEnd: number,
    columns: number,
    values: number,
    valueBytes: number,
    counts: number,
    P: number,
    Q: number,
    G1: number,
    G2: number,
    k: number,
    m: number,
    gradient: number,
  ): number;
  add(destination: number, source: number, count: number): void;
}

/** The part of a WebAssembly.Memory object that the kernels use. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

// The WebAssembly API, typed locally because the ES2022 library has no declarations for it.
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** Returns the runtime's WebAssembly API, or undefined where there is none. */
export function webAssemblyApi(): WasmApi | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  return typeof api === 'object' ? api : undefined;
}

const modules: { plain?: object | null; shared?: object | null } = {};

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// Compiles each module once. Returns null where WebAssembly or its SIMD extension is
// missing, or where the host forbids synchronous compilation.
function compiledModule(shared: boolean): object | null {
  const key = shared ? 'shared' : 'plain';
  const cached = modules[key];
  if (cached !== undefined) return cached;
  let compiled: object | null = null;
  const api = webAssemblyApi();
  try {
    if (api !== undefined) {
      const bytes = decodeBase64(shared ? sharedKernelsBase64 : plainKernelsBase64);
      if (api.validate(bytes)) compiled = new api.Module(bytes);
    }
  } catch {
    compiled = null;
  }
  modules[key] = compiled;
  return compiled;
}

/** Returns true when this runtime can run the WebAssembly SIMD kernels. */
export function wasmKernelsAvailable(shared = false): boolean {
  return compiledModule(shared) !== null;
}

/**
 * Instantiates the WebAssembly SIMD kernels on `memory`. Returns null when this runtime
 * cannot run them (no WebAssembly, no SIMD, or a shared memory without threads support).
 */
export function createWasmKernels(memory: WasmMemory): BufferKernels | null {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const module = compiledModule(shared);
  const api = webAssemblyApi();
  if (module === null || api === undefined) return null;
  const exports = new api.Instance(module, { env: { memory } }).exports as KernelExports;
  return {
    backend: 'wasm-simd',
    gemm: exports.gemm_nn,
    gemmTransposeAAdd: exports.gemm_tn_add,
    observationPass: (rowStart, rowBegin, rowEnd, columns, values, valueBytes, counts, P, Q, G1, G2, k, m, withGradient) =>
      exports.observation_pass(rowStart, rowBegin, rowEnd, columns, values, valueBytes, counts, P, Q, G1, G2, k, m, withGradient ? 1 : 0),
    add: exports.add,
  };
}
