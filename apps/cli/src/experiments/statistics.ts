/** Mean and sample standard deviation (n − 1 in the denominator) of `values`. */
export interface Summary {
  mean: number;
  sd: number;
  standardError: number;
}

/** Summarises `values`; the sd and standard error of a single value are 0. */
export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) throw new RangeError('cannot summarise an empty list of values');
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  if (n === 1) return { mean, sd: 0, standardError: 0 };
  const squares = values.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  const sd = Math.sqrt(squares / (n - 1));
  return { mean, sd, standardError: sd / Math.sqrt(n) };
}

/** Root mean squared difference between `predictions` and `targets`. */
export function rmse(predictions: Float64Array, targets: Float64Array): number {
  if (predictions.length !== targets.length || targets.length === 0) {
    throw new RangeError(`cannot compute RMSE of ${predictions.length} predictions against ${targets.length} targets`);
  }
  let sum = 0;
  for (let t = 0; t < targets.length; t++) sum += ((predictions[t] as number) - (targets[t] as number)) ** 2;
  return Math.sqrt(sum / targets.length);
}
