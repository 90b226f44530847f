//! Tenable SC role JSON: one role, an envelope around one, a list (bare or in an envelope),
//! POST and PATCH bodies. Whatever reads must write and read back equal; whatever fails
//! must fail with a bounded message.
#![no_main]

#[path = "common.rs"]
mod common;

use common::bounded;
use libfuzzer_sys::fuzz_target;
use scangate::{Envelope, Role, RoleCatalog, RoleDraft, RolePatch};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    match Role::from_json(text) {
        Ok(read) => {
            let role = read.value;
            let written = role.to_json_value();
            let back = Role::from_json_value(&written).expect("a written role reads back");
            assert_eq!(back.value, role, "{written}");
            assert!(back.unknown_permissions.is_empty());
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), role);
            let _ = RoleCatalog::new([role]);
        }
        Err(error) => bounded(&error.to_string()),
    }

    if let Ok(envelope) = serde_json::from_str::<Envelope<Role>>(text) {
        let json = serde_json::to_string(&envelope).unwrap();
        let back: Envelope<Role> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, envelope, "{json}");
        if let Ok(role) = envelope.into_result() {
            let _ = RoleCatalog::new([role]);
        }
    }

    if let Ok(envelope) = serde_json::from_str::<Envelope<Vec<Role>>>(text) {
        let json = serde_json::to_string(&envelope).unwrap();
        let back: Envelope<Vec<Role>> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, envelope, "{json}");
        if let Ok(roles) = envelope.into_result() {
            if let Ok(catalog) = RoleCatalog::new(roles) {
                for role in catalog.iter() {
                    assert_eq!(catalog.get(role.id()), Some(role));
                }
            }
        }
    }

    if let Ok(roles) = serde_json::from_str::<Vec<Role>>(text) {
        let json = serde_json::to_string(&roles).unwrap();
        assert_eq!(serde_json::from_str::<Vec<Role>>(&json).unwrap(), roles);
        let _ = RoleCatalog::new(roles);
    }

    match RoleDraft::from_json(text) {
        Ok(read) => {
            let json = serde_json::to_string(&read.value).unwrap();
            let back = RoleDraft::from_json(&json).expect("a written draft reads back");
            assert_eq!(back.value, read.value, "{json}");
        }
        Err(error) => bounded(&error.to_string()),
    }

    match RolePatch::from_json(text) {
        Ok(read) => {
            let json = serde_json::to_string(&read.value).unwrap();
            let back = RolePatch::from_json(&json).expect("a written patch reads back");
            assert_eq!(back.value, read.value, "{json}");
        }
        Err(error) => bounded(&error.to_string()),
    }
});
