/**
 * The `capacity` best (item, score) pairs offered so far: higher scores first, and among
 * equal scores the smaller item index. A binary min-heap whose root is the worst pair kept.
 */
export class TopK {
  private readonly items: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`invalid capacity: expected a positive integer, received ${capacity}`);
    }
    this.items = new Int32Array(capacity);
    this.scores = new Float64Array(capacity);
  }

  /** Number of pairs kept. */
  get length(): number {
    return this.size;
  }

  /** The score a new pair must reach to be kept: the worst kept score once full, else −∞. */
  get threshold(): number {
    return this.size < this.capacity ? Number.NEGATIVE_INFINITY : (this.scores[0] as number);
  }

  clear(): void {
    this.size = 0;
  }

  /** Keeps (item, score) when fewer than `capacity` pairs are kept or it beats the worst. */
  offer(item: number, score: number): void {
    if (this.size < this.capacity) {
      this.siftUp(this.size++, item, score);
    } else if (isWorse(this.items[0] as number, this.scores[0] as number, item, score)) {
      this.siftDown(0, item, score);
    }
  }

  /**
   * Writes the kept pairs, best first, to `items` and `scores` from `offset`, empties the
   * heap and returns the number written.
   */
  drain(items: Int32Array, scores: Float64Array, offset: number): number {
    const count = this.size;
    for (let r = count - 1; r >= 0; r--) {
      items[offset + r] = this.items[0] as number;
      scores[offset + r] = this.scores[0] as number;
      this.size--;
      if (this.size > 0) this.siftDown(0, this.items[this.size] as number, this.scores[this.size] as number);
    }
    return count;
  }

  private siftUp(start: number, item: number, score: number): void {
    let position = start;
    while (position > 0) {
      const parent = (position - 1) >> 1;
      if (!isWorse(item, score, this.items[parent] as number, this.scores[parent] as number)) break;
      this.items[position] = this.items[parent] as number;
      this.scores[position] = this.scores[parent] as number;
      position = parent;
    }
    this.items[position] = item;
    this.scores[position] = score;
  }

  private siftDown(start: number, item: number, score: number): void {
    let position = start;
    for (;;) {
      const left = 2 * position + 1;
      if (left >= this.size) break;
      const right = left + 1;
      let child = left;
      if (right < this.size && isWorse(this.items[right] as number, this.scores[right] as number, this.items[left] as number, this.scores[left] as number)) {
        child = right;
      }
      if (!isWorse(this.items[child] as number, this.scores[child] as number, item, score)) break;
      this.items[position] = this.items[child] as number;
      this.scores[position] = this.scores[child] as number;
      position = child;
    }
    this.items[position] = item;
    this.scores[position] = score;
  }
}

// True when (itemA, scoreA) ranks below (itemB, scoreB).
function isWorse(itemA: number, scoreA: number, itemB: number, scoreB: number): boolean {
  return scoreA < scoreB || (scoreA === scoreB && itemA > itemB);
}
