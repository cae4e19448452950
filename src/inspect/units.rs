//! The MLP's units as the network diagram draws them (issue 17): every hidden layer's output
//! and the model's output from ONE forward pass in eval mode, over the boundary's grid (each
//! unit a picture of the plane) or a table's test rows (each unit a histogram, and which ReLU
//! units are dead), with the weights and biases of the units drawn, all in one tensor for one
//! readback. Wide layers send their first `DRAWN_UNITS` units only, so the readback stays small.

use crate::model::{ActivationKind, Mlp, linear_forward};
use crate::train::chunks::{ranges, rows};
use burn::prelude::*;
use serde::Serialize;

/// Units drawn per layer (inputs, hidden, outputs); the rest are counted, not sent.
pub const DRAWN_UNITS: usize = 16;
/// Bins of a unit's histogram over the test rows.
pub const HISTOGRAM_BINS: usize = 12;

/// What each unit shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum UnitView {
    /// Its output over the boundary's grid: [resolution², drawn] per layer.
    Plane,
    /// A histogram of its output over the test rows, and the rows where it is active.
    Histograms,
}

/// Every hidden layer's output after its activation, [batch, units] each, and the model's
/// output [batch, outputs], from one forward pass over `x` [batch, inputs]: the same modules
/// in the same order as `Mlp::forward`, so the output is the model's own. Eval mode is the
/// caller's (a `valid()` model): dropout is then the identity.
pub fn forward_layers(model: &Mlp, x: Tensor<2>) -> (Vec<Tensor<2>>, Tensor<2>) {
    let mut hidden = Vec::with_capacity(model.hidden.len());
    let mut h = x;
    for layer in &model.hidden {
        h = layer.forward(h);
        hidden.push(h.clone());
    }
    (hidden, linear_forward(&model.output, h))
}

/// Where each part of the one readback lies, known from the shapes before anything is read.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitsLayout {
    view: UnitView,
    /// Grid cells or test rows.
    rows: usize,
    /// (units, drawn) of the inputs, each hidden layer and the output layer.
    widths: Vec<(usize, usize)>,
}

/// The model over `x` in chunks of `chunk` rows, with every hidden layer's drawn units, as one
/// tensor to read (see `UnitsLayout::read`) and its layout. `head` makes the output what the
/// caller shows (softmax for the boundary's class probabilities; the identity for metrics).
pub fn units_pass(
    model: &Mlp,
    x: Tensor<2>,
    chunk: usize,
    view: UnitView,
    head: impl Fn(Tensor<2>) -> Tensor<2>,
) -> (Tensor<1>, UnitsLayout) {
    let [n, inputs] = x.dims();
    let drawn = |units: usize| (units, units.min(DRAWN_UNITS));
    let mut widths = vec![drawn(inputs)];
    widths.extend(
        model
            .hidden
            .iter()
            .map(|h| drawn(h.linear.weight.val().dims()[1])),
    );
    widths.push(drawn(model.output.weight.val().dims()[1]));
    let layers = model.hidden.len();

    let mut outputs = Vec::new();
    // Per hidden layer: the drawn units' outputs per chunk; the rows where each unit is active.
    let mut kept: Vec<Vec<Tensor<2>>> = vec![Vec::new(); layers];
    let mut active: Vec<Option<Tensor<2>>> = vec![None; layers];
    for r in ranges(n, chunk) {
        let (hidden, out) = forward_layers(model, rows(&x, &r));
        outputs.push(head(out));
        for (l, h) in hidden.into_iter().enumerate() {
            if view == UnitView::Histograms {
                // A unit is active on a row where its output is not 0: a ReLU's only dead state.
                let on = h.clone().not_equal_elem(0.0).float().sum_dim(0); // [1, units]
                active[l] = Some(match active[l].take() {
                    Some(a) => a + on,
                    None => on,
                });
            }
            kept[l].push(h.slice([0..r.len(), 0..widths[l + 1].1])); // [chunk, drawn]
        }
    }
    let flat = |t: Tensor<2>| {
        let [a, b] = t.dims();
        t.reshape([a * b])
    };
    let mut parts = vec![flat(Tensor::cat(outputs, 0))]; // [rows * outputs]
    for (l, chunks) in kept.into_iter().enumerate() {
        let a = Tensor::cat(chunks, 0); // [rows, drawn]
        parts.push(flat(a.clone().mean_dim(0))); // [drawn]
        match view {
            UnitView::Plane => parts.push(flat(a)), // [rows * drawn], as the forward left it
            UnitView::Histograms => {
                parts.extend(histogram_parts(a));
                parts.push(flat(active[l].take().expect("one chunk at least"))); // [units]
            }
        }
    }
    let linears = model
        .hidden
        .iter()
        .map(|h| &h.linear)
        .chain([&model.output]);
    for (l, linear) in linears.enumerate() {
        let (d_in, d_out) = (widths[l].1, widths[l + 1].1);
        parts.push(flat(linear.weight.val().slice([0..d_in, 0..d_out]))); // [d_in * d_out]
        let bias = match &linear.bias {
            Some(b) => b.val().narrow(0, 0, d_out),
            None => Tensor::zeros([d_out], &x.device()),
        };
        parts.push(bias);
    }
    let layout = UnitsLayout {
        view,
        rows: n,
        widths,
    };
    (Tensor::cat(parts, 0), layout)
}

