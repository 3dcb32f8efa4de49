/**
 * "Did you mean" for misspelled names (fields, kinds, enum values, verbs): the closest candidate by
 * edit distance (Damerau-Levenshtein, optimal string alignment), case ignored, when it is close enough
 * to be a typo: at most 1 edit for names up to 4 characters, 2 up to 8, 3 beyond.
 */
export function didYouMean(given: string, candidates: Iterable<string>): string | undefined {
  const g = given.toLowerCase();
  const limit = g.length <= 4 ? 1 : g.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    if (c === given) return undefined;
    const d = editDistance(g, c.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Edit distance of a and b (insertions, deletions, substitutions, adjacent transpositions); `cap` once it exceeds cap - 1. */
export function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin >= cap) return cap;
    prev2 = prev;
    prev = cur;
  }
  return Math.min(prev[b.length], cap);
}
