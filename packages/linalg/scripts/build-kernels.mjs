// Generates the WebAssembly SIMD kernels of @nimc/linalg.
//
//   node scripts/build-kernels.mjs          (pnpm --filter @nimc/linalg build:kernels)
//
// The kernels are written below as WebAssembly text (WAT). Small template functions repeat
// the register-blocked inner loops for each block shape. The script writes the text to
// wasm/kernels.wat for reading and compiles it with wabt (npm package `wabt`) into two
// binaries: one imports a plain memory, the other a shared memory for worker threads. It
// embeds both as base64 in src/kernels/wasm-binary.ts, so installing the package needs no
// build tool.
//
// Every kernel adds up each output element in the same order as the TypeScript fallback in
// src/kernels/typescript.ts, so the two return bit-identical results (WebAssembly has no
// fused multiply-add, and the JavaScript fallback has none either).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import createWabt from 'wabt';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const range = (count) => Array.from({ length: count }, (_, index) => index);
const lines = (count, emit) => range(count).map(emit).join('\n');
const zero = '(v128.const f64x2 0 0)';

// ---------------------------------------------------------------------------------------
// gemm_nn: C (n×k) = A (n×d) · B (d×k), all row-major float64, C overwritten.
// C[i][j] = Σ_p A[i][p]·B[p][j], added up in increasing p from 0.
// Blocks of `rows` rows of C (1 or 2) by `vectors` pairs of columns (4 or 1) keep their
// partial sums in registers while p runs over d.

function gemmNnBlock(rows, vectors) {
  const accumulator = (r, v) => `$c${r}${v}`;
  return `
      ;; ${rows} row(s) × ${2 * vectors} columns
      (block $done${rows}x${vectors}
        (loop $columns${rows}x${vectors}
          (br_if $done${rows}x${vectors} (i32.gt_s (i32.add (local.get $j) (i32.const ${2 * vectors})) (local.get $k)))
${lines(rows, (r) => lines(vectors, (v) => `          (local.set ${accumulator(r, v)} ${zero})`))}
          (local.set $pa (local.get $rowA))
          (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $p (i32.const 0))
          (block $innerDone
            (loop $inner
              (br_if $innerDone (i32.ge_s (local.get $p) (local.get $d)))
              (local.set $x0 (f64x2.splat (f64.load (local.get $pa))))
${rows > 1 ? '              (local.set $x1 (f64x2.splat (f64.load (i32.add (local.get $pa) (local.get $db)))))' : ''}
${lines(vectors, (v) => `              (local.set $b${v} (v128.load offset=${16 * v} (local.get $pb)))`)}
${lines(rows, (r) => lines(vectors, (v) => `              (local.set ${accumulator(r, v)} (f64x2.add (local.get ${accumulator(r, v)}) (f64x2.mul (local.get $x${r}) (local.get $b${v}))))`))}
              (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
              (local.set $pb (i32.add (local.get $pb) (local.get $kb)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $inner)))
          (local.set $pc (i32.add (local.get $rowC) (i32.shl (local.get $j) (i32.const 3))))
${lines(rows, (r) => lines(vectors, (v) => `          (v128.store offset=${16 * v} ${r === 0 ? '(local.get $pc)' : '(i32.add (local.get $pc) (local.get $kb))'} (local.get ${accumulator(r, v)}))`))}
          (local.set $j (i32.add (local.get $j) (i32.const ${2 * vectors})))
          (br $columns${rows}x${vectors})))`;
}

function gemmNnScalar(rows) {
  return `
      ;; ${rows} row(s) × the last, odd column
      (if (i32.lt_s (local.get $j) (local.get $k))
        (then
${lines(rows, (r) => `          (local.set $s${r} (f64.const 0))`)}
          (local.set $pa (local.get $rowA))
          (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $p (i32.const 0))
          (block $innerDone
            (loop $inner
              (br_if $innerDone (i32.ge_s (local.get $p) (local.get $d)))
              (local.set $s0 (f64.add (local.get $s0) (f64.mul (f64.load (local.get $pa)) (f64.load (local.get $pb)))))
${rows > 1 ? '              (local.set $s1 (f64.add (local.get $s1) (f64.mul (f64.load (i32.add (local.get $pa) (local.get $db))) (f64.load (local.get $pb)))))' : ''}
              (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
              (local.set $pb (i32.add (local.get $pb) (local.get $kb)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $inner)))
          (local.set $pc (i32.add (local.get $rowC) (i32.shl (local.get $j) (i32.const 3))))
          (f64.store (local.get $pc) (local.get $s0))
${rows > 1 ? '          (f64.store (i32.add (local.get $pc) (local.get $kb)) (local.get $s1))' : ''}))`;
}

