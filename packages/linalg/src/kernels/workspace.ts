import type { BufferKernels, KernelBackend } from './types.js';
import { createTypeScriptKernels } from './typescript.js';
import { createWasmKernels, webAssemblyApi, type WasmMemory } from './wasm.js';

const pageBytes = 65536;
// A 32-bit WebAssembly memory has at most 65536 pages (4 GiB).
const maxPages = 65536;

/** Options of `createWorkspace`. */
export interface WorkspaceOptions {
  /**
   * Kernel implementation: 'auto' (default) takes WebAssembly SIMD where the runtime
   * supports it and the size fits a 32-bit memory, and TypeScript otherwise.
   */
  backend?: 'auto' | KernelBackend;
  /** Backs the workspace with shared memory, so that worker threads can attach to it. Default false. */
  shared?: boolean;
}

/**
 * A block of memory with kernels that work on it in place. Kernel arguments are byte
 * offsets into `buffer`; `float64`, `float32` and `int32` return views of it.
 */
export interface Workspace {
  readonly kernels: BufferKernels;
  readonly byteLength: number;
  /** The WebAssembly memory behind the buffer, when the backend is 'wasm-simd'. */
  readonly memory: WasmMemory | undefined;
  /** The current buffer. It never changes, because the memory never grows. */
  readonly buffer: ArrayBufferLike;
  float64(offset: number, length: number): Float64Array;
  float32(offset: number, length: number): Float32Array;
  int32(offset: number, length: number): Int32Array;
}

function viewsOf(kernels: BufferKernels, buffer: ArrayBufferLike, memory: WasmMemory | undefined, byteLength: number): Workspace {
  return {
    kernels,
    byteLength,
    memory,
    buffer,
    float64: (offset, length) => new Float64Array(buffer, offset, length),
    float32: (offset, length) => new Float32Array(buffer, offset, length),
    int32: (offset, length) => new Int32Array(buffer, offset, length),
  };
}

function tryWasmMemory(byteLength: number, shared: boolean): WasmMemory | undefined {
  const pages = Math.max(1, Math.ceil(byteLength / pageBytes));
  const api = webAssemblyApi();
  if (pages > maxPages || api === undefined) return undefined;
  try {
    return new api.Memory({ initial: pages, maximum: pages, shared });
  } catch {
    return undefined;
  }
}

/**
 * Creates a zero-filled workspace of at least `byteLength` bytes. With backend 'wasm-simd'
 * it throws an Error when the runtime cannot run the WebAssembly kernels on such a memory.
 */
export function createWorkspace(byteLength: number, options: WorkspaceOptions = {}): Workspace {
  if (!Number.isSafeInteger(byteLength) || byteLength < 0) {
    throw new RangeError(`invalid byteLength: expected a non-negative integer, received ${byteLength}`);
  }
  const backend = options.backend ?? 'auto';
  const shared = options.shared ?? false;
  if (backend !== 'auto' && backend !== 'wasm-simd' && backend !== 'typescript') {
    throw new RangeError(`invalid backend "${String(backend)}": expected 'auto', 'wasm-simd' or 'typescript'`);
  }
  if (shared && typeof SharedArrayBuffer === 'undefined') {
    throw new Error('shared workspace unavailable: this runtime has no SharedArrayBuffer');
  }

  if (backend !== 'typescript') {
    const memory = tryWasmMemory(byteLength, shared);
    const kernels = memory === undefined ? null : createWasmKernels(memory);
    if (memory !== undefined && kernels !== null) return viewsOf(kernels, memory.buffer, memory, byteLength);
    if (backend === 'wasm-simd') {
      throw new Error(
        `WebAssembly SIMD kernels unavailable for a ${shared ? 'shared ' : ''}workspace of ${byteLength} bytes: ` +
          'the runtime lacks WebAssembly SIMD or the size exceeds 4 GiB; use backend "typescript" or "auto"',
      );
    }
  }
  const buffer = shared ? new SharedArrayBuffer(byteLength) : new ArrayBuffer(byteLength);
  return viewsOf(createTypeScriptKernels(buffer), buffer, undefined, byteLength);
}

/**
 * Attaches to the memory of a shared workspace from another thread: `memory` is the
 * workspace's WebAssembly memory ('wasm-simd') or `buffer` its SharedArrayBuffer
 * ('typescript'). The kernels are the same backend as the original's.
 */
export function attachWorkspace(source: WasmMemory | SharedArrayBuffer, byteLength: number): Workspace {
  if (source instanceof SharedArrayBuffer) {
    return viewsOf(createTypeScriptKernels(source), source, undefined, byteLength);
  }
  const kernels = createWasmKernels(source);
  if (kernels === null) throw new Error('WebAssembly SIMD kernels unavailable in this thread');
  return viewsOf(kernels, source.buffer, source, byteLength);
}

/**
 * Hands out byte ranges of a workspace in order, each aligned to 64 bytes (a cache line),
 * and records the total.
 */
export class WorkspaceLayout {
  #end = 0;

  /** Reserves `byteLength` bytes and returns their offset. */
  reserve(byteLength: number): number {
    if (!Number.isSafeInteger(byteLength) || byteLength < 0) {
      throw new RangeError(`invalid byteLength: expected a non-negative integer, received ${byteLength}`);
    }
    const offset = this.#end;
    this.#end = offset + Math.ceil(byteLength / 64) * 64;
    return offset;
  }

  /** Reserves room for `length` float64 values. */
  float64(length: number): number {
    return this.reserve(length * 8);
  }

  /** Reserves room for `length` int32 or float32 values. */
  words(length: number): number {
    return this.reserve(length * 4);
  }

  /** Total bytes reserved so far. */
  get byteLength(): number {
    return this.#end;
  }
}
