//! The command-line example as a binary, shared by `tests/cli.rs` and
//! `tests/hostile_input.rs`.

use std::path::PathBuf;
use std::process::Command;

/// Builds the example once (cargo serializes concurrent builds) and returns its path.
pub fn binary() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--example", "scangate"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(status.success());
    let target = std::env::var("CARGO_TARGET_DIR").map_or_else(
        |_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"),
        PathBuf::from,
    );
    target.join("debug/examples/scangate")
}
