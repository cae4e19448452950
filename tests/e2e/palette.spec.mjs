// @ts-check
//! The page's palettes seen with the common colour-vision deficiencies, without a browser: the
//! class colours (decision boundary, projection), the boundary's tinted regions and its diverging
//! map, and the attention heatmap's sequential map, each imported from the module that draws it
//! and simulated for protanopia, deuteranopia and tritanopia (Machado et al. 2009, severity 1.0:
//! colour-vision.mjs). Differences are CIEDE2000 (ΔE00; about 1 is just noticeable).
//! The bars, and why:
//! - Class colours, the first 8: every pair ≥ 10. Points are small marks read against a legend,
//!   so two classes must look like two different colours, not two shades of one; 10 is the
//!   distance at which categorical palette tools (Colorgorical, Glasbey-style pickers) start to
//!   call colours distinct. Okabe–Ito's closest pair is 10.9 (tritanopia); the category10 and
//!   earlier four-class palettes fell to 1.3 and 2.9.
//! - The boundary's regions (a class colour mixed with white at full confidence): every pair
//!   ≥ 5; they are large areas side by side, where far smaller differences are seen.
//! - The diverging map (two classes, regression): lightness rises steadily from each end to the
//!   white middle, and the two sides of the same |value| are ≥ 10 apart from |value| 0.1 on.
//! - The sequential heatmap: lightness falls by ≥ 3 L* at every tenth of weight, so "darker =
//!   more weight" holds with any of the three.
//! - The loss chart's lines: the two of one dash pattern (train and test loss, accuracies,
//!   sequence accuracies) ≥ 10, as class colours, for colour alone tells them apart; the
//!   recipe's baseline ≥ 10 from every other line, since its long dashes are near the accuracy's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFICIENCIES, closestPair, deltaE2000, difference, lab, parseColour, simulate } from './colour-vision.mjs';
import { CLASS_COLORS, HEAT, classColor, divergingColor } from '../../www/views/decision-boundary.js';
import { weightColor } from '../../www/heatmap.js';
import { colourOf } from '../../www/views/projection-view.js';
import { COLORS as LINE_COLOURS, SAME_PATTERN } from '../../www/views/loss-lines.js';

/** @typedef {import('./colour-vision.mjs').Rgb} Rgb */
/** @typedef {import('./colour-vision.mjs').Deficiency} Deficiency */

/** Typical vision, then the three simulated. @type {(Deficiency | null)[]} */
const VISIONS = [null, ...DEFICIENCIES];
const CLASSES = 8;

/** @param {number[]} c @param {Deficiency | null} d @returns {Rgb} */
const seen = (c, d) => {
  const rgb = /** @type {Rgb} */ ([c[0], c[1], c[2]]);
  return d ? simulate(rgb, d) : rgb;
};
/** @param {Deficiency | null} d */
const name = (d) => d ?? 'typical vision';