function gemmNnRows(rows) {
  return `
      (local.set $rowA (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $db))))
      (local.set $rowC (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $kb))))
      (local.set $j (i32.const 0))
${gemmNnBlock(rows, 4)}
${gemmNnBlock(rows, 1)}
${gemmNnScalar(rows)}`;
}

const gemmNn = `
  ;; C (n×k) = A (n×d) · B (d×k). Arguments are byte offsets into memory.
  (func (export "gemm_nn")
    (param $a i32) (param $b i32) (param $c i32) (param $n i32) (param $d i32) (param $k i32)
    (local $i i32) (local $j i32) (local $p i32)
    (local $rowA i32) (local $rowC i32) (local $pa i32) (local $pb i32) (local $pc i32)
    (local $kb i32) (local $db i32)
    (local $x0 v128) (local $x1 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128)
    (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128)
    (local $s0 f64) (local $s1 f64)
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    (local.set $db (i32.shl (local.get $d) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.gt_s (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
${gemmNnRows(2)}
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_s (local.get $i) (local.get $n))
      (then
${gemmNnRows(1)})))`;

// ---------------------------------------------------------------------------------------
// gemm_tn_add: C (d×k) += Aᵀ·B with A (n×d) and B (n×k).
// C[i][j] += A[p][i]·B[p][j] for p = 0, 1, …, n−1 in that order, so splitting the rows
// into consecutive calls gives the same sums as one call. The p range is cut into chunks
// of `chunk` rows, so the rows of A and B that a chunk touches stay in the L1/L2 cache
// while every block of C visits them. Each block of C is loaded into registers, updated
// over the chunk and stored back, which keeps the order of the sum.

const chunk = 64;

function gemmTnBlock(rows, vectors) {
  const accumulator = (r, v) => `$c${r}${v}`;
  const cRow = (r) => (r === 0 ? '(local.get $pc)' : '(i32.add (local.get $pc) (local.get $kb))');
  return `
      ;; ${rows} row(s) × ${2 * vectors} columns of C
      (block $done${rows}x${vectors}
        (loop $columns${rows}x${vectors}
          (br_if $done${rows}x${vectors} (i32.gt_s (i32.add (local.get $j) (i32.const ${2 * vectors})) (local.get $k)))
          (local.set $pc (i32.add (local.get $rowC) (i32.shl (local.get $j) (i32.const 3))))
${lines(rows, (r) => lines(vectors, (v) => `          (local.set ${accumulator(r, v)} (v128.load offset=${16 * v} ${cRow(r)}))`))}
          (local.set $pa (i32.add (local.get $chunkA) (i32.shl (local.get $i) (i32.const 3))))
          (local.set $pb (i32.add (local.get $chunkB) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $p (local.get $p0))
          (block $innerDone
            (loop $inner
              (br_if $innerDone (i32.ge_s (local.get $p) (local.get $p1)))
              (local.set $x0 (f64x2.splat (f64.load (local.get $pa))))
${rows > 1 ? '              (local.set $x1 (f64x2.splat (f64.load offset=8 (local.get $pa))))' : ''}
${lines(vectors, (v) => `              (local.set $b${v} (v128.load offset=${16 * v} (local.get $pb)))`)}
${lines(rows, (r) => lines(vectors, (v) => `              (local.set ${accumulator(r, v)} (f64x2.add (local.get ${accumulator(r, v)}) (f64x2.mul (local.get $x${r}) (local.get $b${v}))))`))}
              (local.set $pa (i32.add (local.get $pa) (local.get $db)))
              (local.set $pb (i32.add (local.get $pb) (local.get $kb)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $inner)))
${lines(rows, (r) => lines(vectors, (v) => `          (v128.store offset=${16 * v} ${cRow(r)} (local.get ${accumulator(r, v)}))`))}
          (local.set $j (i32.add (local.get $j) (i32.const ${2 * vectors})))
          (br $columns${rows}x${vectors})))`;
}

