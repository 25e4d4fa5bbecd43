import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  blockedDot,
  createRandom,
  createWorkspace,
  multiply,
  multiplyTransposeA,
  wasmKernelsAvailable,
  WorkspaceLayout,
  type KernelBackend,
  type Workspace,
} from '../src/index.js';
import { relativeDifference } from './reference.js';

const backends: KernelBackend[] = ['wasm-simd', 'typescript'];

function gaussian(seed: number, length: number): Float64Array {
  return createRandom(seed).gaussianMatrix(1, length).data;
}

// Plain triple loops, the definition the kernels must reproduce.
function plainProduct(a: Float64Array, b: Float64Array, n: number, d: number, k: number): Float64Array {
  const c = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      let sum = 0;
      for (let p = 0; p < d; p++) sum += (a[i * d + p] as number) * (b[p * k + j] as number);
      c[i * k + j] = sum;
    }
  }
  return c;
}

function plainTransposeProduct(a: Float64Array, b: Float64Array, n: number, d: number, k: number): Float64Array {
  const c = new Float64Array(d * k);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < k; j++) {
      let sum = 0;
      for (let p = 0; p < n; p++) sum += (a[p * d + i] as number) * (b[p * k + j] as number);
      c[i * k + j] = sum;
    }
  }
  return c;
}

function firstMismatch(a: Float64Array, b: Float64Array): string {
  for (let t = 0; t < a.length; t++) {
    if (!Object.is(a[t], b[t])) return `entry ${t}: ${a[t]} against ${b[t]}`;
  }
  return 'none';
}

interface DenseCase {
  workspace: Workspace;
  offsets: { a: number; b: number; c: number; g: number; t: number };
}

function denseCase(backend: KernelBackend, n: number, d: number, k: number, a: Float64Array, b: Float64Array, g: Float64Array): DenseCase {
  const layout = new WorkspaceLayout();
  const offsets = { a: layout.float64(n * d), b: layout.float64(d * k), c: layout.float64(n * k), g: layout.float64(n * k), t: layout.float64(d * k) };
  const workspace = createWorkspace(layout.byteLength, { backend });
  workspace.float64(offsets.a, n * d).set(a);
  workspace.float64(offsets.b, d * k).set(b);
  workspace.float64(offsets.g, n * k).set(g);
  return { workspace, offsets };
}

