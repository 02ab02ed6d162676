//! The ingest runs: when the data was last read.

use chrono::{DateTime, Utc};
use entity::ingest_run;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, QueryOrder};

/// When the latest ingest run finished; `None` before the first.
pub async fn latest_finished(db: &DatabaseConnection) -> Result<Option<DateTime<Utc>>, DbErr> {
    let latest = ingest_run::Entity::find()
        .order_by_desc(ingest_run::Column::Id)
        .one(db)
        .await?;
    Ok(latest.map(|r| r.finished_at))
}
