//! The main example: layers 1 and 2 of scangate on realistic data, with every decision
//! explained. Run it with `cargo run --release --example quickstart`.

use scangate::{
    Permissions, RoleCatalog, RoleDraft, RoleId, RolePatch, RoleQuery, Scope, ScopeSet,
};

fn main() {
    println!("== Layer 1: API-key scopes ==");
    // A CI pipeline's key, spelled as the Bright docs' CI page writes it, first.
    for text in [
        "bot, scans : run, scan : read, scans : stop",
        "bot scans:run scans:read scans:stop projects:read",
        "scans projects:read",
    ] {
        match text.parse::<ScopeSet>() {
            Err(error) => println!("key `{text}`: rejected: {error}"),
            Ok(key) => {
                println!("key `{key}` grants, after implication: {}", key.effective());
                let run = ScopeSet::of(&[Scope::ScansRun, Scope::ProjectsRead]);
                let delete = ScopeSet::of(&[Scope::ScansDelete]);
                for (action, needed) in [("scan.run", run), ("scan.delete", delete)] {
                    let missing = key.missing(needed);
                    if missing.is_empty() {
                        println!("  allow {action}: the key holds `{needed}`");
                    } else {
                        println!(
                            "  deny  {action}: API key lacks `{missing}`, required by {action}"
                        );
                    }
                }
            }
        }
    }

    println!("\n== Layer 2: Tenable Security Center roles ==");
    let catalog = RoleCatalog::builtin();
    for role in catalog.iter() {
        println!(
            "{:>2} {:<22} {}",
            role.id(),
            role.name(),
            role.permissions().describe()
        );
    }

    let scan = Permissions::SCAN;
    for id in [RoleId::SECURITY_ANALYST, RoleId::AUDITOR] {
        let role = catalog
            .get(id)
            .map(|r| (r.name(), r.permissions()))
            .unwrap_or(("?", Permissions::empty()));
        let verdict = if role.1.grants_all(scan) {
            "allow"
        } else {
            "deny "
        };
        println!(
            "{verdict} scan.run for {}: needs permScan, role has {}",
            role.0,
            role.1.scan_level()
        );
    }

    // A Security Manager delegates a ticketing role, then tries to escalate.
    let draft = RoleDraft::new("Ticketing")
        .with_permissions(Permissions::CREATE_TICKETS | Permissions::VIEW_ORG_LOGS);
    let catalog = match catalog.create(RoleId::SECURITY_MANAGER, draft) {
        Ok((catalog, id)) => {
            println!("Security Manager created role {id} `Ticketing`");
            let attempt = catalog.edit(
                RoleId::SECURITY_MANAGER,
                id,
                &RolePatch::new().grant(Permissions::MANAGE_ACR),
            );
            if let Err(error) = attempt {
                println!("refused: {error}");
            }
            catalog
        }
        Err(error) => {
            println!("refused: {error}");
            return;
        }
    };
    if let Err(error) = catalog.edit(
        RoleId::ADMINISTRATOR,
        RoleId::SECURITY_MANAGER,
        &RolePatch::new().rename("Boss"),
    ) {
        println!("refused: {error}");
    }

    // What GET /role/2 returns to an Auditor versus a Security Manager.
    for requester in [RoleId::AUDITOR, RoleId::SECURITY_MANAGER] {
        if let Ok(view) = catalog.view(requester, RoleId::SECURITY_MANAGER, &RoleQuery::new()) {
            println!(
                "GET /role/2 as role {requester}: fields {} (withheld: {})",
                view.shown(),
                view.withheld()
            );
        }
    }
    if let Err(error) = catalog.view(RoleId::AUDITOR, RoleId::ADMINISTRATOR, &RoleQuery::new()) {
        println!("GET /role/1 as role 7: {error}");
    }
}
