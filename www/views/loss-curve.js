// @ts-check
//! A train-loss curve of the loss chart (loss-chart.js): the loss at every step, averaged over
//! `stride` steps a point, the stride doubling whenever the curve reaches MAX_POINTS, so a long
//! run keeps its shape at a bounded cost. The model's, the recipe's baseline and a previous run
//! are one each.

export const MAX_POINTS = 2000;

/**
 * Train losses averaged over `stride` steps a point, halved whenever they reach MAX_POINTS.
 * @typedef {{ x: number[], y: number[], stride: number, bucket: { sum: number, count: number } }} Curve
 */

/** @returns {Curve} */
export function curve() {
  return { x: [], y: [], stride: 1, bucket: { sum: 0, count: 0 } };
}

/** @param {Curve} c @param {number} firstStep @param {Float32Array} losses */
export function addLosses(c, firstStep, losses) {
  for (let i = 0; i < losses.length; i++) {
    if (!Number.isFinite(losses[i])) continue;
    c.bucket.sum += losses[i];
    c.bucket.count += 1;
    if (c.bucket.count < c.stride) continue;
    c.x.push(firstStep + i);
    c.y.push(c.bucket.sum / c.bucket.count);
    c.bucket = { sum: 0, count: 0 };
    if (c.x.length >= MAX_POINTS) halve(c);
  }
}

/** Averages neighbouring points: the curve keeps its shape at half the points. @param {Curve} c */
function halve(c) {
  const x = [], y = [];
  for (let i = 0; i + 1 < c.x.length; i += 2) {
    x.push(c.x[i + 1]);
    y.push((c.y[i] + c.y[i + 1]) / 2);
  }
  c.x = x;
  c.y = y;
  c.stride *= 2;
}

