//! The database schema of caregraph, as sea-orm migrations.
//!
//! One migrator serves SQLite and PostgreSQL. Tables are declared with sea-query so that both
//! backends get the same columns; full-text search is the one place where the backends differ
//! (an FTS5 table kept in step by triggers on SQLite, a generated `tsvector` column with a GIN
//! index on PostgreSQL).
#![warn(missing_docs)]
#![expect(
    elided_lifetimes_in_paths,
    reason = "MigrationTrait is an async_trait whose signature leaves SchemaManager's lifetime elided"
)]

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_tables;
mod m20261123_000002_add_fetch_validators;

/// Runs every migration of the schema, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_tables::Migration),
            Box::new(m20261123_000002_add_fetch_validators::Migration),
        ]
    }
}