/// [lo, hi] of each drawn unit, then how many rows reach each bin's lower edge (bins 1..B):
/// [drawn], [drawn], [(B - 1) * drawn]. The counts per bin are their differences (`read`).
fn histogram_parts(a: Tensor<2>) -> Vec<Tensor<1>> {
    let [_, drawn] = a.dims();
    let lo = a.clone().min_dim(0); // [1, drawn]
    let hi = a.clone().max_dim(0);
    let scale = (hi.clone() - lo.clone()).clamp_min(1e-12) / HISTOGRAM_BINS as f64;
    let t = (a - lo.clone()) / scale; // [rows, drawn] in [0, B]
    let reach = (1..HISTOGRAM_BINS)
        .map(|b| t.clone().greater_equal_elem(b as f32).float().sum_dim(0))
        .collect::<Vec<_>>();
    vec![
        lo.reshape([drawn]),
        hi.reshape([drawn]),
        Tensor::cat(reach, 0).reshape([(HISTOGRAM_BINS - 1) * drawn]),
    ]
}

/// One layer of the diagram: the inputs, a hidden layer or the outputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnitLayer {
    pub kind: &'static str,
    /// All its units; the first `drawn` are sent.
    pub units: usize,
    pub drawn: usize,
    /// A hidden layer's activation (null for the inputs and the outputs).
    pub activation: Option<ActivationKind>,
    /// Histograms only, a hidden layer: its units (of all, drawn or not) active on no test row.
    pub dead: Option<usize>,
}

/// The diagram's part of an event: its layers and, by name, its dense arrays (see `dense`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Units {
    pub view: UnitView,
    /// Grid cells (resolution²) or test rows each unit was computed over.
    pub rows: usize,
    pub bins: usize,
    pub input_labels: Vec<String>,
    pub layers: Vec<UnitLayer>,
    /// Plane: the drawn hidden units' outputs, layer by layer, each [rows][drawn] (row-major,
    /// as the forward pass left them: no transpose on the device).
    #[serde(skip)]
    pub values: Vec<f32>,
    /// The mean output of each drawn hidden unit over the rows.
    #[serde(skip)]
    pub means: Vec<f32>,
    /// Per link layer l (layers[l] -> layers[l + 1]): [drawn_l][drawn_{l+1}], concatenated.
    #[serde(skip)]
    pub weights: Vec<f32>,
    /// Per layer after the inputs: [drawn], concatenated.
    #[serde(skip)]
    pub biases: Vec<f32>,
    /// Histograms: per drawn hidden unit, `bins` row counts.
    #[serde(skip)]
    pub histograms: Vec<f32>,
    /// Histograms: per drawn hidden unit, [lo, hi] of its output.
    #[serde(skip)]
    pub ranges: Vec<f32>,
    /// Histograms: per drawn hidden unit, the test rows where it is active (output not 0).
    #[serde(skip)]
    pub active: Vec<f32>,
}

