// @ts-check
//! Finding the projection's points (projection-view.js): the search box's matches, and
//! stepping through them by keyboard: the arrow keys go to the next or the previous point,
//! wrapping around, Home and End to the first and the last; with nothing chosen yet, forward
//! starts at the first and back at the last.

/** @type {Record<string, number>} */
const STEPS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -Infinity, End: Infinity };

/** Whether `key` moves the choice. @param {string} key */
export function isStepKey(key) {
  return key in STEPS;
}

/**
 * The position in `stops` that `key` moves to from the point `selected` (-1 when no stop).
 * @param {number[]} stops the points, in the order the keys go through them
 * @param {number} selected the point chosen now (-1: none)
 * @param {string} key a step key
 */
export function nextStop(stops, selected, key) {
  const step = STEPS[key];
  const n = stops.length;
  if (n === 0 || step === undefined) return -1;
  const at = stops.indexOf(selected);
  if (step === -Infinity) return 0;
  if (step === Infinity) return n - 1;
  if (at < 0) return step > 0 ? 0 : n - 1;
  return (at + step + n) % n;
}

/**
 * The points a search finds: those with a token, target or class named exactly `query` (case
 * first as typed, then in any case), else those whose names (or, with none, labels) contain it.
 * @param {{ labels: string[], colourings: { names: string[], values: number[] }[] }} pointLabels
 * @param {string} query @returns {Set<number>}
 */
export function findPoints(pointLabels, query) {
  const { labels, colourings } = pointLabels;
  const lower = query.toLowerCase();
  /** @param {(name: string) => boolean} test */
  const byNames = (test) => {
    /** @type {Set<number>} */
    const found = new Set();
    for (const c of colourings) {
      const hits = new Set(c.names.flatMap((n, k) => (test(n) ? [k] : [])));
      if (hits.size) c.values.forEach((v, i) => { if (hits.has(v)) found.add(i); });
    }
    return found;
  };
  for (const test of [(/** @type {string} */ n) => n === query, (/** @type {string} */ n) => n.toLowerCase() === lower,
    (/** @type {string} */ n) => n.toLowerCase().includes(lower)]) {
    const found = byNames(test);
    if (found.size) return found;
  }
  if (colourings.length) return new Set();
  return new Set(labels.flatMap((l, i) => (l.toLowerCase().includes(lower) ? [i] : [])));
}
