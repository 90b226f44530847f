//! Policy files: `Policy::from_json` and `Policy::validate_json`. A policy that loads must
//! write, load back to the same file and give the same decisions; a file that does not
//! load must say why, in a bounded message.
#![no_main]

#[path = "common.rs"]
mod common;

use common::bounded;
use libfuzzer_sys::fuzz_target;
use scangate::{Asset, Policy, Resource, Subject, Target};

/// A few decisions on `policy`: every action for the first users (and a stranger), with no
/// resource, an asset and a target list. `is_allowed` must agree with `check`.
fn decisions(policy: &Policy, asset: &Asset, targets: &[Target]) -> Vec<bool> {
    let mut users: Vec<&str> = policy.users().take(4).map(|user| user.id()).collect();
    users.push("nobody");
    let mut answers = Vec::new();
    for user in users {
        let subject = Subject::user(user);
        for (action, _) in policy.actions() {
            for resource in [
                Resource::None,
                Resource::Asset(asset),
                Resource::Targets(targets),
            ] {
                let decision = policy.check(&subject, action, resource);
                bounded(&decision.to_string());
                let _ = serde_json::to_string(&decision).unwrap();
                assert_eq!(
                    policy.is_allowed(&subject, action, resource),
                    decision.is_allowed(),
                    "{decision}"
                );
                answers.push(decision.is_allowed());
            }
        }
        let filter = policy.asset_filter(&subject, scangate::Action::ASSET_VIEW);
        answers.push(filter.allows(asset));
    }
    answers
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    let problems = Policy::validate_json(text);
    for problem in &problems {
        bounded(&problem.to_string());
    }

    match Policy::from_json(text) {
        Ok(policy) => {
            let written = policy.to_json();
            let back = Policy::from_json(&written).expect("a written policy loads");
            assert_eq!(back.to_json(), written);
            assert_eq!(back.roles().len(), policy.roles().len());
            for role in policy.roles().iter() {
                assert_eq!(back.roles().get(role.id()), Some(role));
            }
            assert_eq!(back.access_groups().len(), policy.access_groups().len());
            for (a, b) in policy
                .access_groups()
                .iter()
                .zip(back.access_groups().iter())
            {
                assert_eq!(a, b);
            }
            assert!(policy.users().eq(back.users()));

            let asset = Asset::new()
                .with("ipv4", "10.1.2.3")
                .unwrap()
                .with("fqdn", "web01.corp.example.com")
                .unwrap();
            let targets: Vec<Target> = ["10.1.2.3", "web01.corp.example.com", "::1"]
                .iter()
                .map(|t| t.parse().unwrap())
                .collect();
            assert_eq!(
                decisions(&policy, &asset, &targets),
                decisions(&back, &asset, &targets)
            );
        }
        Err(error) => {
            bounded(&error.to_string());
            // Whatever stops loading is among the problems validate reports.
            assert!(!problems.is_empty(), "{error}");
        }
    }
});
