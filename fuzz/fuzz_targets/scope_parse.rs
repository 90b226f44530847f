//! Scope parsing: one scope, a scope list as text, a scope list as JSON (array or string).
//! Whatever parses must print and parse back to the same value; whatever fails must fail
//! with a bounded message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scangate::{Scope, ScopeSet};

/// An error message names at most 64 characters of the input (plus fixed text).
fn bounded(message: &str) {
    assert!(
        message.chars().count() <= 512,
        "unbounded error message ({} chars)",
        message.chars().count()
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    match Scope::parse(text) {
        Ok(scope) => {
            assert_eq!(Scope::parse(&scope.to_string()), Ok(scope));
            assert_eq!(scope.to_string(), text);
        }
        Err(error) => {
            bounded(&error.to_string());
            assert!(error.input().chars().count() <= 65);
        }
    }

    match ScopeSet::parse(text) {
        Ok(set) => {
            let printed = set.to_string();
            assert_eq!(ScopeSet::parse(&printed), Ok(set), "{printed}");
            // Every declared scope parses on its own.
            for scope in set.iter() {
                assert!(set.contains(scope));
                assert!(set.grants(scope));
                assert!(set.grants_all(scope.implies()));
            }
        }
        Err(error) => bounded(&error.to_string()),
    }

    match serde_json::from_str::<ScopeSet>(text) {
        Ok(set) => {
            let json = serde_json::to_string(&set).unwrap();
            assert_eq!(
                serde_json::from_str::<ScopeSet>(&json).unwrap(),
                set,
                "{json}"
            );
            assert_eq!(ScopeSet::parse(&set.to_string()), Ok(set));
        }
        Err(error) => {
            // serde_json's own messages may quote the input; ours are bounded.
            let _ = error.to_string();
        }
    }

    if let Ok(scope) = serde_json::from_str::<Scope>(text) {
        let json = serde_json::to_string(&scope).unwrap();
        assert_eq!(serde_json::from_str::<Scope>(&json).unwrap(), scope);
    }
});
