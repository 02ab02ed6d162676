//! Ingest runs, newest first.

use chrono::{DateTime, Utc};
use entity::ingest_run;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder, Select};

/// Every ingest run, newest first.
pub fn select() -> Select<ingest_run::Entity> {
    ingest_run::Entity::find().order_by_desc(ingest_run::Column::Id)
}

/// When the latest ingest run finished, if any has.
///
/// # Errors
/// A database error.
pub async fn last_finished(db: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(select().one(db).await?.map(|r| r.finished_at))
}
