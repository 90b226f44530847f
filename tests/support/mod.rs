//! Random generators shared by the integration tests, defined once here. A test file
//! includes them with `mod support;` and uses what it needs:
//!
//! - [`permissions`]: layers 1–2 (scopes, scope sets, scan levels, role permissions, roles);
//! - [`world`]: small worlds (a few users and teams, values drawn from small pools so that
//!   rules, assets and targets meet often) and the policies built from them;
//! - [`values`]: rules, principals, access groups, assets and targets spread over every rule
//!   type and operator, over whole address spaces and over tiny alphabets (so that terms
//!   overlap and nest), for the index and the wire formats; `plan_policies.rs` draws the
//!   same terms and values with hostile texts (`Texts::HOSTILE`) for the query plans.
//!
//! (`example_binary.rs` beside this file is included by path by the two tests of the
//! command-line example; the reference model's generators and conversions are in
//! `tests/model/`.)

// Every test binary that includes this module uses only part of it; the rest would be
// reported as dead code in that binary.
#![allow(dead_code)]

pub mod permissions;
pub mod values;
pub mod world;
