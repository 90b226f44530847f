//! Request lines as the command-line example reads them: split on `\n`, blank lines
//! skipped, a line that is not UTF-8 answered "deny", otherwise `Request::from_json` then
//! `Policy::check_request` against the fixture policy `tests/data/engine/policy.json`.
#![no_main]

#[path = "common.rs"]
mod common;

use common::bounded;
use libfuzzer_sys::fuzz_target;
use scangate::{Policy, Request};
use std::sync::OnceLock;

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        Policy::from_json(include_str!("../../tests/data/engine/policy.json"))
            .expect("the fixture policy loads")
    })
}

/// What the CLI prints for one line, as (decision, error or explanation).
fn answer(policy: &Policy, line: &[u8]) -> String {
    let Ok(text) = std::str::from_utf8(line) else {
        return "deny: the request is not valid UTF-8".to_owned();
    };
    match Request::from_json(text) {
        Err(error) => {
            let message = error.to_string();
            bounded(&message);
            format!("deny: {message}")
        }
        Ok(request) => {
            let decision = policy.check_request(&request);
            let json = serde_json::to_string(&decision).unwrap();
            let explanation = decision.to_string();
            bounded(&explanation);
            // Deciding twice gives the same answer.
            let again = policy.check_request(&request);
            assert_eq!(again.is_allowed(), decision.is_allowed());
            assert_eq!(again.to_string(), explanation);
            json
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let policy = policy();
    for line in data.split(|byte| *byte == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let _ = answer(policy, line);
    }
});
