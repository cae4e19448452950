//! Predicting on new rows of the user's table with the model in force (issue 19, item 1): the
//! rows encoded as the training rows were (`FeatureEncoding`), one forward pass in eval mode, and
//! the predictions written beside the file's own columns as CSV.

use super::Trainer;
use crate::data::Task;
use crate::data::table::{NewRows, Table, TableError};
use burn::prelude::*;
use burn::tensor::activation::softmax;

impl Trainer {
    /// Whether the model trained on a table, so that it can predict on new rows of one.
    pub fn predicts_rows(&self) -> bool {
        self.task().encoding.is_some()
    }

    /// What a script needs to apply this table model to rows of text: the encoding, the class
    /// names (none for a value) and the value's scale; None for the built-in points.
    pub fn table_script<'a>(&'a self, target: &'a str) -> Option<crate::share::TableScript<'a>> {
        let task = self.task();
        let classification = matches!(task.dataset.task, Task::Classification { .. });
        Some(crate::share::TableScript {
            encoding: task.encoding.as_ref()?,
            target,
            classes: if classification { &task.classes } else { &[] },
            target_scale: task.target_scale,
        })
    }

    /// The encoded rows of `t` and the model's outputs on them, still on the device: each
    /// class's probability, [rows, classes], or the value in the target's own units, [rows, 1].
    /// None when the model did not train on a table.
    pub fn predict(&self, t: &Table) -> Option<Result<(NewRows, Tensor<2>), TableError>> {
        let encoding = self.task().encoding.as_ref()?;
        Some(encoding.encode_rows(t).map(|rows| {
            let device = self.plain_device();
            let width = encoding.width();
            let x = Tensor::from_data(TensorData::new(rows.x.clone(), [rows.rows, width]), &device);
            let model = self.eval_model();
            let out =
                crate::train::chunks::map_rows(x, self.task().eval_chunk, |x| model.forward(x));
            let out = match self.task().dataset.task {
                Task::Classification { .. } => softmax(out, 1),
                Task::Regression => {
                    let (mean, std) = self.task().target_scale;
                    out.mul_scalar(std as f32).add_scalar(mean as f32)
                }
            };
            (rows, out)
        }))
    }

    /// The model's output at the point (x, y) of the plane the boundary covers, in eval mode,
    /// still on the device: each class's probability, or the value, [1, outputs]. The built-in
    /// points go through the input features first, as the boundary's grid does. None when the
    /// data has no plane (a table of more than two inputs).
    pub fn output_at(&self, x: f32, y: f32) -> Option<Tensor<2>> {
        let point = match &self.task().points {
            Some((_, features)) => features.expand(&[x, y]),
            None if self.model_inputs() == 2 => vec![x, y],
            None => return None,
        };
        let width = point.len();
        let input = Tensor::from_data(TensorData::new(point, [1, width]), &self.plain_device());
        Some(self.prediction_head(self.eval_model().forward(input)))
    }

    /// The model's raw outputs as a user reads them: each class's probability, or the value in
    /// the target's own units.
    fn prediction_head(&self, out: Tensor<2>) -> Tensor<2> {
        match self.task().dataset.task {
            Task::Classification { .. } => softmax(out, 1),
            Task::Regression => {
                let (mean, std) = self.task().target_scale;
                out.mul_scalar(std as f32).add_scalar(mean as f32)
            }
        }
    }

    /// The predictions `values` (as `predict` gives them, read back) beside every column of
    /// `t`, as a header and a line per row: the file's cells, then the predicted class and one
    /// probability column per class, or the predicted value, named after the target.
    pub fn predictions_table(&self, t: &Table, target: &str, values: &[f32]) -> Vec<Vec<String>> {
        let classes = &self.task().classes;
        let classification = matches!(self.task().dataset.task, Task::Classification { .. });
        let mut header: Vec<String> = t.headers.clone();
        header.push(format!("predicted {target}"));
        if classification {
            header.extend(classes.iter().map(|c| format!("P({target} = {c})")));
        }
        let width = if classification { classes.len() } else { 1 };
        let rows = values
            .chunks(width)
            .enumerate()
            .take(t.rows())
            .map(|(row, p)| {
                let mut cells: Vec<String> = t.row(row).map(str::to_string).collect();
                if classification {
                    let best = (0..p.len())
                        .max_by(|&a, &b| p[a].total_cmp(&p[b]))
                        .unwrap_or(0);
                    cells.push(classes[best].clone());
                    cells.extend(p.iter().map(|v| v.to_string()));
                } else {
                    cells.push(p[0].to_string());
                }
                cells
            });
        std::iter::once(header).chain(rows).collect()
    }
}

/// A table of `Trainer::predictions_table` as CSV.
pub fn predictions_csv(table: &[Vec<String>]) -> String {
    table
        .iter()
        .map(|cells| csv_line(cells.iter().map(String::as_str)))
        .collect()
}

/// One CSV line (RFC 4180: a cell with a comma, quote or line break is quoted, quotes doubled).
fn csv_line<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = cells
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.to_string()
            }
        })
        .collect();
    format!("{}\n", quoted.join(","))
}
