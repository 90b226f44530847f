//! Loads a policy file with `Policy::from_json`, for timing and for measuring peak memory
//! (`docs/performance.md`, "Policy loader").
//!
//! - `load_policy write PATH [GROUPSxRULES] [USERS]` writes the benchmark workload
//!   (`benches/support/policy_file.rs`; default `5000x10` and 300 users) to `PATH`;
//! - `load_policy read PATH` only reads the file into a `String`: the baseline for peak RSS;
//! - `load_policy PATH [RUNS]` reads the file, then loads it `RUNS` times (default 1) and
//!   prints the median (and the fastest) load time.
//!
//! Peak RSS: `/usr/bin/time -v target/release/examples/load_policy PATH` ("Maximum resident
//! set size"), against `… load_policy read PATH`.

#[path = "../benches/support/index_data.rs"]
mod index_data;
#[path = "../benches/support/policy_file.rs"]
mod policy_file;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use scangate::Policy;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("load_policy: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[&str]) -> Result<(), String> {
    match args {
        ["write", path, rest @ ..] => {
            let (groups, rules) = match rest.first() {
                Some(size) => size
                    .split_once('x')
                    .and_then(|(g, r)| Some((g.parse().ok()?, r.parse().ok()?)))
                    .ok_or("the size is GROUPSxRULES")?,
                None => (5000, 10),
            };
            let users = match rest.get(1) {
                Some(users) => users.parse().map_err(|_| "USERS is a number")?,
                None => 300,
            };
            let text = policy_file::file(groups, rules, users).map_err(|e| e.to_string())?;
            std::fs::write(path, &text).map_err(|e| format!("{path}: {e}"))?;
            println!(
                "{path}: {} bytes, {groups} x {rules}, {users} users",
                text.len()
            );
            Ok(())
        }
        ["read", path] => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
            println!("{path}: {} bytes read", text.len());
            Ok(())
        }
        [path, rest @ ..] => {
            let runs: usize = match rest.first() {
                Some(runs) => runs.parse().map_err(|_| "RUNS is a number")?,
                None => 1,
            };
            let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
            let mut times: Vec<Duration> = Vec::new();
            let mut groups = 0;
            for _ in 0..runs.max(1) {
                let start = Instant::now();
                let policy = Policy::from_json(&text).map_err(|e| e.to_string())?;
                times.push(start.elapsed());
                groups = policy.access_groups().len();
                drop(policy);
            }
            times.sort();
            let median = times.get(times.len() / 2).copied().unwrap_or_default();
            let min = times.first().copied().unwrap_or_default();
            println!(
                "{path}: {} bytes, {groups} access groups; load median of {}: {median:.2?} (min {min:.2?})",
                text.len(),
                times.len()
            );
            Ok(())
        }
        [] => Err(
            "usage: load_policy write PATH [GROUPSxRULES] [USERS] | read PATH | PATH [RUNS]"
                .to_owned(),
        ),
    }
}
