// Merges the results of one `pnpm bench` run into an earlier JSON report (--merge-into).

/** Returns true when `name`, a result, check or note name, belongs to the case `caseName`. */
function belongsTo(name, caseName) {
  // Evaluation cases name their results `<case> / <implementation>`, and checks and notes
  // start with `<case>: `.
  return name === caseName || name.startsWith(`${caseName} / `) || name.startsWith(`${caseName}: `);
}

/**
 * Returns `entries` with the entries of the cases in `caseNames` replaced by `replacements`.
 * The replacements take the place of the first replaced entry, or go at the end when there
 * was none, so the order of the other entries is kept.
 */
function replaceEntries(entries, replacements, caseNames, nameOf) {
  const owned = (entry) => caseNames.some((caseName) => belongsTo(nameOf(entry), caseName));
  const first = entries.findIndex(owned);
  const remaining = entries.filter((entry) => !owned(entry));
  const at = first === -1 ? remaining.length : entries.slice(0, first).filter((entry) => !owned(entry)).length;
  return [...remaining.slice(0, at), ...replacements, ...remaining.slice(at)];
}

/**
 * Returns a copy of the report `target` in which the results, case entries, checks and notes
 * of the cases in `selected` are those of the report `run`, and, when the run measured them,
 * the bundle sizes too. Everything else in `target` is kept, including its date, command and
 * machine. Each merged result gets a `run` field with the date, command and machine of `run`
 * and the load averages of its case, so a reader can tell which run produced it.
 *
 * Throws an Error, and so leaves the target file unchanged, when a selected case produced
 * no result in `run`: a failed case must not delete the earlier numbers of that case.
 */
export function mergeCaseResults(target, run, selected) {
  const names = selected.filter((benchCase) => benchCase.kind !== 'bundle-size').map((benchCase) => benchCase.name);
  const missing = names.filter((caseName) => !run.results.some((result) => belongsTo(result.name, caseName)));
  if (missing.length > 0) {
    throw new Error(`failed to measure ${missing.join(', ')}, so the --merge-into report is unchanged. The notes above give the reason.`);
  }
  if (selected.some((benchCase) => benchCase.kind === 'bundle-size') && run.bundleSizes === undefined) {
    throw new Error('failed to measure the bundle sizes, so the --merge-into report is unchanged. The notes above give the reason.');
  }

  const loadsOf = (resultName) => {
    const caseName = names.find((name) => belongsTo(resultName, name));
    return run.cases.find((entry) => entry.name === caseName)?.loadAverages;
  };
  const results = run.results
    .filter((result) => names.some((caseName) => belongsTo(result.name, caseName)))
    .map((result) => ({
      ...result,
      run: { date: run.date, command: run.command, machine: run.machine, loadAverages: loadsOf(result.name) },
    }));
  const cases = run.cases.filter((entry) => names.includes(entry.name));
  const checks = run.checks.filter((check) => names.some((caseName) => belongsTo(check.name, caseName)));
  const notes = run.notes.filter((note) => names.some((caseName) => belongsTo(note, caseName)));

  const merged = {
    ...target,
    results: replaceEntries(target.results, results, names, (result) => result.name),
    cases: replaceEntries(target.cases ?? [], cases, names, (entry) => entry.name),
    checks: replaceEntries(target.checks ?? [], checks, names, (check) => check.name),
    notes: replaceEntries(target.notes ?? [], notes, names, (note) => note),
  };
  if (run.bundleSizes !== undefined) merged.bundleSizes = run.bundleSizes;
  return merged;
}
