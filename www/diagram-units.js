// @ts-check
//! What a `boundary` or `testMetrics` event's units part holds (www/protocol.js, Units), read by
//! unit: layer l (0 the inputs, then the hidden layers, last the outputs) and unit u of it.

export class UnitsOf {
  /** @param {any} event a `boundary` or `testMetrics` event with `units` */
  constructor(event) {
    this.event = event;
    /** @type {import('./protocol.js').Units} */ this.units = event.units;
    this.layers = this.units.layers;
    this.rows = this.units.rows;
    /** where each hidden layer's units start among the drawn hidden units */
    this.starts = [];
    let n = 0;
    for (const layer of this.layers) {
      this.starts.push(n);
      if (layer.kind === 'hidden') n += layer.drawn;
    }
    /** where each link layer's weights start */
    this.weightStarts = [];
    let w = 0;
    for (let l = 0; l + 1 < this.layers.length; l++) {
      this.weightStarts.push(w);
      w += this.layers[l].drawn * this.layers[l + 1].drawn;
    }
  }

  /** Index of hidden unit (l, u) among the drawn hidden units. @param {number} l @param {number} u */
  index(l, u) { return this.starts[l] + u; }

  /** Every drawn unit's outputs of hidden layer l over the plane, [rows][drawn]. @param {number} l */
  layerValues(l) {
    const from = this.index(l, 0) * this.rows;
    return this.event.unitValues.subarray(from, from + this.layers[l].drawn * this.rows);
  }

  /** @param {number} l @param {number} u */
  bins(l, u) {
    const b = this.units.bins, i = this.index(l, u);
    return this.event.unitHistograms.subarray(i * b, (i + 1) * b);
  }

  /** [lo, hi] of its output over the test rows. @param {number} l @param {number} u */
  range(l, u) {
    const i = this.index(l, u);
    return [this.event.unitRanges[2 * i], this.event.unitRanges[2 * i + 1]];
  }

  /** Rows where it is active (histograms), else -1. @param {number} l @param {number} u */
  active(l, u) { return this.event.unitActive?.[this.index(l, u)] ?? -1; }

  /** Never active, in a layer whose activation makes that final (ReLU). @param {number} l @param {number} u */
  isDead(l, u) { return this.active(l, u) === 0 && this.layers[l].activation === 'relu'; }

  /** @param {number} l @param {number} u */
  mean(l, u) { return this.event.unitMeans[this.index(l, u)]; }

  /** The bias of unit u of layer l (after the inputs). @param {number} l @param {number} u */
  bias(l, u) {
    let at = 0;
    for (let k = 1; k < l; k++) at += this.layers[k].drawn;
    return this.event.unitBiases[at + u];
  }

  /** The weights of link layer l (layers[l] -> layers[l + 1]), [drawn_l * drawn_l+1]. @param {number} l */
  weights(l) {
    const from = this.weightStarts[l];
    return this.event.unitWeights.subarray(from, from + this.layers[l].drawn * this.layers[l + 1].drawn);
  }

  /** Units each link layer could have, drawn or not, and whether any is left out. */
  get shape() {
    return `${this.units.view}:${this.layers.map((l) => `${l.units}/${l.drawn}`).join(',')}`;
  }
}