function gemmTnScalar(rows) {
  return `
      ;; ${rows} row(s) × the last, odd column of C
      (if (i32.lt_s (local.get $j) (local.get $k))
        (then
          (local.set $pc (i32.add (local.get $rowC) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $s0 (f64.load (local.get $pc)))
${rows > 1 ? '          (local.set $s1 (f64.load (i32.add (local.get $pc) (local.get $kb))))' : ''}
          (local.set $pa (i32.add (local.get $chunkA) (i32.shl (local.get $i) (i32.const 3))))
          (local.set $pb (i32.add (local.get $chunkB) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $p (local.get $p0))
          (block $innerDone
            (loop $inner
              (br_if $innerDone (i32.ge_s (local.get $p) (local.get $p1)))
              (local.set $s0 (f64.add (local.get $s0) (f64.mul (f64.load (local.get $pa)) (f64.load (local.get $pb)))))
${rows > 1 ? '              (local.set $s1 (f64.add (local.get $s1) (f64.mul (f64.load offset=8 (local.get $pa)) (f64.load (local.get $pb)))))' : ''}
              (local.set $pa (i32.add (local.get $pa) (local.get $db)))
              (local.set $pb (i32.add (local.get $pb) (local.get $kb)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $inner)))
          (f64.store (local.get $pc) (local.get $s0))
${rows > 1 ? '          (f64.store (i32.add (local.get $pc) (local.get $kb)) (local.get $s1))' : ''}))`;
}

function gemmTnRows(rows) {
  return `
      (local.set $rowC (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $kb))))
      (local.set $j (i32.const 0))
${gemmTnBlock(rows, 4)}
${gemmTnBlock(rows, 1)}
${gemmTnScalar(rows)}`;
}

const gemmTn = `
  ;; C (d×k) += Aᵀ·B for A (n×d) and B (n×k). Arguments are byte offsets into memory.
  (func (export "gemm_tn_add")
    (param $a i32) (param $b i32) (param $c i32) (param $n i32) (param $d i32) (param $k i32)
    (local $i i32) (local $j i32) (local $p i32) (local $p0 i32) (local $p1 i32)
    (local $chunkA i32) (local $chunkB i32) (local $rowC i32)
    (local $pa i32) (local $pb i32) (local $pc i32)
    (local $kb i32) (local $db i32)
    (local $x0 v128) (local $x1 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128)
    (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128)
    (local $s0 f64) (local $s1 f64)
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    (local.set $db (i32.shl (local.get $d) (i32.const 3)))

    (local.set $p0 (i32.const 0))
    (block $chunksDone
      (loop $chunks
        (br_if $chunksDone (i32.ge_s (local.get $p0) (local.get $n)))
        (local.set $p1 (select
          (local.get $n)
          (i32.add (local.get $p0) (i32.const ${chunk}))
          (i32.gt_s (i32.add (local.get $p0) (i32.const ${chunk})) (local.get $n))))
        (local.set $chunkA (i32.add (local.get $a) (i32.mul (local.get $p0) (local.get $db))))
        (local.set $chunkB (i32.add (local.get $b) (i32.mul (local.get $p0) (local.get $kb))))
        (local.set $i (i32.const 0))
        (block $pairsDone
          (loop $pairs
            (br_if $pairsDone (i32.gt_s (i32.add (local.get $i) (i32.const 2)) (local.get $d)))
${gemmTnRows(2)}
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $pairs)))
        (if (i32.lt_s (local.get $i) (local.get $d))
          (then
${gemmTnRows(1)}))
        (local.set $p0 (local.get $p1))
        (br $chunks))))`;

// ---------------------------------------------------------------------------------------
// observation_pass: one pass over the observations of rows [rowBegin, rowEnd) of a
// row-grouped (CSR-like) observation list. Observation t of row i (rowStart[i] ≤ t <
// rowStart[i + 1]) has column columns[t], value values[t] (float64, or float32 when
// valueBytes is 4) and multiplicity counts[t] (1 when counts is 0). With P (n1×k) and Q
// (n2×k) it forms r = P_i·Q_j − value, adds count·r² to the returned sum and, when
// `gradient` is non-zero, adds w·Q_j to G1_i and w·P_i to G2_j with w = count·r/m.
//
// The dot product P_i·Q_j keeps four partial sums s0..s3 (two f64x2 registers) over
// c ≡ 0, 1, 2, 3 (mod 4). When two columns remain, it adds them into s0 and s1. It then
// forms (s0 + s2) + (s1 + s3) and adds the last column when k is odd.

const load = (pointer, offset = 0) => `(v128.load offset=${offset} (local.get ${pointer}))`;
const advance = (pointers, bytes) => pointers.map((pointer) => `(local.set ${pointer} (i32.add (local.get ${pointer}) (i32.const ${bytes})))`).join('\n                ');
// target[offset] += w · source[offset], one f64x2 vector.
const updateVector = (target, source, offset) =>
  `(v128.store offset=${offset} (local.get ${target}) (f64x2.add ${load(target, offset)} (f64x2.mul (local.get $w) ${load(source, offset)})))`;

