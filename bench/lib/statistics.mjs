// Summary statistics of repeated timings.

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median, minimum and maximum of `values`. */
export function summarize(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), count: values.length };
}
