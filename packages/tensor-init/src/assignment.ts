import type { DenseMatrix } from '@nimc/linalg';

/**
 * Solves the linear assignment problem on a square cost matrix: returns `assignment` with
 * assignment[row] = column such that every column is used once and
 * Σ_row cost[row, assignment[row]] is minimal. Uses the Hungarian method in its
 * shortest-augmenting-path form with row and column potentials, O(n³).
 */
export function solveAssignment(cost: DenseMatrix): Int32Array {
  const n = cost.rows;
  if (cost.columns !== n) {
    throw new RangeError(`invalid cost matrix: expected a square matrix, received ${cost.rows}x${cost.columns}`);
  }
  for (let t = 0; t < cost.data.length; t++) {
    if (!Number.isFinite(cost.data[t])) {
      throw new RangeError(`invalid cost matrix: entry ${t} is ${cost.data[t]}; every cost must be finite`);
    }
  }

  // Index 0 is a virtual column that starts each augmenting path; rows and columns are 1-based.
  const rowPotential = new Float64Array(n + 1);
  const columnPotential = new Float64Array(n + 1);
  const rowOfColumn = new Int32Array(n + 1);
  const previousColumn = new Int32Array(n + 1);
  const slack = new Float64Array(n + 1);
  const visited = new Uint8Array(n + 1);

  for (let row = 1; row <= n; row++) {
    rowOfColumn[0] = row;
    let column = 0;
    slack.fill(Infinity);
    visited.fill(0);

    // Grow a tree of tight edges (reduced cost 0) until it reaches a free column.
    do {
      visited[column] = 1;
      const current = rowOfColumn[column] as number;
      let delta = Infinity;
      let nextColumn = 0;
      for (let j = 1; j <= n; j++) {
        if (visited[j]) continue;
        const reduced =
          (cost.data[(current - 1) * n + (j - 1)] as number) - (rowPotential[current] as number) - (columnPotential[j] as number);
        if (reduced < (slack[j] as number)) {
          slack[j] = reduced;
          previousColumn[j] = column;
        }
        if ((slack[j] as number) < delta) {
          delta = slack[j] as number;
          nextColumn = j;
        }
      }
      // Shift the potentials so that the cheapest edge out of the tree becomes tight.
      for (let j = 0; j <= n; j++) {
        if (visited[j]) {
          rowPotential[rowOfColumn[j] as number]! += delta;
          columnPotential[j]! -= delta;
        } else {
          slack[j]! -= delta;
        }
      }
      column = nextColumn;
    } while (rowOfColumn[column] !== 0);

    // Flip the matched and unmatched edges along the augmenting path.
    do {
      const previous = previousColumn[column] as number;
      rowOfColumn[column] = rowOfColumn[previous] as number;
      column = previous;
    } while (column !== 0);
  }

  const assignment = new Int32Array(n);
  for (let j = 1; j <= n; j++) assignment[(rowOfColumn[j] as number) - 1] = j - 1;
  return assignment;
}