const observationPass = `
  (func (export "observation_pass")
    (param $rowStart i32) (param $rowBegin i32) (param $rowEnd i32)
    (param $columns i32) (param $values i32) (param $valueBytes i32) (param $counts i32)
    (param $P i32) (param $Q i32) (param $G1 i32) (param $G2 i32)
    (param $k i32) (param $m f64) (param $gradient i32)
    (result f64)
    (local $i i32) (local $t i32) (local $end i32) (local $kb i32) (local $k4b i32)
    (local $rowP i32) (local $rowG1 i32) (local $rowQ i32) (local $column i32)
    (local $pp i32) (local $pq i32) (local $pg1 i32) (local $pg2 i32) (local $stop i32)
    (local $value f64) (local $count f64) (local $dot f64) (local $residual f64) (local $weight f64)
    (local $sum f64)
    (local $acc0 v128) (local $acc1 v128) (local $w v128)
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    ;; bytes of the columns handled four at a time
    (local.set $k4b (i32.shl (i32.and (local.get $k) (i32.const -4)) (i32.const 3)))
    (local.set $sum (f64.const 0))
    (local.set $count (f64.const 1))
    (local.set $i (local.get $rowBegin))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $i) (local.get $rowEnd)))
        (local.set $rowP (i32.add (local.get $P) (i32.mul (local.get $i) (local.get $kb))))
        (local.set $rowG1 (i32.add (local.get $G1) (i32.mul (local.get $i) (local.get $kb))))
        (local.set $t (i32.load (i32.add (local.get $rowStart) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $end (i32.load offset=4 (i32.add (local.get $rowStart) (i32.shl (local.get $i) (i32.const 2)))))
        (block $entriesDone
          (loop $entries
            (br_if $entriesDone (i32.ge_s (local.get $t) (local.get $end)))
            (local.set $column (i32.load (i32.add (local.get $columns) (i32.shl (local.get $t) (i32.const 2)))))
            (local.set $rowQ (i32.add (local.get $Q) (i32.mul (local.get $column) (local.get $kb))))
            (if (i32.eq (local.get $valueBytes) (i32.const 4))
              (then (local.set $value (f64.promote_f32 (f32.load (i32.add (local.get $values) (i32.shl (local.get $t) (i32.const 2)))))))
              (else (local.set $value (f64.load (i32.add (local.get $values) (i32.shl (local.get $t) (i32.const 3)))))))
            (if (local.get $counts)
              (then (local.set $count (f64.load (i32.add (local.get $counts) (i32.shl (local.get $t) (i32.const 3)))))))

            ;; dot = P_i·Q_j
            (local.set $acc0 ${zero})
            (local.set $acc1 ${zero})
            (local.set $pp (local.get $rowP))
            (local.set $pq (local.get $rowQ))
            (local.set $stop (i32.add (local.get $rowP) (local.get $k4b)))
            (block $dotDone
              (loop $dot4
                (br_if $dotDone (i32.ge_u (local.get $pp) (local.get $stop)))
                (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul ${load('$pp')} ${load('$pq')})))
                (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul ${load('$pp', 16)} ${load('$pq', 16)})))
                ${advance(['$pp', '$pq'], 32)}
                (br $dot4)))
            (if (i32.and (local.get $k) (i32.const 2))
              (then
                (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul ${load('$pp')} ${load('$pq')})))
                ${advance(['$pp', '$pq'], 16)}))
            (local.set $acc0 (f64x2.add (local.get $acc0) (local.get $acc1)))
            (local.set $dot (f64.add (f64x2.extract_lane 0 (local.get $acc0)) (f64x2.extract_lane 1 (local.get $acc0))))
            (if (i32.and (local.get $k) (i32.const 1))
              (then (local.set $dot (f64.add (local.get $dot) (f64.mul (f64.load (local.get $pp)) (f64.load (local.get $pq)))))))

            (local.set $residual (f64.sub (local.get $dot) (local.get $value)))
            (local.set $sum (f64.add (local.get $sum) (f64.mul (f64.mul (local.get $count) (local.get $residual)) (local.get $residual))))

            ;; G1_i += w·Q_j and G2_j += w·P_i
            (if (local.get $gradient)
              (then
                (local.set $weight (f64.div (f64.mul (local.get $count) (local.get $residual)) (local.get $m)))
                (local.set $w (f64x2.splat (local.get $weight)))
                (local.set $pg1 (local.get $rowG1))
                (local.set $pq (local.get $rowQ))
                (local.set $pg2 (i32.add (local.get $G2) (i32.mul (local.get $column) (local.get $kb))))
                (local.set $pp (local.get $rowP))
                (local.set $stop (i32.add (local.get $rowG1) (local.get $k4b)))
                (block $updateDone
                  (loop $update
                    (br_if $updateDone (i32.ge_u (local.get $pg1) (local.get $stop)))
                    ${updateVector('$pg1', '$pq', 0)}
                    ${updateVector('$pg1', '$pq', 16)}
                    ${updateVector('$pg2', '$pp', 0)}
                    ${updateVector('$pg2', '$pp', 16)}
                    ${advance(['$pg1', '$pq', '$pg2', '$pp'], 32)}
                    (br $update)))
                (if (i32.and (local.get $k) (i32.const 2))
                  (then
                    ${updateVector('$pg1', '$pq', 0)}
                    ${updateVector('$pg2', '$pp', 0)}
                    ${advance(['$pg1', '$pq', '$pg2', '$pp'], 16)}))
                (if (i32.and (local.get $k) (i32.const 1))
                  (then
                    (f64.store (local.get $pg1) (f64.add (f64.load (local.get $pg1)) (f64.mul (local.get $weight) (f64.load (local.get $pq)))))
                    (f64.store (local.get $pg2) (f64.add (f64.load (local.get $pg2)) (f64.mul (local.get $weight) (f64.load (local.get $pp)))))))))

            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $entries)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (local.get $sum))`;

