//! How weights are stored in a link: f32 (exact), f16 (default), or int8 with one scale per
//! tensor (symmetric: value ≈ scale * q, q in -127..=127).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Precision {
    F32,
    F16,
    Int8,
}

impl Precision {
    pub fn code(self) -> u8 {
        match self {
            Precision::F32 => 0,
            Precision::F16 => 1,
            Precision::Int8 => 2,
        }
    }

    pub fn from_code(code: u8) -> Option<Self> {
        [Precision::F32, Precision::F16, Precision::Int8]
            .into_iter()
            .find(|p| p.code() == code)
    }

    /// Bytes of one tensor of `n` values, scale included.
    pub fn encoded_len(self, n: usize) -> usize {
        match self {
            Precision::F32 => 4 * n,
            Precision::F16 => 2 * n,
            Precision::Int8 => 4 + n,
        }
    }

    pub fn encode(self, values: &[f32], out: &mut Vec<u8>) {
        match self {
            Precision::F32 => values.iter().for_each(|v| out.extend(v.to_le_bytes())),
            Precision::F16 => values
                .iter()
                .for_each(|v| out.extend(half::f16::from_f32(*v).to_le_bytes())),
            Precision::Int8 => {
                let max = values.iter().fold(0.0f32, |m, v| m.max(v.abs()));
                let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
                out.extend(scale.to_le_bytes());
                out.extend(
                    values
                        .iter()
                        .map(|v| (v / scale).round().clamp(-127.0, 127.0) as i8 as u8),
                );
            }
        }
    }

    /// `bytes` must be exactly `encoded_len(n)` long.
    pub fn decode(self, bytes: &[u8]) -> Vec<f32> {
        match self {
            Precision::F32 => bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            Precision::F16 => bytes
                .chunks_exact(2)
                .map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
            Precision::Int8 => {
                let scale = f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
                bytes[4..].iter().map(|q| *q as i8 as f32 * scale).collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_precision_round_trips_within_its_resolution() {
        let values: Vec<f32> = (0..200).map(|i| ((i as f32) * 0.37).sin() * 3.0).collect();
        for (precision, tolerance) in [
            (Precision::F32, 0.0),
            (Precision::F16, 3e-3),
            (Precision::Int8, 3.0 / 127.0),
        ] {
            let mut bytes = Vec::new();
            precision.encode(&values, &mut bytes);
            assert_eq!(bytes.len(), precision.encoded_len(values.len()));
            let back = precision.decode(&bytes);
            let worst = values
                .iter()
                .zip(&back)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f32::max);
            assert!(worst <= tolerance, "{precision:?}: {worst}");
        }
        let mut zeros = Vec::new();
        Precision::Int8.encode(&[0.0; 4], &mut zeros);
        assert_eq!(Precision::Int8.decode(&zeros), vec![0.0; 4]);
    }
}
