// @ts-check
//! Colour-vision deficiency, simulated, and colour difference, measured: what
//! tests/e2e/palette.spec.mjs checks the page's palettes with. Pure functions on 8-bit sRGB
//! triples, no browser.
//!
//! The simulation is Machado, Oliveira and Fernandes, "A Physiologically-based Model for
//! Simulation of Color Vision Deficiency" (IEEE TVCG 15(6), 2009), at severity 1.0 (the full
//! dichromacies: protanopia, deuteranopia, tritanopia), its 3×3 matrices applied to linear RGB as
//! its authors' own implementation and DaltonLens do. The difference is CIEDE2000 (Sharma, Wu and
//! Dalal, 2005) between CIELAB colours under D65.

/** @typedef {[number, number, number]} Rgb 8-bit sRGB */
/** @typedef {'protanopia' | 'deuteranopia' | 'tritanopia'} Deficiency */

/** Machado et al. 2009, Table 1, severity 1.0: linear RGB in, linear RGB out (rows). */
export const MACHADO_2009 = {
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.011820, 0.042940, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.303900],
  ],
};

/** @type {Deficiency[]} */
export const DEFICIENCIES = ['protanopia', 'deuteranopia', 'tritanopia'];

/** sRGB's transfer function undone: 0..255 to linear 0..1. @param {number} c */
function toLinear(c) {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

/** Linear 0..1 to 0..255, clipped to the gamut as a screen clips it. @param {number} v */
function fromLinear(v) {
  const c = Math.max(0, Math.min(1, v));
  return 255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
}

/** How `rgb` looks to someone with `deficiency` (full severity). @param {Rgb} rgb @param {Deficiency} deficiency @returns {Rgb} */
export function simulate(rgb, deficiency) {
  const m = MACHADO_2009[deficiency];
  const lin = rgb.map(toLinear);
  const row = (/** @type {number[]} */ r) => fromLinear(r[0] * lin[0] + r[1] * lin[1] + r[2] * lin[2]);
  return [row(m[0]), row(m[1]), row(m[2])];
}

/** CIELAB (D65, 2° observer) of an sRGB colour. @param {Rgb} rgb @returns {[number, number, number]} */
export function lab(rgb) {
  const [r, g, b] = rgb.map(toLinear);
  // sRGB to XYZ (IEC 61966-2-1), relative to the D65 white.
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
  const z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
  const f = (/** @type {number} */ t) => (t > (6 / 29) ** 3 ? Math.cbrt(t) : t / (3 * (6 / 29) ** 2) + 4 / 29);
  const [fx, fy, fz] = [f(x), f(y), f(z)];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/**
 * CIEDE2000 between two CIELAB colours (kL = kC = kH = 1), as Sharma et al. 2005 write it.
 * @param {number[]} lab1 @param {number[]} lab2
 */
export function deltaE2000(lab1, lab2) {
  const [L1, a1, b1] = lab1, [L2, a2, b2] = lab2;
  const rad = Math.PI / 180;
  const Cbar = (Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2;
  const G = 0.5 * (1 - Math.sqrt(Cbar ** 7 / (Cbar ** 7 + 25 ** 7)));
  const a1p = (1 + G) * a1, a2p = (1 + G) * a2;
  const C1p = Math.hypot(a1p, b1), C2p = Math.hypot(a2p, b2);
  const hue = (/** @type {number} */ b, /** @type {number} */ a) => {
    if (a === 0 && b === 0) return 0;
    const h = Math.atan2(b, a) / rad;
    return h < 0 ? h + 360 : h;
  };
  const h1p = hue(b1, a1p), h2p = hue(b2, a2p);
  const dLp = L2 - L1, dCp = C2p - C1p;
  let dhp = 0;
  if (C1p * C2p !== 0) {
    dhp = h2p - h1p;
    if (dhp > 180) dhp -= 360;
    else if (dhp < -180) dhp += 360;
  }
  const dHp = 2 * Math.sqrt(C1p * C2p) * Math.sin((dhp / 2) * rad);
  const Lbarp = (L1 + L2) / 2, Cbarp = (C1p + C2p) / 2;
  let hbarp = h1p + h2p;
  if (C1p * C2p !== 0) {
    if (Math.abs(h1p - h2p) <= 180) hbarp = (h1p + h2p) / 2;
    else hbarp = h1p + h2p < 360 ? (h1p + h2p + 360) / 2 : (h1p + h2p - 360) / 2;
  }
  const T = 1 - 0.17 * Math.cos((hbarp - 30) * rad) + 0.24 * Math.cos(2 * hbarp * rad) +
    0.32 * Math.cos((3 * hbarp + 6) * rad) - 0.2 * Math.cos((4 * hbarp - 63) * rad);
  const dTheta = 30 * Math.exp(-(((hbarp - 275) / 25) ** 2));
  const Rc = 2 * Math.sqrt(Cbarp ** 7 / (Cbarp ** 7 + 25 ** 7));
  const Sl = 1 + (0.015 * (Lbarp - 50) ** 2) / Math.sqrt(20 + (Lbarp - 50) ** 2);
  const Sc = 1 + 0.045 * Cbarp, Sh = 1 + 0.015 * Cbarp * T;
  const Rt = -Math.sin(2 * dTheta * rad) * Rc;
  return Math.sqrt((dLp / Sl) ** 2 + (dCp / Sc) ** 2 + (dHp / Sh) ** 2 + Rt * (dCp / Sc) * (dHp / Sh));
}

/** CIEDE2000 between two sRGB colours. @param {Rgb} a @param {Rgb} b */
export function difference(a, b) {
  return deltaE2000(lab(a), lab(b));
}

/**
 * The closest pair of a palette, as seen with `deficiency` (or with typical vision when null).
 * @param {Rgb[]} colours @param {Deficiency | null} deficiency
 * @returns {{ deltaE: number, pair: [number, number] }}
 */
export function closestPair(colours, deficiency) {
  const seen = colours.map((c) => (deficiency ? simulate(c, deficiency) : c));
  let best = { deltaE: Infinity, pair: /** @type {[number, number]} */ ([-1, -1]) };
  for (let i = 0; i < seen.length; i++) {
    for (let j = i + 1; j < seen.length; j++) {
      const d = difference(seen[i], seen[j]);
      if (d < best.deltaE) best = { deltaE: d, pair: [i, j] };
    }
  }
  return best;
}

/** `#rrggbb` or `rgb(r, g, b)` as a triple. @param {string} css @returns {Rgb} */
export function parseColour(css) {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css);
  if (hex) return [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16)];
  const rgb = /^rgb\(\s*(\d+),\s*(\d+),\s*(\d+)\s*\)$/.exec(css);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`not a colour this parses: ${css}`);
}
