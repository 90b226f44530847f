//! Shared by the database equivalence tests (`tests/query_plan_sqlite.rs`,
//! `tests/query_plan_postgres.rs`): a fixed sample of random assets and policies (the
//! generators of `plan_policies.rs`), and the ids the in-memory filter accepts.
#![allow(dead_code)]

use super::plan_db::{pooled_assets, sample};
use scangate::{Action, Asset, Policy, Subject};

/// How many assets each database holds.
pub const ASSETS: usize = 10_000;
/// How many random policies are asked about them.
pub const POLICIES: usize = 12;

/// The assets (their ids are their positions): 0 to 5 values each, drawn from 3,000 random
/// attribute values (`plan_db::pooled_assets`).
pub fn assets() -> Vec<Asset> {
    let pool = sample(super::plan_policies::attribute_value(), 3_000, 7);
    // A name of only `.` is refused: skipped.
    pooled_assets(
        &pool,
        ASSETS,
        6,
        0x9E37_79B9_7F4A_7C15,
        |asset, attribute, value| {
            let _ = asset.insert(*attribute, value);
        },
    )
}

/// The policies, of up to 15 groups each (with the 7 subjects and 4 actions, 336 plans).
pub fn policies() -> Vec<Policy> {
    sample(super::plan_policies::policy(16), POLICIES, 11)
}

/// The ids (positions) of the assets the in-memory filter accepts, in order.
pub fn accepted(
    policy: &Policy,
    subject: &Subject<'_>,
    action: Action,
    assets: &[Asset],
) -> Vec<i64> {
    let filter = policy.asset_filter(subject, action);
    assets
        .iter()
        .enumerate()
        .filter(|(_, asset)| filter.allows(asset))
        .map(|(id, _)| i64::try_from(id).unwrap())
        .collect()
}

/// The hostile-terms case both databases run: `alice` may view the assets whose
/// `operating_system` matches a pattern holding SQL quotes, `LIKE` wildcards and a
/// backslash, whose `aws_ec2_name` equals `O'Brien_%` (case-sensitive), or whose FQDN starts
/// with `a_\`. Returns the policy, the assets and the ids that must be selected.
pub fn hostile() -> (Policy, Vec<Asset>, Vec<i64>) {
    use scangate::access::{AccessGroupType, AccessGroups, AccessPermissions, Principal, Rule};
    use scangate::{AccessGroup, RoleId, User};
    let terms = [
        "50%_off'; DROP TABLE assets; --",
        r"back\slash",
        "it's",
        "*q%*",
    ];
    let g = AccessGroup::new("os", AccessGroupType::ManageAssets)
        .with_rule(Rule::parse("operating_system", "match", terms).unwrap())
        .with_rule(Rule::parse("aws_ec2_name", "eq", ["O'Brien_%"]).unwrap())
        .with_rule(Rule::parse("fqdn", "starts", [r"a_\"]).unwrap())
        .with_principal(Principal::user("alice", AccessPermissions::CAN_VIEW));
    let policy = Policy::builder()
        .access_groups(AccessGroups::from_server([g]))
        .user(User::new("alice", RoleId::SECURITY_ANALYST))
        .build()
        .unwrap();
    let values = [
        ("operating_system", "x 50%_OFF'; drop table assets; -- y"), // 0: yes (case-insensitive)
        ("operating_system", "50x_off'; drop table assets; --"),     // 1: `%` is literal
        ("operating_system", "50%yoff'; drop table assets; --"),     // 2: `_` is literal
        ("operating_system", r"BACK\SLASH"),                         // 3: yes
        ("operating_system", r"backslash"),                          // 4: `\` is literal
        ("operating_system", "IT'S"),                                // 5: yes
        ("operating_system", "Q%b"),                                 // 6: yes (`*q%*`)
        ("operating_system", "qb"),                                  // 7: no
        ("aws_ec2_name", "O'Brien_%"),                               // 8: yes
        ("aws_ec2_name", "o'brien_%"),                               // 9: no (case-sensitive)
        ("aws_ec2_name", "O'BrienX%"),                               // 10: no (`_` is literal)
        ("fqdn", r"A_\B.example"),                                   // 11: yes
        ("fqdn", r"ab\b.example"),                                   // 12: no
    ];
    let assets = values
        .iter()
        .map(|(a, v)| Asset::new().with(a, v).unwrap())
        .collect();
    (policy, assets, vec![0, 3, 5, 6, 8, 11])
}