test('the measures: CIEDE2000 and CIELAB match their references, the simulation sees a known confusion', () => {
  // Sharma, Wu and Dalal (2005), Table 1: pairs 1, 7, 17 and 25.
  const pairs = [
    [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
    [[50, 0, 0], [50, -1, 2], 2.3669],
    [[50, 2.5, 0], [73, 25, -18], 27.1492],
    [[60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644],
  ];
  for (const [a, b, expected] of /** @type {[number[], number[], number][]} */ (pairs)) {
    assert.ok(Math.abs(deltaE2000(a, b) - expected) < 1e-4, `ΔE00 ${a} ${b}: ${deltaE2000(a, b)} ≠ ${expected}`);
    assert.ok(Math.abs(deltaE2000(b, a) - expected) < 1e-4, 'symmetric');
  }
  const red = lab([255, 0, 0]);
  assert.deepEqual(red.map((v) => Math.round(v * 100) / 100), [53.24, 80.09, 67.2]);
  assert.deepEqual(lab([255, 255, 255]).map((v) => Math.round(v * 1000) / 1000 + 0), [100, 0, 0]);
  for (const d of DEFICIENCIES) {
    // Greys stay grey (each matrix's rows sum to 1).
    for (const g of [0, 119, 255]) {
      assert.ok(simulate([g, g, g], d).every((c) => Math.abs(c - g) < 1), `${d} keeps grey ${g}`);
    }
  }
  // category10's green and red, and its orange and green: apart in typical vision, all but one
  // colour to a deuteranope and to a protanope.
  const [orange, green, red10] = ['#ff7f0e', '#2ca02c', '#d62728'].map(parseColour);
  assert.ok(difference(green, red10) > 10 && difference(orange, green) > 10);
  assert.ok(difference(simulate(green, 'deuteranopia'), simulate(red10, 'deuteranopia')) < 10);
  assert.ok(difference(simulate(orange, 'protanopia'), simulate(green, 'protanopia')) < 10);
});

test('class colours: the first 8 are ≥ 10 ΔE00 apart in every vision, on the boundary and in the projection', () => {
  assert.ok(CLASS_COLORS.length >= CLASSES, `${CLASS_COLORS.length} class colours`);
  const projection = Array.from({ length: CLASSES }, (_, i) => parseColour(colourOf(i)));
  for (const [where, colours] of /** @type {[string, Rgb[]][]} */ ([['boundary points', CLASS_COLORS.slice(0, CLASSES)], ['projection', projection]])) {
    for (const d of VISIONS) {
      const { deltaE, pair } = closestPair(colours, d);
      console.log(`${where}, ${name(d)}: closest pair ${pair} at ΔE00 ${deltaE.toFixed(1)}`);
      assert.ok(deltaE >= 10, `${where}, ${name(d)}: colours ${pair} are ΔE00 ${deltaE.toFixed(1)} apart`);
    }
  }
});

test('the boundary: its regions stay ≥ 5 apart; the diverging map rises to white on each side and its sides differ', () => {
  // A region at full confidence in one of 8 classes.
  const regions = Array.from({ length: CLASSES }, (_, k) =>
    classColor(Array.from({ length: CLASSES }, (_, j) => (j === k ? 1 : 0)), HEAT));
  // Two classes: p(class 1) 0 and 1.
  const binary = [classColor([1, 0], HEAT), classColor([0, 1], HEAT)];
  for (const d of VISIONS) {
    const { deltaE, pair } = closestPair(regions.map((c) => seen(c, d)), null);
    console.log(`boundary regions, ${name(d)}: closest pair ${pair} at ΔE00 ${deltaE.toFixed(1)}`);
    assert.ok(deltaE >= 5, `regions, ${name(d)}: classes ${pair} are ΔE00 ${deltaE.toFixed(1)} apart`);
    assert.ok(difference(seen(binary[0], d), seen(binary[1], d)) >= 10, `two classes' regions, ${name(d)}`);

    const lightness = Array.from({ length: 41 }, (_, i) => lab(seen(divergingColor(-1 + i / 20, 1), d))[0]);
    for (let i = 1; i <= 20; i++) assert.ok(lightness[i] > lightness[i - 1], `${name(d)}: lighter towards 0 from below, at ${-1 + i / 20}`);
    for (let i = 21; i <= 40; i++) assert.ok(lightness[i] < lightness[i - 1], `${name(d)}: darker away from 0 above, at ${-1 + i / 20}`);
    for (const a of [0.1, 0.25, 0.5, 0.75, 1]) {
      const apart = difference(seen(divergingColor(-a, 1), d), seen(divergingColor(a, 1), d));
      assert.ok(apart >= 10, `${name(d)}: −${a} and +${a} are ΔE00 ${apart.toFixed(1)} apart`);
    }
  }
});

test('the attention heatmap: lightness falls by ≥ 3 L* at every tenth of weight, in every vision', () => {
  for (const d of VISIONS) {
    const lightness = Array.from({ length: 11 }, (_, i) => lab(seen(weightColor(i / 10), d))[0]);
    const falls = lightness.slice(1).map((l, i) => lightness[i] - l);
    console.log(`heatmap, ${name(d)}: L* ${lightness.map((l) => l.toFixed(0)).join(' ')}`);
    assert.ok(falls.every((f) => f >= 3), `${name(d)}: L* falls by ${falls.map((f) => f.toFixed(1)).join(', ')}`);
    // Finer: never lighter for more weight.
    for (let i = 1; i <= 100; i++) {
      assert.ok(lab(seen(weightColor(i / 100), d))[0] < lab(seen(weightColor((i - 1) / 100), d))[0], `${name(d)}: at ${i / 100}`);
    }
  }
  // Out of range and not a number: the ends and no weight, never garbage.
  assert.deepEqual(weightColor(Number.NaN), weightColor(0));
  assert.deepEqual(weightColor(7), weightColor(1));
});

test('the loss chart: lines of one dash pattern, and the baseline against every line, stay apart', () => {
  const others = Object.keys(LINE_COLOURS).filter((k) => k !== 'baseline' && k !== 'previous');
  const pairs = [...SAME_PATTERN, ...others.map((k) => ['baseline', k])];
  for (const d of VISIONS) {
    for (const [a, b] of pairs) {
      const ca = seen(parseColour(/** @type {any} */ (LINE_COLOURS)[a]), d);
      const cb = seen(parseColour(/** @type {any} */ (LINE_COLOURS)[b]), d);
      const de = deltaE2000(lab(ca), lab(cb));
      assert.ok(de >= 10, `${a} and ${b} are ${de.toFixed(1)} apart for ${name(d)}`);
    }
  }
});
