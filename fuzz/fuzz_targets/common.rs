//! Shared by the fuzz targets (included with `#[path]`).
#![allow(dead_code)]

/// Our error messages quote at most 64 characters of any input value, so a message stays
/// small whatever the input: this is the bound the targets assert.
pub const MESSAGE_LIMIT: usize = 2048;

pub fn bounded(message: &str) {
    let chars = message.chars().count();
    assert!(
        chars <= MESSAGE_LIMIT,
        "unbounded error message ({chars} chars): {}",
        message.chars().take(200).collect::<String>()
    );
}
