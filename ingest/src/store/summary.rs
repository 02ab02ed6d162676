//! What a run did: its summary, as the run answers it and its `ingest_run` row keeps it.

use chrono::{DateTime, Utc};
use entity::ingest_run;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// What a run did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunSummary {
    /// The run's row ID.
    pub run_id: i64,
    /// Pages the run read.
    pub pages_seen: i32,
    /// Pages new to the database.
    pub added: i32,
    /// Pages whose content changed.
    pub changed: i32,
    /// Pages whose content was the same as stored.
    pub unchanged: i32,
    /// Stored pages the run no longer saw, now removed.
    pub removed: i32,
    /// Entities the run added, removed or changed: the change feed's new rows.
    pub changes: usize,
    /// Warnings raised while parsing.
    pub warnings: Vec<String>,
    /// Labelled sections of the pages read that no reader understood (each is also among
    /// `warnings`, one warning per page).
    pub unread_sections: usize,
    /// Pages that could not be fetched or parsed, each with why; their stored data is kept.
    pub failures: Vec<String>,
}

/// The most warnings, and the most failures, a run lists: past it, one more line counts those
/// left out, so that a page of 100,000 broken links stores kilobytes, not megabytes. A reader of
/// a run's lists (the GraphQL cost model) can count on it.
pub const MAX_LISTED: usize = 1_000;

/// `lines` cut to [`MAX_LISTED`], with a last line counting those left out.
pub(super) fn bounded(mut lines: Vec<String>) -> Vec<String> {
    if lines.len() > MAX_LISTED {
        let left_out = lines.len() - MAX_LISTED;
        lines.truncate(MAX_LISTED);
        lines.push(format!("… and {left_out} more not listed"));
    }
    lines
}

impl RunSummary {
    /// Records the summary, finished at `finished_at`, on its run's row.
    pub(super) async fn store(
        &self,
        db: &impl ConnectionTrait,
        finished_at: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        let summary = self;
        ingest_run::Entity::update_many()
            .col_expr(ingest_run::Column::FinishedAt, Expr::value(finished_at))
            .col_expr(
                ingest_run::Column::PagesSeen,
                Expr::value(summary.pages_seen),
            )
            .col_expr(ingest_run::Column::Added, Expr::value(summary.added))
            .col_expr(ingest_run::Column::Changed, Expr::value(summary.changed))
            .col_expr(
                ingest_run::Column::Unchanged,
                Expr::value(summary.unchanged),
            )
            .col_expr(ingest_run::Column::Removed, Expr::value(summary.removed))
            .col_expr(
                ingest_run::Column::Warnings,
                Expr::value(serde_json::to_string(&summary.warnings).unwrap_or_default()),
            )
            .col_expr(
                ingest_run::Column::Failures,
                Expr::value(serde_json::to_string(&summary.failures).unwrap_or_default()),
            )
            .filter(ingest_run::Column::Id.eq(summary.run_id))
            .exec(db)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_is_cut_with_a_count_of_what_is_left_out() {
        let lines = |n: usize| (0..n).map(|i| format!("line {i}")).collect::<Vec<_>>();
        assert_eq!(bounded(lines(3)), lines(3));
        assert_eq!(bounded(lines(MAX_LISTED)).len(), MAX_LISTED);
        let cut = bounded(lines(MAX_LISTED + 250));
        assert_eq!(cut.len(), MAX_LISTED + 1);
        assert_eq!(cut[MAX_LISTED - 1], format!("line {}", MAX_LISTED - 1));
        assert_eq!(cut[MAX_LISTED], "… and 250 more not listed");
    }
}
