//! The database schema of caregraph, as sea-orm migrations.
//!
//! One migrator serves SQLite and PostgreSQL. Tables are declared with sea-query so that both
//! backends get the same columns; full-text search is the one place where the backends differ: a
//! generated `tsvector` column with a GIN index on PostgreSQL, and on SQLite an index outside the
//! database (the FTS5 table of the first migration is dropped by the third).
#![warn(missing_docs)]
#![expect(
    elided_lifetimes_in_paths,
    reason = "MigrationTrait is an async_trait whose signature leaves SchemaManager's lifetime elided"
)]

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_tables;
mod m20261123_000002_add_fetch_validators;
mod m20261123_000003_search_outside_sqlite;
mod m20261201_000004_delivery_statuses;
mod m20261201_000005_organisation_aliases;
mod m20261202_000006_delivery_plans;
mod m20261202_000007_events;
mod m20261202_000008_changes;
mod m20261202_000009_keyset_indexes;
mod m20261203_000010_unread_sections;
mod m20261203_000011_link_confidence;
mod m20261204_000012_milestone_latest_status;
mod m20261204_000013_version_texts;

/// Runs every migration of the schema, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_tables::Migration),
            Box::new(m20261123_000002_add_fetch_validators::Migration),
            Box::new(m20261123_000003_search_outside_sqlite::Migration),
            Box::new(m20261201_000004_delivery_statuses::Migration),
            Box::new(m20261201_000005_organisation_aliases::Migration),
            Box::new(m20261202_000006_delivery_plans::Migration),
            Box::new(m20261202_000007_events::Migration),
            Box::new(m20261202_000008_changes::Migration),
            Box::new(m20261202_000009_keyset_indexes::Migration),
            Box::new(m20261203_000010_unread_sections::Migration),
            Box::new(m20261203_000011_link_confidence::Migration),
            Box::new(m20261204_000012_milestone_latest_status::Migration),
            Box::new(m20261204_000013_version_texts::Migration),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_names_never_change() {
        // The names are what a database records as applied: a renamed migration would run again.
        let names: Vec<String> = Migrator::migrations()
            .iter()
            .map(|m| m.name().to_owned())
            .collect();
        assert_eq!(
            names,
            [
                "m20261123_000001_create_tables",
                "m20261123_000002_add_fetch_validators",
                "m20261123_000003_search_outside_sqlite",
                "m20261201_000004_delivery_statuses",
                "m20261201_000005_organisation_aliases",
                "m20261202_000006_delivery_plans",
                "m20261202_000007_events",
                "m20261202_000008_changes",
                "m20261202_000009_keyset_indexes",
                "m20261203_000010_unread_sections",
                "m20261203_000011_link_confidence",
                "m20261204_000012_milestone_latest_status",
                "m20261204_000013_version_texts",
            ]
        );
    }
}