impl Units {
    /// The dense arrays by their names in the event (camelCase); a plane has no histograms.
    pub fn dense(&self) -> Vec<(&'static str, &[f32])> {
        let mut dense = vec![
            ("unitMeans", &self.means[..]),
            ("unitWeights", &self.weights[..]),
            ("unitBiases", &self.biases[..]),
        ];
        match self.view {
            UnitView::Plane => dense.push(("unitValues", &self.values[..])),
            UnitView::Histograms => dense.extend([
                ("unitHistograms", &self.histograms[..]),
                ("unitRanges", &self.ranges[..]),
                ("unitActive", &self.active[..]),
            ]),
        }
        dense
    }
}

impl UnitsLayout {
    /// Rows (grid cells or test rows) the pass covered.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Splits the values read from `units_pass` into the model's output [rows * outputs] and
    /// the units, labelled with the inputs' names and each hidden layer's activation.
    pub fn read(
        &self,
        values: &[f32],
        input_labels: Vec<String>,
        activations: &[ActivationKind],
    ) -> (Vec<f32>, Units) {
        let mut rest = values;
        let mut take = |n: usize| {
            let (head, tail) = rest.split_at(n);
            rest = tail;
            head
        };
        let (outputs, last) = (self.widths[self.widths.len() - 1].0, self.widths.len() - 1);
        let output = take(self.rows * outputs).to_vec();
        let mut units = Units {
            view: self.view,
            rows: self.rows,
            bins: HISTOGRAM_BINS,
            input_labels,
            layers: Vec::with_capacity(self.widths.len()),
            values: Vec::new(),
            means: Vec::new(),
            weights: Vec::new(),
            biases: Vec::new(),
            histograms: Vec::new(),
            ranges: Vec::new(),
            active: Vec::new(),
        };
        for (l, &(all, drawn)) in self.widths.iter().enumerate() {
            let kind = match l {
                0 => "input",
                l if l == last => "output",
                _ => "hidden",
            };
            let mut dead = None;
            if kind == "hidden" {
                units.means.extend(take(drawn));
                match self.view {
                    UnitView::Plane => units.values.extend(take(drawn * self.rows)),
                    UnitView::Histograms => {
                        let (lo, hi) = (take(drawn), take(drawn));
                        let reach = take((HISTOGRAM_BINS - 1) * drawn);
                        let on = take(all);
                        for u in 0..drawn {
                            units.ranges.extend([lo[u], hi[u]]);
                            // Rows reaching bin b's lower edge, bin 0 being every row.
                            let at = |b: usize| match b {
                                0 => self.rows as f32,
                                b => reach[(b - 1) * drawn + u],
                            };
                            units.histograms.extend((0..HISTOGRAM_BINS).map(|b| {
                                let next = if b + 1 < HISTOGRAM_BINS {
                                    at(b + 1)
                                } else {
                                    0.0
                                };
                                at(b) - next
                            }));
                            units.active.push(on[u]);
                        }
                        dead = Some(on.iter().filter(|a| **a == 0.0).count());
                    }
                }
            }
            units.layers.push(UnitLayer {
                kind,
                units: all,
                drawn,
                activation: (kind == "hidden")
                    .then(|| activations.get(l - 1).copied())
                    .flatten(),
                dead,
            });
        }
        for l in 0..last {
            let (d_in, d_out) = (self.widths[l].1, self.widths[l + 1].1);
            units.weights.extend(take(d_in * d_out));
            units.biases.extend(take(d_out));
        }
        debug_assert!(rest.is_empty(), "the layout covers the whole readback");
        (output, units)
    }
}
