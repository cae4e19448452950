//! A model's trainable parameters as flat host vectors in the module's own visiting order (the
//! order is fixed by the architecture, which the settings describe), and back.

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::prelude::*;

/// Every parameter's dotted name (`blocks.0.attention.query.weight`), shape and values.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamValues {
    pub names: Vec<String>,
    pub shapes: Vec<Vec<usize>>,
    pub values: Vec<Vec<f32>>,
}

struct Collect {
    /// Field names from the root down to the module being visited.
    path: Vec<String>,
    names: Vec<String>,
    shapes: Vec<Vec<usize>>,
    flat: Vec<Tensor<1>>,
}

impl ModuleVisitor for Collect {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let tensor = param.val();
        let shape = tensor.dims().to_vec();
        let n: usize = shape.iter().product();
        self.names.push(self.path.join("."));
        self.shapes.push(shape);
        self.flat.push(tensor.inner().reshape([n]));
    }
}

/// The parameters still on the device, concatenated into one tensor so that they come back in
/// one (async) read: (names, shapes, values [total]).
pub fn param_tensors<M: Module>(model: &M) -> (Vec<String>, Vec<Vec<usize>>, Tensor<1>) {
    let mut collect = Collect {
        path: Vec::new(),
        names: Vec::new(),
        shapes: Vec::new(),
        flat: Vec::new(),
    };
    model.visit(&mut collect);
    (collect.names, collect.shapes, Tensor::cat(collect.flat, 0))
}

/// Splits the values read from `param_tensors` back per parameter.
pub fn param_values_from(names: Vec<String>, shapes: Vec<Vec<usize>>, all: &[f32]) -> ParamValues {
    let mut offset = 0;
    let values = shapes
        .iter()
        .map(|shape| {
            let n: usize = shape.iter().product();
            offset += n;
            all[offset - n..offset].to_vec()
        })
        .collect();
    ParamValues {
        names,
        shapes,
        values,
    }
}

struct Load<'a> {
    params: &'a ParamValues,
    next: usize,
    error: Option<String>,
}

impl ModuleMapper for Load<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let i = self.next;
        self.next += 1;
        if self.error.is_some() {
            return param;
        }
        let expected = param.val().dims().to_vec();
        match self.params.shapes.get(i) {
            None => {
                self.error = Some(format!(
                    "the model has more than the {} tensors stored",
                    self.params.shapes.len()
                ))
            }
            Some(shape) if *shape != expected => {
                self.error = Some(format!(
                    "tensor {i} has shape {shape:?}, the architecture needs {expected:?}"
                ))
            }
            Some(_) if self.params.values[i].len() != expected.iter().product::<usize>() => {
                let n = self.params.values[i].len();
                self.error = Some(format!(
                    "tensor {i} holds {n} values for shape {expected:?}"
                ))
            }
            Some(_) => {
                let values = self.params.values[i].clone();
                let dims: [usize; D] = expected
                    .try_into()
                    .expect("a tensor's rank is its dims' length");
                return param.map(|old| {
                    let new = Tensor::from_data(TensorData::new(values, dims), &old.device());
                    if old.is_require_grad() {
                        new.require_grad()
                    } else {
                        new
                    }
                });
            }
        }
        param
    }
}

/// `model` with its parameters replaced by `params`, checked tensor by tensor against the
/// architecture.
pub fn load_params<M: Module>(model: M, params: &ParamValues) -> Result<M, String> {
    let all = params.values.iter().map(Vec::len).sum::<usize>();
    let broken = params
        .values
        .iter()
        .flatten()
        .filter(|v| !v.is_finite())
        .count();
    if broken > 0 {
        // Not a learning-rate problem of the user's: the model was saved after it diverged (or
        // the numbers were damaged), and no training can start from it.
        return Err(format!(
            "{broken} of its {all} weights are NaN or infinite: it was saved after training \
             diverged, or it is damaged, and cannot be trained on"
        ));
    }
    let mut load = Load {
        params,
        next: 0,
        error: None,
    };
    let model = model.map(&mut load);
    if let Some(error) = load.error {
        return Err(error);
    }
    if load.next != params.shapes.len() {
        return Err(format!(
            "{} tensors stored, the architecture has {}",
            params.shapes.len(),
            load.next
        ));
    }
    Ok(model)
}