describe('WebAssembly SIMD kernels', () => {
  it('are available in this runtime', () => {
    expect(wasmKernelsAvailable(false)).toBe(true);
    expect(wasmKernelsAvailable(true)).toBe(true);
    expect(createWorkspace(64).kernels.backend).toBe('wasm-simd');
    expect(createWorkspace(64, { shared: true }).buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe('dense kernels', () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 2, 5],
    [7, 5, 3],
    [9, 13, 11],
    [33, 29, 50],
    [130, 7, 9],
  ];

  for (const [n, d, k] of shapes) {
    it(`gemm and gemmTransposeAAdd agree across backends for n=${n}, d=${d}, k=${k}`, () => {
      const a = gaussian(1, n * d);
      const b = gaussian(2, d * k);
      const g = gaussian(3, n * k);
      const results = backends.map((backend) => {
        const { workspace, offsets } = denseCase(backend, n, d, k, a, b, g);
        workspace.kernels.gemm(offsets.a, offsets.b, offsets.c, n, d, k);
        workspace.kernels.gemmTransposeAAdd(offsets.a, offsets.g, offsets.t, n, d, k);
        return { c: workspace.float64(offsets.c, n * k).slice(), t: workspace.float64(offsets.t, d * k).slice() };
      });
      const [wasm, typescript] = results as [(typeof results)[0], (typeof results)[0]];

      expect(firstMismatch(wasm.c, typescript.c), 'A·B').toBe('none');
      expect(firstMismatch(wasm.t, typescript.t), 'AᵀG').toBe('none');
      const errorC = relativeDifference(wasm.c, plainProduct(a, b, n, d, k));
      const errorT = relativeDifference(wasm.t, plainTransposeProduct(a, g, n, d, k));
      expect(errorC, `A·B relative error ${errorC}`).toBeLessThan(1e-14);
      expect(errorT, `AᵀG relative error ${errorT}`).toBeLessThan(1e-14);
    });
  }

  it('gemmTransposeAAdd over split rows equals one call', () => {
    const [n, d, k] = [201, 6, 7];
    const a = gaussian(4, n * d);
    const g = gaussian(5, n * k);
    for (const backend of backends) {
      const whole = denseCase(backend, n, d, k, a, new Float64Array(d * k), g);
      whole.workspace.kernels.gemmTransposeAAdd(whole.offsets.a, whole.offsets.g, whole.offsets.t, n, d, k);
      const split = denseCase(backend, n, d, k, a, new Float64Array(d * k), g);
      const { kernels } = split.workspace;
      kernels.gemmTransposeAAdd(split.offsets.a, split.offsets.g, split.offsets.t, 70, d, k);
      kernels.gemmTransposeAAdd(split.offsets.a + 70 * d * 8, split.offsets.g + 70 * k * 8, split.offsets.t, n - 70, d, k);

      const mismatch = firstMismatch(split.workspace.float64(split.offsets.t, d * k), whole.workspace.float64(whole.offsets.t, d * k));
      expect(mismatch, backend).toBe('none');
    }
  });

  it('add sums element by element, odd lengths included', () => {
    for (const backend of backends) {
      const layout = new WorkspaceLayout();
      const x = layout.float64(5);
      const y = layout.float64(5);
      const workspace = createWorkspace(layout.byteLength, { backend });
      workspace.float64(x, 5).set([1, 2, 3, 4, 5]);
      workspace.float64(y, 5).set([10, 20, 30, 40, 50]);

      workspace.kernels.add(x, y, 5);

      expect(Array.from(workspace.float64(x, 5)), backend).toEqual([11, 22, 33, 44, 55]);
    }
  });
});

// A row-grouped observation list of n1 rows over n2 columns, as the pass expects it.
function observationCase(seed: number, n1: number, n2: number, k: number, perRow: number) {
  const random = createRandom(seed);
  const rowStart = new Int32Array(n1 + 1);
  const columns: number[] = [];
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n1; i++) {
    const entries = random.integer(perRow + 1);
    for (let e = 0; e < entries; e++) {
      columns.push(random.integer(n2));
      values.push(random.integer(5) + 1);
      counts.push(random.integer(3) + 1);
    }
    rowStart[i + 1] = columns.length;
  }
  return {
    rowStart,
    columns: Int32Array.from(columns),
    values: Float64Array.from(values),
    counts: Float64Array.from(counts),
    P: gaussian(seed + 1, n1 * k),
    Q: gaussian(seed + 2, n2 * k),
  };
}

type ObservationCase = ReturnType<typeof observationCase>;

function runPass(backend: KernelBackend, data: ObservationCase, k: number, options: { counts: boolean; float32: boolean; gradient: boolean }) {
  const n1 = data.rowStart.length - 1;
  const n2 = data.Q.length / k;
  const pairs = data.columns.length;
  const layout = new WorkspaceLayout();
  const o = {
    rowStart: layout.words(n1 + 1),
    columns: layout.words(pairs),
    values: layout.reserve(pairs * (options.float32 ? 4 : 8)),
    counts: layout.float64(pairs),
    P: layout.float64(n1 * k),
    Q: layout.float64(n2 * k),
    G1: layout.float64(n1 * k),
    G2: layout.float64(n2 * k),
  };
  const workspace = createWorkspace(layout.byteLength, { backend });
  workspace.int32(o.rowStart, n1 + 1).set(data.rowStart);
  workspace.int32(o.columns, pairs).set(data.columns);
  (options.float32 ? workspace.float32(o.values, pairs) : workspace.float64(o.values, pairs)).set(data.values);
  workspace.float64(o.counts, pairs).set(data.counts);
  workspace.float64(o.P, n1 * k).set(data.P);
  workspace.float64(o.Q, n2 * k).set(data.Q);
  const sum = workspace.kernels.observationPass(
    o.rowStart, 0, n1, o.columns, o.values, options.float32 ? 4 : 8, options.counts ? o.counts : 0,
    o.P, o.Q, o.G1, o.G2, k, 17, options.gradient,
  );
  return { sum, G1: workspace.float64(o.G1, n1 * k).slice(), G2: workspace.float64(o.G2, n2 * k).slice() };
}

// The pass computed observation by observation with plain sequential sums.
function plainPass(data: ObservationCase, k: number, withCounts: boolean) {
  const n1 = data.rowStart.length - 1;
  const G1 = new Float64Array(data.P.length);
  const G2 = new Float64Array(data.Q.length);
  let sum = 0;
  for (let i = 0; i < n1; i++) {
    for (let t = data.rowStart[i] as number; t < (data.rowStart[i + 1] as number); t++) {
      const j = data.columns[t] as number;
      const count = withCounts ? (data.counts[t] as number) : 1;
      let prediction = 0;
      for (let c = 0; c < k; c++) prediction += (data.P[i * k + c] as number) * (data.Q[j * k + c] as number);
      const residual = prediction - (data.values[t] as number);
      sum += count * residual * residual;
      for (let c = 0; c < k; c++) {
        G1[i * k + c]! += ((count * residual) / 17) * (data.Q[j * k + c] as number);
        G2[j * k + c]! += ((count * residual) / 17) * (data.P[i * k + c] as number);
      }
    }
  }
  return { sum, G1, G2 };
}

describe('observation pass kernel', () => {
  for (const k of [1, 2, 3, 4, 5, 7, 8, 50]) {
    for (const counts of [false, true]) {
      it(`agrees across backends and with plain sums for k=${k}, counts=${counts}`, () => {
        const data = observationCase(10 + k, 23, 19, k, 6);
        const options = { counts, float32: false, gradient: true };
        const wasm = runPass('wasm-simd', data, k, options);
        const typescript = runPass('typescript', data, k, options);
        const plain = plainPass(data, k, counts);

        expect(Object.is(wasm.sum, typescript.sum), `${wasm.sum} against ${typescript.sum}`).toBe(true);
        expect(firstMismatch(wasm.G1, typescript.G1), 'G1').toBe('none');
        expect(firstMismatch(wasm.G2, typescript.G2), 'G2').toBe('none');
        expect(Math.abs(wasm.sum - plain.sum) / plain.sum, `sum ${wasm.sum} against ${plain.sum}`).toBeLessThan(1e-13);
        expect(relativeDifference(wasm.G1, plain.G1), 'G1 against plain sums').toBeLessThan(1e-13);
        expect(relativeDifference(wasm.G2, plain.G2), 'G2 against plain sums').toBeLessThan(1e-13);
      });
    }
  }

  it('reads float32 values like their float64 equals and skips the gradient on request', () => {
    const k = 6;
    const data = observationCase(3, 17, 11, k, 5);
    for (const backend of backends) {
      const wide = runPass(backend, data, k, { counts: true, float32: false, gradient: true });
      const narrow = runPass(backend, data, k, { counts: true, float32: true, gradient: true });
      const lossOnly = runPass(backend, data, k, { counts: true, float32: false, gradient: false });

      expect(narrow.sum, backend).toBe(wide.sum);
      expect(firstMismatch(narrow.G1, wide.G1), backend).toBe('none');
      expect(lossOnly.sum, backend).toBe(wide.sum);
      expect(lossOnly.G1.every((value) => value === 0), `${backend}: G1 untouched`).toBe(true);
      expect(lossOnly.G2.every((value) => value === 0), `${backend}: G2 untouched`).toBe(true);
    }
  });
});

describe('blockedDot', () => {
  it('matches the sequential dot product to rounding for every length up to 13', () => {
    for (let length = 0; length <= 13; length++) {
      const a = gaussian(20 + length, length);
      const b = gaussian(40 + length, length);
      let sequential = 0;
      for (let c = 0; c < length; c++) sequential += (a[c] as number) * (b[c] as number);

      const blocked = blockedDot(a, 0, b, 0, length);

      expect(Math.abs(blocked - sequential), `length ${length}: ${blocked} against ${sequential}`).toBeLessThanOrEqual(
        1e-14 * Math.max(1, Math.abs(sequential)),
      );
    }
  });
});

describe('workspace', () => {
  it('aligns every reservation to 64 bytes', () => {
    const layout = new WorkspaceLayout();
    const first = layout.float64(3);
    const second = layout.words(5);
    const third = layout.reserve(1);

    expect([first, second, third, layout.byteLength]).toEqual([0, 64, 128, 192]);
  });

  it('falls back to TypeScript kernels on request', () => {
    const workspace = createWorkspace(128, { backend: 'typescript', shared: true });

    expect(workspace.kernels.backend).toBe('typescript');
    expect(workspace.memory).toBeUndefined();
    expect(workspace.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('rejects an invalid size or backend', () => {
    expect(() => createWorkspace(-1)).toThrow('invalid byteLength: expected a non-negative integer, received -1');
    expect(() => createWorkspace(8, { backend: 'gpu' as never })).toThrow('invalid backend "gpu"');
  });
});

describe('public products on the kernels', () => {
  it('give the same numbers as the TypeScript loops above the kernel threshold', () => {
    const random = createRandom(9);
    const a = random.gaussianMatrix(300, 40);
    const b = random.gaussianMatrix(40, 30);
    const g = random.gaussianMatrix(300, 30);

    const product = multiply(a, b);
    const transposed = multiplyTransposeA(a, g);

    expect(firstMismatch(product.data, plainProduct(a.data, b.data, 300, 40, 30))).toBe('none');
    expect(firstMismatch(transposed.data, plainTransposeProduct(a.data, g.data, 300, 40, 30))).toBe('none');
  });
});

describe('committed kernel binaries', () => {
  it('match a fresh compilation of scripts/build-kernels.mjs', async () => {
    const script = (await import(new URL('../scripts/build-kernels.mjs', import.meta.url).href)) as {
      compileKernels(): Promise<unknown>;
      binaryModuleText(kernels: unknown): string;
    };
    const committed = readFileSync(new URL('../src/kernels/wasm-binary.ts', import.meta.url), 'utf8');

    const fresh = script.binaryModuleText(await script.compileKernels());

    // A mismatch means the script changed without `pnpm --filter @nimc/linalg build:kernels`.
    expect(fresh === committed).toBe(true);
  });
});
