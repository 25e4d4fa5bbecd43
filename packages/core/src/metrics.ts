/**
 * Evaluation metrics of a group of users. Ranking metrics use each user's top-k list over
 * the whole catalogue, and an item is relevant to a user when the user's test rating of it
 * is at least the threshold. They are averaged over the users with at least one relevant
 * item, and are null when no user has one.
 */
export interface EvaluationMetrics {
  /** Users with at least one test rating. */
  readonly users: number;
  readonly ratings: number;
  /** Root mean squared error of the predicted ratings. */
  readonly rmse: number;
  /** Mean absolute error of the predicted ratings. */
  readonly mae: number;
  /** Users with at least one relevant item, over whom the ranking metrics are averaged. */
  readonly rankedUsers: number;
  /** Mean of (relevant items in the top k) / k. */
  readonly precisionAtK: number | null;
  /** Mean of (relevant items in the top k) / (relevant items). */
  readonly recallAtK: number | null;
  /** Mean of DCG@k / ideal DCG@k with binary relevance and gain 1/log2(rank + 1). */
  readonly ndcgAtK: number | null;
  /** Distinct items in the group's top-k lists, as a fraction of the catalogue. */
  readonly coverage: number;
}

/** Accumulates the metrics of one group of users. */
export class MetricsAccumulator {
  private users = 0;
  private ratings = 0;
  private squaredError = 0;
  private absoluteError = 0;
  private rankedUsers = 0;
  private precision = 0;
  private recall = 0;
  private ndcg = 0;
  private readonly recommended: Uint8Array;
  private distinctRecommended = 0;

  constructor(
    private readonly k: number,
    private readonly catalogue: number,
  ) {
    this.recommended = new Uint8Array(catalogue);
  }

  /** Adds the prediction errors of one user's test ratings. */
  addErrors(predictions: ArrayLike<number>, targets: ArrayLike<number>): void {
    this.users++;
    for (let t = 0; t < targets.length; t++) {
      const error = (predictions[t] as number) - (targets[t] as number);
      this.squaredError += error * error;
      this.absoluteError += Math.abs(error);
    }
    this.ratings += targets.length;
  }

  /**
   * Adds one user's top list (`list[0..length)`, best first) and relevance marks:
   * `isRelevant(item)` for the listed items and `relevantCount` in total.
   */
  addRanking(list: Int32Array, offset: number, length: number, isRelevant: (item: number) => boolean, relevantCount: number): void {
    for (let r = 0; r < length; r++) {
      const item = list[offset + r] as number;
      if (this.recommended[item] === 0) {
        this.recommended[item] = 1;
        this.distinctRecommended++;
      }
    }
    if (relevantCount === 0) return;

    let hits = 0;
    let dcg = 0;
    for (let r = 0; r < length; r++) {
      if (!isRelevant(list[offset + r] as number)) continue;
      hits++;
      dcg += 1 / Math.log2(r + 2);
    }
    let ideal = 0;
    for (let r = 0; r < Math.min(this.k, relevantCount); r++) ideal += 1 / Math.log2(r + 2);
    this.rankedUsers++;
    this.precision += hits / this.k;
    this.recall += hits / relevantCount;
    this.ndcg += dcg / ideal;
  }

  result(): EvaluationMetrics {
    const ranked = this.rankedUsers;
    return {
      users: this.users,
      ratings: this.ratings,
      rmse: Math.sqrt(this.squaredError / this.ratings),
      mae: this.absoluteError / this.ratings,
      rankedUsers: ranked,
      precisionAtK: ranked === 0 ? null : this.precision / ranked,
      recallAtK: ranked === 0 ? null : this.recall / ranked,
      ndcgAtK: ranked === 0 ? null : this.ndcg / ranked,
      coverage: this.distinctRecommended / this.catalogue,
    };
  }
}
