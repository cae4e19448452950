// @ts-check
//! The loss chart's lines (loss-chart.js): a colour each, and a dash pattern each kind of line
//! shares. Lines of one pattern are told apart by colour alone, so those colours are held apart
//! for every common colour-vision deficiency (tests/e2e/palette.spec.mjs); lines of different
//! patterns are told apart by the pattern too.

/** The train line is thin, the test line thick, in each pair. */
export const COLORS = {
  train: '#0b6bcb', test: '#d9480f', trainAcc: '#2b8a3e', testAcc: '#7048e8', trainSeq: '#66a80f', testSeq: '#ae3ec9',
  baseline: '#a61e4d',
  // The previous run of the recipe's "run again": the train line's own blue, faint.
  previous: 'rgba(11, 107, 203, 0.35)',
  // The learning rate of a schedule, on its own scale along the bottom of the chart.
  lr: '#e67700',
};

/** Solid: the losses; dashed: accuracy; dotted: whole sequences right; long dashes: the baseline;
 * dash-dot: the learning rate. */
export const DASHES = { accuracy: [5, 4], sequence: [2, 3], baseline: [8, 4], lr: [10, 3, 2, 3] };

/** The lines drawn in one pattern, which only their colours tell apart. */
export const SAME_PATTERN = [['train', 'test'], ['trainAcc', 'testAcc'], ['trainSeq', 'testSeq']];
