import { encodeFeatures, type FeatureEncoder, type FeatureTable, type UnseenCategory } from '@nimc/datasets';
import type { DenseMatrix } from '@nimc/linalg';

/** Categories met at prediction time that training never saw; they are encoded as zeros. */
export interface UnseenReport {
  readonly users: readonly UnseenCategory[];
  readonly items: readonly UnseenCategory[];
}

/**
 * Encodes the rows of `table` with a model's encoder and checks the width against the
 * model's d. Throws a RangeError naming the expected and actual widths.
 */
export function encodeForModel(
  table: FeatureTable,
  encoder: FeatureEncoder,
  expectedWidth: number,
  rows?: ArrayLike<number>,
): { matrix: DenseMatrix; unseen: readonly UnseenCategory[] } {
  const encoded = encodeFeatures(table, encoder, rows);
  if (encoded.matrix.columns !== expectedWidth) {
    throw new RangeError(
      `invalid features from ${table.file}: the model expects ${expectedWidth} encoded features, the encoder produced ${encoded.matrix.columns}`,
    );
  }
  return encoded;
}
