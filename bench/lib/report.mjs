// Turns benchmark measurements into the report's results, its checks and its Markdown.
import { agreementTolerance } from './evaluation-case.mjs';

const format = (value, digits = 2) => (value === undefined || value === null || Number.isNaN(value) ? '–' : value.toFixed(digits));
const exponent = (value) => (value === undefined ? '–' : value.toExponential(1));

/** Builds the results entries of an evaluation case: the reference first, then each nimc variant. */
export function evaluationEntries(benchCase, measured, referenceCommandText) {
  const entries = [];
  const { reference } = measured;
  if (reference !== undefined) {
    const library = reference.blas?.libraries?.[0];
    entries.push({
      name: `${benchCase.name} / numpy reference`,
      description: `${benchCase.description} NumPy/SciPy reference.`,
      command: referenceCommandText,
      repeats: measured.evaluations,
      medianSeconds: reference.wall.median,
      minSeconds: reference.wall.min,
      maxSeconds: reference.wall.max,
      peakRssMiB: reference.peakRssMiB,
      cpuMedianSeconds: reference.cpu.median,
      output: [
        `CPU time per evaluation: median ${format(reference.cpu.median, 3)} s (all threads)`,
        library === undefined
          ? 'BLAS: not identified'
          : `BLAS: ${library.internal_api} ${library.version ?? ''}, ${library.num_threads} threads, kernel ${library.architecture} (found by ${library.source})`,
        `loss ${reference.loss}`,
      ].join('\n'),
    });
  }
  for (const variant of measured.variants) {
    const lines = [
      `CPU time per evaluation: median ${format(variant.cpu.median, 3)} s (all threads); objective setup ${format(variant.setupSeconds)} s`,
      `kernels: ${variant.backend}`,
    ];
    if (variant.ratioToReference !== undefined) {
      lines.push(`time relative to the reference: ${format(variant.ratioToReference.wall)}× wall, ${format(variant.ratioToReference.cpu)}× CPU`);
    }
    if (variant.agreement !== undefined) {
      const worst = Math.max(variant.agreement.loss, variant.agreement.normwise);
      lines.push(
        `agreement with the reference: loss ${exponent(variant.agreement.loss)}, gradient ${exponent(variant.agreement.normwise)} (max-norm relative), ` +
          `worst entry ${exponent(variant.agreement.entrywise)}: ${worst <= agreementTolerance ? 'within' : 'NOT within'} ${agreementTolerance}`,
      );
    }
    const single = measured.variants.find((other) => other.role === 'single');
    if (variant.threads > 1 && single !== undefined) {
      const speedup = single.wall.median / variant.wall.median;
      const cpuBound = variant.busiestThreadSeconds === undefined ? undefined : single.cpu.median / variant.busiestThreadSeconds;
      lines.push(
        `speedup over 1 thread: ${format(speedup)}× wall` +
          (cpuBound === undefined ? '' : `, ${format(cpuBound)}× one-thread CPU time over the busiest thread's CPU time (${format(variant.busiestThreadSeconds, 3)} s)`),
      );
    }
    entries.push({
      name: `${benchCase.name} / ${variant.label}`,
      description: `${benchCase.description} ${variant.label}.`,
      command: variant.commandText,
      repeats: measured.evaluations,
      medianSeconds: variant.wall.median,
      minSeconds: variant.wall.min,
      maxSeconds: variant.wall.max,
      peakRssMiB: variant.peakRssMiB,
      cpuMedianSeconds: variant.cpu.median,
      ratioToReference: variant.ratioToReference?.wall,
      output: lines.join('\n'),
    });
  }
  return entries;
}

