//! The main example: build a realistic policy (built-in roles, a custom role, access groups
//! recorded from Tenable VM, a user directory, API keys) and print explained decisions
//! across the three layers. Run it with `cargo run --release --example quickstart`.

use scangate::{
    AccessGroup, Action, Asset, Permissions, Policy, Resource, Role, RoleId, ScopeSet, Subject,
    Target, User,
    access::{AccessGroupType, AccessGroups, AccessPermissions, Principal, Rule},
    policy::{Reach, Via},
    role::RoleDraft,
};

/// Access groups exactly as Tenable VM returned them (tests/fixtures/tenable-vm/).
const RECORDED: [&str; 3] = [
    include_str!(
        "../tests/fixtures/tenable-vm/v2_access_group_edit_response_hostname_starts_can_scan.json"
    ),
    include_str!("../tests/fixtures/tenable-vm/v1_access_group_edit_response_group_principal.json"),
    include_str!(
        "../tests/fixtures/tenable-vm/v2_access_group_details_response_tag_uuid_set_has.json"
    ),
];

/// The user group the recorded v1 group names as its principal ("VM Scan Manager").
const VM_SCAN_MANAGERS: &str = "c037612b-9c5c-40a7-afbd-0e776915c9cd";

fn build() -> Result<Policy, Box<dyn std::error::Error>> {
    let mut groups: Vec<AccessGroup> = RECORDED
        .iter()
        .map(|text| serde_json::from_str(text))
        .collect::<Result<_, _>>()?;
    groups.push(
        AccessGroup::new("Web servers", AccessGroupType::ManageAssets)
            .with_id("ag-web")
            .with_rule(Rule::parse("fqdn", "ends", [".web.corp.example.com"])?)
            .with_rule(Rule::parse(
                "ipv4",
                "eq",
                ["10.1.0.0/16", "192.168.7.10-192.168.7.20"],
            )?)
            .with_principal(Principal::user("alice", AccessPermissions::all())),
    );
    let scanner = Role::new(RoleId::new(1_000_001), "Scanner")
        .with_description("Policy scans and tickets")
        .with_permissions(Permissions::SCAN | Permissions::CREATE_TICKETS);
    Ok(Policy::builder()
        .role(scanner)
        .access_groups(AccessGroups::from_server(groups))
        .user(User::new("root", RoleId::ADMINISTRATOR))
        .user(User::new("sam", RoleId::SECURITY_MANAGER).with_groups([VM_SCAN_MANAGERS]))
        .user(User::new("alice", RoleId::SECURITY_ANALYST))
        .user(User::new("eve", RoleId::EXECUTIVE))
        .user(User::new("ann", RoleId::AUDITOR))
        .user(User::new("scott", RoleId::new(1_000_001)))
        .build()?)
}

