/**
 * Seeded randomness. tfjs draws the seed of every unseeded random op (weight initializers,
 * dropout, shuffles) from `Math.random`, so replacing `Math.random` for the length of a run
 * with a seeded generator makes the whole run — model init, the user's data generation,
 * dropout — repeat exactly for the same seed.
 */

/** mulberry32: a small, fast 32-bit generator; returns a function yielding floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Replaces `Math.random` with `random` (a generator from `createRandom`) until the returned
 * function is called, which restores the previous one.
 */
export function seedMathRandom(random: () => number): () => void {
  const previous = Math.random;
  Math.random = random;
  return () => {
    Math.random = previous;
  };
}

/** Fisher–Yates shuffle of 0 … n−1 with the given generator. */
export function permutation(n: number, random: () => number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}
