//! Reading tensors back from the device. Always async: a blocking read on WebGPU traps the
//! wasm instance.

use burn::prelude::*;

pub async fn read_floats<const D: usize>(tensor: Tensor<D>) -> Result<Vec<f32>, String> {
    let data = tensor
        .into_data_async()
        .await
        .map_err(|e| format!("reading results from the device failed: {e:?}"))?;
    data.convert::<f32>()
        .try_into_vec::<f32>()
        .map_err(|e| format!("device returned unexpected data: {e:?}"))
}