fn show(policy: &Policy, who: &str, subject: &Subject<'_>, action: Action, resource: Resource<'_>) {
    let decision = policy.check(subject, action, resource);
    println!("{who:<33} {decision}");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let policy = build()?;
    println!(
        "policy: {} roles, {} access groups, {} users\n",
        policy.roles().len(),
        policy.access_groups().len(),
        policy.users().count()
    );

    let web01 = Asset::new()
        .with("ipv4", "10.1.2.3")?
        .with("fqdn", "web01.corp.example.com")?;
    let windows = Asset::new()
        .with("operating_system", "Windows NT")?
        .with("ipv4", "10.50.0.8")?;
    let demo = Asset::new().with("hostname", "demo2-db")?;
    let tagged = Asset::new().with("tag_uuid", "24ec0790-eb18-4c9c-b787-9c1164a9c1b9")?;
    let half_key: ScopeSet = "scans:run".parse()?;
    let ci_key: ScopeSet = "bot scans:run scans:read projects:read".parse()?;
    let org_key: ScopeSet = "scans:read".parse()?;
    let targets: Vec<Target> = ["10.1.2.3", "demo2-app", "10.9.9.9"]
        .iter()
        .map(|t| t.parse())
        .collect::<Result<_, _>>()?;

    println!("== layer 3: access groups (with layers 1-2) ==");
    show(
        &policy,
        "alice views web01",
        &Subject::user("alice"),
        Action::ASSET_VIEW,
        Resource::Asset(&web01),
    );
    show(
        &policy,
        "ann views web01",
        &Subject::user("ann"),
        Action::ASSET_VIEW,
        Resource::Asset(&web01),
    );
    show(
        &policy,
        "sam views a Windows host",
        &Subject::user("sam"),
        Action::ASSET_VIEW,
        Resource::Asset(&windows),
    );
    show(
        &policy,
        "ann views demo2-db",
        &Subject::user("ann"),
        Action::ASSET_VIEW,
        Resource::Asset(&demo),
    );
    show(
        &policy,
        "alice views a PCI-tagged host",
        &Subject::user("alice"),
        Action::ASSET_VIEW,
        Resource::Asset(&tagged),
    );
    show(
        &policy,
        "scott scans web01",
        &Subject::user("scott"),
        Action::ASSET_SCAN,
        Resource::Asset(&web01),
    );

    println!("\n== layer 1: API keys (a key never exceeds its owner) ==");
    show(
        &policy,
        "alice's key (scans:run)",
        &Subject::user("alice").with_scopes(half_key),
        Action::SCAN_RUN,
        Resource::Targets(&targets),
    );
    show(
        &policy,
        "alice's CI key, 3 targets",
        &Subject::user("alice").with_scopes(ci_key),
        Action::SCAN_RUN,
        Resource::Targets(&targets),
    );
    show(
        &policy,
        "org key reads scans",
        &Subject::api_key(org_key),
        Action::SCAN_READ,
        Resource::None,
    );
    show(
        &policy,
        "org key views an asset",
        &Subject::api_key(org_key),
        Action::ASSET_VIEW,
        Resource::Asset(&web01),
    );
    let split = policy.partition_targets(
        &Subject::user("alice").with_scopes(ci_key),
        &["10.1.2.3", "demo2-app", "10.9.9.9"],
    );
    for allowed in &split.allowed {
        println!("{:<33}   scan `{}` ({})", "", allowed.written, allowed.by);
    }
    for skipped in &split.skipped {
        println!(
            "{:<33}   skip `{}`: {}",
            "", skipped.written, skipped.reason
        );
    }

    println!("\n== layer 2: Tenable SC roles ==");
    show(
        &policy,
        "ann creates a ticket",
        &Subject::user("ann"),
        Action::TICKET_CREATE,
        Resource::None,
    );
    show(
        &policy,
        "eve creates a ticket",
        &Subject::user("eve"),
        Action::TICKET_CREATE,
        Resource::None,
    );
    show(
        &policy,
        "ann reads the Admin role",
        &Subject::user("ann"),
        Action::ROLE_READ,
        Resource::Role(RoleId::ADMINISTRATOR),
    );
    let escalate = RoleDraft::new("ACR").with_permissions(Permissions::MANAGE_ACR);
    show(
        &policy,
        "sam creates role ACR",
        &Subject::user("sam"),
        Action::ROLE_CREATE,
        Resource::RoleDraft(&escalate),
    );
    let all_assets = AccessGroup::new("Everything", AccessGroupType::ManageAssets)
        .with_id("ag-x")
        .with_all_assets(true);
    show(
        &policy,
        "root creates an all-assets group",
        &Subject::user("root"),
        Action::ACCESS_GROUP_CREATE,
        Resource::AccessGroupDraft(&all_assets),
    );
    show(
        &policy,
        "mallory (unknown) reads scans",
        &Subject::user("mallory"),
        Action::SCAN_READ,
        Resource::None,
    );

    println!("\n== beyond check ==");
    let (policy, id) = policy.create_role(
        &Subject::user("sam"),
        RoleDraft::new("Ticketing").with_permissions(Permissions::CREATE_TICKETS),
    )?;
    println!(
        "sam created role {id} `Ticketing`; the old policy is untouched, the new one has {} roles",
        policy.roles().len()
    );
    if let Ok(effective) = policy.effective(&Subject::user("alice").with_scopes(ci_key)) {
        let names: Vec<String> = effective.actions.iter().map(ToString::to_string).collect();
        println!("alice with her CI key may: {}", names.join(", "));
    }
    for who in policy.who_can(&web01, AccessPermissions::CAN_SCAN) {
        let reach = match &who.reach {
            Reach::Everyone(_) => "every user".to_owned(),
            Reach::Principals(principals) => {
                let names: Vec<String> = principals
                    .iter()
                    .map(|p| format!("{} `{}`", p.kind(), p.id().unwrap_or("?")))
                    .collect();
                names.join(", ")
            }
            Reach::Subjects(subjects) => {
                let names: Vec<String> = subjects
                    .iter()
                    .map(|s| format!("{} `{}`", s.kind().as_str(), s.uuid().unwrap_or("-")))
                    .collect();
                names.join(", ")
            }
        };
        let via = match &who.via {
            Via::Group { group, .. } => format!("access group `{}`", group.name()),
            Via::Permission { permission, .. } => format!("permission `{}`", permission.name()),
        };
        println!("who can scan web01: {reach} ({via})");
    }
    Ok(())
}