// ---------------------------------------------------------------------------------------
// add: destination[t] += source[t] for t < count (float64).

const add = `
  (func (export "add") (param $destination i32) (param $source i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $destination) (i32.shl (i32.and (local.get $count) (i32.const -2)) (i32.const 3))))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.ge_u (local.get $destination) (local.get $end)))
        (v128.store (local.get $destination) (f64x2.add (v128.load (local.get $destination)) (v128.load (local.get $source))))
        (local.set $destination (i32.add (local.get $destination) (i32.const 16)))
        (local.set $source (i32.add (local.get $source) (i32.const 16)))
        (br $pairs)))
    (if (i32.and (local.get $count) (i32.const 1))
      (then (f64.store (local.get $destination) (f64.add (f64.load (local.get $destination)) (f64.load (local.get $source)))))))`;

function moduleText(shared) {
  const memory = shared ? '(memory 1 65536 shared)' : '(memory 1)';
  return `;; Generated by scripts/build-kernels.mjs; edit that script, not this file.
(module
  (import "env" "memory" ${memory})
${gemmNn}
${gemmTn}
${observationPass}
${add})
`;
}

async function compile(wabt, text, shared) {
  const features = { simd: true, threads: shared };
  const module = wabt.parseWat(`kernels${shared ? '-shared' : ''}.wat`, text, features);
  try {
    module.resolveNames();
    module.validate(features);
    return Buffer.from(module.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}

/**
 * Compiles the kernels. Returns the WAT text of the plain-memory module and both binaries
 * as base64.
 */
export async function compileKernels() {
  const wabt = await createWabt();
  const text = moduleText(false);
  const plain = await compile(wabt, text, false);
  const shared = await compile(wabt, moduleText(true), true);
  return { text, plain: plain.toString('base64'), shared: shared.toString('base64'), sizes: [plain.length, shared.length] };
}

/** Returns the text of src/kernels/wasm-binary.ts for the compiled kernels. */
export function binaryModuleText(kernels) {
  return (
    `// Generated by scripts/build-kernels.mjs from wasm/kernels.wat; do not edit.\n\n` +
    `/** The kernels module importing a plain memory (${kernels.sizes[0]} bytes), base64. */\n` +
    `export const plainKernelsBase64 =\n  '${kernels.plain}';\n\n` +
    `/** The kernels module importing a shared memory (${kernels.sizes[1]} bytes), base64. */\n` +
    `export const sharedKernelsBase64 =\n  '${kernels.shared}';\n`
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const kernels = await compileKernels();
  writeFileSync(join(root, 'wasm', 'kernels.wat'), kernels.text);
  writeFileSync(join(root, 'src', 'kernels', 'wasm-binary.ts'), binaryModuleText(kernels));
  console.log(`kernels: ${kernels.sizes[0]} bytes (plain memory), ${kernels.sizes[1]} bytes (shared memory)`);
}