/** Evaluates the report's checks from the measured cases. */
export function evaluateChecks(measuredCases) {
  const checks = [];
  for (const { case: benchCase, measured } of measuredCases) {
    if (benchCase.kind !== 'evaluation' || measured === undefined) continue;
    const single = measured.variants.find((variant) => variant.role === 'single');
    const parallel = measured.variants.find((variant) => variant.role === 'parallel');
    if (benchCase.checkRatio && single?.ratioToReference !== undefined) {
      checks.push({
        name: `${benchCase.name}: one-thread nimc time / NumPy reference time`,
        measured: `${format(single.ratioToReference.wall)}× wall (CPU: ${format(single.ratioToReference.cpu)}×)`,
        limit: '≤ 1.0× wall',
        pass: single.ratioToReference.wall <= 1,
      });
    }
    if (single !== undefined && parallel !== undefined) {
      const speedup = single.wall.median / parallel.wall.median;
      const cpuBound = parallel.busiestThreadSeconds === undefined ? undefined : single.cpu.median / parallel.busiestThreadSeconds;
      checks.push({
        name: `${benchCase.name}: speedup of ${parallel.threads} threads over 1`,
        measured: `${format(speedup)}× wall${cpuBound === undefined ? '' : ` (one-thread CPU time / busiest thread's CPU time: ${format(cpuBound)}×)`}`,
        limit: '≥ 1.7× wall',
        pass: speedup >= 1.7,
      });
    }
    if (benchCase.rssLimitMiB !== undefined) {
      for (const variant of measured.variants.filter((v) => v.role !== undefined)) {
        checks.push({
          name: `${benchCase.name}: peak RSS, ${variant.label}`,
          measured: `${format(variant.peakRssMiB, 0)} MiB`,
          limit: `≤ ${format(benchCase.rssLimitMiB, 0)} MiB`,
          pass: variant.peakRssMiB <= benchCase.rssLimitMiB,
        });
      }
    }
    for (const variant of measured.variants.filter((v) => v.agreement !== undefined)) {
      const worst = Math.max(variant.agreement.loss, variant.agreement.normwise);
      checks.push({
        name: `${benchCase.name}: agreement of ${variant.label} with the reference`,
        measured: exponent(worst),
        limit: `≤ ${agreementTolerance}`,
        pass: worst <= agreementTolerance,
      });
    }
  }
  for (const { case: benchCase, result } of measuredCases) {
    if (benchCase.limitSeconds === undefined || result === undefined) continue;
    const cpu = result.cpuMedianSeconds === undefined ? '' : ` (CPU time ${format(result.cpuMedianSeconds, 0)} s)`;
    checks.push({
      name: `${benchCase.name}: wall time`,
      measured: `${format(result.medianSeconds, 0)} s${cpu}`,
      limit: `≤ ${benchCase.limitSeconds} s wall`,
      pass: result.medianSeconds <= benchCase.limitSeconds,
    });
  }
  return checks;
}

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

const kibibytes = (bytes) => (bytes / 1024).toFixed(1);

/** Renders the report's bundleSizes as a Markdown section, sizes in KiB. */
export function renderBundleSizes(bundleSizes) {
  const mlMatrix = (entry) => (entry.includesMlMatrix ? `yes, ${kibibytes(entry.mlMatrixMinifiedBytes)} KiB` : 'no');
  const importers = [...new Set([...bundleSizes.packages, ...bundleSizes.importSets].flatMap((entry) => entry.mlMatrixImporters))].sort();
  const withMlMatrix = bundleSizes.packages.filter((entry) => entry.includesMlMatrix).map((entry) => entry.entryPoint);
  const withoutMlMatrix = bundleSizes.packages.filter((entry) => !entry.includesMlMatrix).map((entry) => entry.entryPoint);
  return [
    '## Bundle size',
    '',
    `Measured ${bundleSizes.date} by \`${bundleSizes.command}\` (scripts/bundle-size.mjs): ${bundleSizes.tool}. ` +
      'The first two size columns are the bundle with the @nimc and third-party packages that the entry point imports, and "own code" leaves those packages external. Sizes in KiB (1024 bytes).',
    '',
    ...table(
      ['entry point', 'min (KiB)', 'gzip (KiB)', 'own code min (KiB)', 'own code gzip (KiB)', 'ml-matrix inside (min)'],
      bundleSizes.packages.map((entry) => [
        entry.entryPoint,
        kibibytes(entry.minifiedBytes),
        kibibytes(entry.gzipBytes),
        kibibytes(entry.ownMinifiedBytes),
        kibibytes(entry.ownGzipBytes),
        mlMatrix(entry),
      ]),
    ),
    '',
    'Import sets bundle only the names they list, so they show what tree shaking leaves:',
    '',
    ...table(
      ['import set', 'min (KiB)', 'gzip (KiB)', 'ml-matrix inside (min)'],
      bundleSizes.importSets.map((set) => [`${set.name}: ${set.description}`, kibibytes(set.minifiedBytes), kibibytes(set.gzipBytes), mlMatrix(set)]),
    ),
    '',
    `Entry points whose bundle contains ml-matrix: ${withMlMatrix.join(', ') || 'none'}. Entry points whose bundle does not: ${withoutMlMatrix.join(', ') || 'none'}. ` +
      `Bundled files that import ml-matrix: ${importers.join(', ') || 'none'}.`,
    '',
  ];
}

/** Renders the whole report as Markdown. */
export function renderReport(report) {
  const m = report.machine;
  const lines = [
    '# nimc benchmark report',
    '',
    `Measured ${report.date} on ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), Node ${m.node}, ${m.platform}, by \`${report.command}\`.`,
    `Load average (1, 5, 15 min) at the start: ${report.loadAtStart.join(', ')}; at the end: ${report.loadAtEnd.join(', ')}. ` +
      'Other jobs shared the machine when the load exceeds the core count, which inflates wall times; CPU times are less affected.',
    '',
    '## Reference',
    '',
  ];
  const python = report.reference;
  if (!python.available) {
    lines.push(`The NumPy/SciPy reference did not run: ${python.reason}.`, '');
  } else {
    lines.push(
      `Python ${python.python}, NumPy ${python.numpy}, SciPy ${python.scipy}. The reference (bench/reference/nimc_reference.py) uses BLAS for the dense products and scipy.sparse CSR/CSC products for R·Q and Rᵀ·P.`,
      python.blas === undefined
        ? ''
        : `BLAS as the reference reported it: ${python.blas.libraries.map((library) => `${library.internal_api} with ${library.num_threads} threads, kernel ${library.architecture}`).join('; ') || 'not identified'}. ` +
            `OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE were unset for the reference (in this environment: ${Object.keys(report.openBlasEnvironment).length === 0 ? 'neither was set' : JSON.stringify(report.openBlasEnvironment)}).`,
      '',
    );
  }
  // A run of the bundle-size case alone has no checks and no timed results.
  if (report.checks.length > 0) {
    lines.push('## Checks', '', ...table(['check', 'measured', 'limit', 'result'], report.checks.map((c) => [c.name, c.measured, c.limit, c.pass ? 'pass' : 'FAIL'])), '');
  }
  if (report.results.length > 0) {
    lines.push(
      '## Results',
      '',
      'Evaluation cases time one loss-and-gradient evaluation (median over all timed evaluations of all rounds, after one warm-up per process); other cases time the whole command.',
      '',
      ...table(
        ['case', 'median (s)', 'min–max (s)', 'runs', 'peak RSS (MiB)', 'vs reference'],
        report.results.map((r) => [
          r.name,
          format(r.medianSeconds, 3),
          `${format(r.minSeconds, 3)}–${format(r.maxSeconds, 3)}`,
          String(r.repeats),
          format(r.peakRssMiB, 0),
          r.ratioToReference === undefined ? '' : `${format(r.ratioToReference)}×`,
        ]),
      ),
      '',
    );
  }
  for (const note of report.notes) lines.push(`- ${note}`);
  if (report.notes.length > 0) lines.push('');
  for (const r of report.results) {
    lines.push(`### ${r.name}`, '', r.description ?? '', '', '```', r.command, '```', '');
    if (r.output) lines.push('```text', r.output, '```', '');
  }
  if (report.bundleSizes !== undefined) lines.push(...renderBundleSizes(report.bundleSizes));
  return lines.join('\n');
}
