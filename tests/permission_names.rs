//! A permission from its wire name: hosts store permissions by name (`permCreateTickets`),
//! so `FromStr` and `Permissions::from_field_names` read them back, from the one permission
//! table (docs/semantics.md, "Layer 2", permissions).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use scangate::{Permissions as P, RoleError};

#[test]
fn every_permission_reads_back_from_its_name() {
    // Every named flag: the 30 fields of the table, and `SCAN_FULL` (`permScan=full`).
    let flags: Vec<P> = P::all().iter().collect();
    assert_eq!(flags.len(), 31);
    for flag in flags {
        let names: Vec<_> = flag.requirement_names().collect();
        assert_eq!(names.len(), 1, "{flag:?}");
        assert_eq!(names[0].parse::<P>(), Ok(flag), "{}", names[0]);
    }
    assert_eq!("permCreateTickets".parse::<P>(), Ok(P::CREATE_TICKETS));
    assert_eq!("permScan".parse::<P>(), Ok(P::SCAN));
    assert_eq!("permScan=policy".parse::<P>(), Ok(P::SCAN));
    assert_eq!("permScan=full".parse::<P>(), Ok(P::SCAN_FULL));
    assert_eq!("permScan=none".parse::<P>(), Ok(P::empty()));
}

#[test]
fn several_names_read_as_one_set_and_field_names_read_back() {
    assert_eq!(
        P::from_field_names(["permScan", "permManageRoles"]),
        Ok(P::SCAN | P::MANAGE_ROLES)
    );
    assert_eq!(P::from_field_names(Vec::<String>::new()), Ok(P::empty()));
    // Duplicates are a set.
    assert_eq!(
        P::from_field_names(["permShareObjects", "permShareObjects"]),
        Ok(P::SHARE_OBJECTS)
    );
    for permissions in [
        P::all(),
        P::empty(),
        P::SCAN | P::CREATE_TICKETS,
        P::SCAN_FULL | P::MANAGE_ACR,
    ] {
        assert_eq!(
            P::from_field_names(permissions.field_names()),
            Ok(permissions)
        );
        assert_eq!(
            P::from_field_names(permissions.requirement_names()),
            Ok(permissions)
        );
    }
}

#[test]
fn an_unknown_name_is_an_error_naming_it() {
    for name in [
        "",
        "permcreatetickets",
        "CREATE_TICKETS",
        "permFuture",
        " permScan",
        "permScan=max",
        "permScan=",
        "permCreateTickets=true",
    ] {
        assert_eq!(
            name.parse::<P>(),
            Err(RoleError::UnknownPermission(name.to_owned())),
            "{name:?}"
        );
    }
    let error = P::from_field_names(["permScan", "permFly", "permNope"]).unwrap_err();
    assert_eq!(error, RoleError::UnknownPermission("permFly".to_owned()));
    assert_eq!(
        error.to_string(),
        "unknown role permission `permFly`: expected a field name such as `permCreateTickets` (or `permScan=full`)"
    );
    assert_eq!(error.http_status(), 400);
    // A long name is echoed cut, like every echo.
    let long = "p".repeat(100);
    assert_eq!(
        long.parse::<P>(),
        Err(RoleError::UnknownPermission(format!("{}…", "p".repeat(64))))
    );
}
