/**
 * Calls `visit(first, later)` for every rating `later` that repeats the (user, item) pair
 * of an earlier rating, where `first` is the earliest rating of that pair. Ratings are
 * grouped by user with a stable counting sort, then each user's items are marked in an
 * array of n2 entries, so the scan takes O(m + n1 + n2) time and no hashing.
 *
 * @param n1 number of distinct users; `users` contains indices below n1.
 * @param n2 number of distinct items; `items` contains indices below n2.
 */
export function forEachDuplicate(
  n1: number,
  n2: number,
  users: Int32Array,
  items: Int32Array,
  visit: (first: number, later: number) => void,
): void {
  const m = users.length;
  const start = new Int32Array(n1 + 1);
  for (let t = 0; t < m; t++) start[(users[t] as number) + 1]! += 1;
  for (let u = 0; u < n1; u++) start[u + 1]! += start[u] as number;
  const order = new Int32Array(m);
  const cursor = start.slice(0, n1);
  for (let t = 0; t < m; t++) order[cursor[users[t] as number]!++] = t;

  // seenBy[j] is the last user whose ratings contained item j, firstRating[j] that user's
  // earliest rating of j.
  const seenBy = new Int32Array(n2).fill(-1);
  const firstRating = new Int32Array(n2);
  for (let u = 0; u < n1; u++) {
    const end = start[u + 1] as number;
    for (let s = start[u] as number; s < end; s++) {
      const t = order[s] as number;
      const j = items[t] as number;
      if (seenBy[j] === u) {
        visit(firstRating[j] as number, t);
      } else {
        seenBy[j] = u;
        firstRating[j] = t;
      }
    }
  }
}

/** Ratings after merging repeated pairs, with the number of ratings merged away. */
export interface MergedRatings {
  users: Int32Array;
  items: Int32Array;
  values: Float64Array;
  /** Ratings removed because they repeated an earlier pair. */
  merged: number;
}

/**
 * Replaces every group of ratings of the same (user, item) pair by one rating, at the
 * position of the group's first rating, whose value is the mean of the group.
 */
export function mergeDuplicates(n1: number, n2: number, users: Int32Array, items: Int32Array, values: Float64Array): MergedRatings {
  const m = users.length;
  // representative[t] is the first rating of t's pair; −1 marks a first rating itself.
  const representative = new Int32Array(m).fill(-1);
  let merged = 0;
  forEachDuplicate(n1, n2, users, items, (first, later) => {
    representative[later] = first;
    merged++;
  });
  if (merged === 0) return { users, items, values, merged };

  const sums = Float64Array.from(values);
  const counts = new Float64Array(m).fill(1);
  for (let t = 0; t < m; t++) {
    const first = representative[t] as number;
    if (first < 0) continue;
    sums[first]! += values[t] as number;
    counts[first]! += 1;
  }

  const kept = m - merged;
  const out: MergedRatings = {
    users: new Int32Array(kept),
    items: new Int32Array(kept),
    values: new Float64Array(kept),
    merged,
  };
  let s = 0;
  for (let t = 0; t < m; t++) {
    if ((representative[t] as number) >= 0) continue;
    out.users[s] = users[t] as number;
    out.items[s] = items[t] as number;
    out.values[s] = (sums[t] as number) / (counts[t] as number);
    s++;
  }
  return out;
}
