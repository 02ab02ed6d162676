//! Date windows: which rows a `[from, to]` window selects, one rule for every surface (the
//! GraphQL filters, the timeline, the dashboard and the exports).

use chrono::NaiveDate;
use entity::event;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, Condition};

/// Rows with a date whose span `[COALESCE(start, end), COALESCE(end, start)]` overlaps
/// `[from, to]`: a row dated only "by March 2024" spans its one known day. Undated rows are
/// always left out.
pub fn overlaps<C: ColumnTrait>(
    start: C,
    end: C,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Condition {
    let first = Func::coalesce([Expr::col(start), Expr::col(end)]);
    let last = Func::coalesce([Expr::col(end), Expr::col(start)]);
    let mut cond = Condition::all().add(
        Condition::any()
            .add(start.is_not_null())
            .add(end.is_not_null()),
    );
    if let Some(from) = from {
        cond = cond.add(Expr::expr(last).gte(from));
    }
    if let Some(to) = to {
        cond = cond.add(Expr::expr(first).lte(to));
    }
    cond
}

/// Events whose span overlaps `[from, to]`. An event always has its first day (`date`), so
/// unlike [`overlaps`] the window's end bounds that column itself, and the `event` index on
/// `(date, kind, end_date)` answers the window in the feed's order (counting it reads the
/// index alone).
pub fn event_window(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Condition {
    let mut cond = Condition::all();
    if let Some(to) = to {
        cond = cond.add(event::Column::Date.lte(to));
    }
    if let Some(from) = from {
        let last = Func::coalesce([
            Expr::col(event::Column::EndDate),
            Expr::col(event::Column::Date),
        ]);
        cond = cond.add(Expr::expr(last).gte(from));
    }
    cond
}
