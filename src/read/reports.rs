//! Progress reports: the one order of a milestone's reports, which the ingest's latest status
//! follows ([`ReportOrder`]) and every list of reports is read in.

use entity::progress_update::Column as P;
use sea_orm::sea_query::ExprTrait;
use sea_orm::sea_query::SimpleExpr;

pub use ingest::derive::{ReportOrder, report_order};

/// [`ReportOrder`] in SQL, ascending: undated reports first (oldest), then by report date, place
/// on the page and ID. It orders by `reported_on IS NOT NULL` rather than leave undated reports
/// where each backend puts NULLs (first on SQLite, last on PostgreSQL). `col` names a column of
/// the table as the statement reads it.
pub fn sql_order(col: impl Fn(P) -> SimpleExpr) -> Vec<SimpleExpr> {
    vec![
        col(P::ReportedOn).is_not_null(),
        col(P::ReportedOn),
        col(P::Position),
        col(P::Id),
    ]
}
