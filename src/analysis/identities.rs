//! The identities a table's own figures must satisfy: see [`crate::ingest::verify`], where they are
//! counted as each report is imported (the per-table verdicts) and from where the audit checks
//! share the hierarchy rule.

pub use crate::ingest::verify::{Identities, Miss, children_of, count};
