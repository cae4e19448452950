//! The backend self-check run natively: the CPU must agree with itself exactly.
//! Alone in its own binary: Burn's CPU generator is process-wide (see reproducibility.rs).

use burn::prelude::*;
use kindling::train::{SelfCheck, compare_backends};

#[test]
fn the_cpu_agrees_with_itself() {
    let device = Device::flex();
    let check = futures_lite::future::block_on(compare_backends(&device, &device));
    assert_eq!(
        check,
        SelfCheck {
            ok: true,
            max_diff: 0.0,
            reason: None
        }
    );
}
