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

/// What a window does with undated rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Undated {
    /// A window leaves them out: a file dated by the window holds none (the exports, the
    /// GraphQL filters).
    #[default]
    Out,
    /// A window keeps them: the dashboard lists them below its chart, undrawn.
    Kept,
}

/// The rows a window selects: those whose span overlaps `[from, to]` (see [`overlaps`]), and
/// undated ones too when `undated` keeps them. No window selects every row.
pub fn within<C: ColumnTrait>(
    start: C,
    end: C,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    undated: Undated,
) -> Condition {
    if from.is_none() && to.is_none() {
        return Condition::all();
    }
    let dated = overlaps(start, end, from, to);
    match undated {
        Undated::Out => dated,
        Undated::Kept => Condition::any()
            .add(dated)
            .add(Condition::all().add(start.is_null()).add(end.is_null())),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use entity::milestone::Column as M;
    use sea_orm::sea_query::{Query, SqliteQueryBuilder};
    use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

    /// The IDs of the rows of a real SQLite table (id, start, end) that `cond` selects.
    async fn selected(rows: &[(i64, Option<&str>, Option<&str>)], cond: Condition) -> Vec<i64> {
        let db = Database::connect("sqlite::memory:")
            .await
            .expect("sqlite opens");
        db.execute_unprepared(
            "CREATE TABLE milestone (id INTEGER, start_date TEXT, end_date TEXT)",
        )
        .await
        .expect("table");
        for (id, start, end) in rows {
            db.execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "INSERT INTO milestone VALUES (?, ?, ?)",
                [(*id).into(), (*start).into(), (*end).into()],
            ))
            .await
            .expect("row");
        }
        let sql = Query::select()
            .column(M::Id)
            .from(entity::milestone::Entity)
            .cond_where(cond)
            .order_by(M::Id, sea_orm::Order::Asc)
            .to_string(SqliteQueryBuilder);
        db.query_all_raw(Statement::from_string(DbBackend::Sqlite, sql))
            .await
            .expect("select")
            .iter()
            .filter_map(|r| r.try_get_by_index::<i64>(0).ok())
            .collect()
    }

    #[tokio::test]
    async fn a_window_holds_the_rows_it_meets_and_keeps_undated_ones_only_when_asked() {
        let day = |d| NaiveDate::from_ymd_opt(2021, 11, d);
        let rows = [
            // 1: a deadline in the window; 2: undated; 3: ends the day before `from`;
            // 4: ends on `from`; 5: a start only, after the window.
            (1, None, Some("2021-11-20")),
            (2, None, None),
            (3, Some("2021-11-01"), Some("2021-11-14")),
            (4, Some("2021-11-01"), Some("2021-11-15")),
            (5, Some("2021-12-01"), None),
        ];
        let november = |undated| within(M::StartDate, M::EndDate, day(15), day(30), undated);
        assert_eq!(selected(&rows, november(Undated::Out)).await, [1, 4]);
        assert_eq!(selected(&rows, november(Undated::Kept)).await, [1, 2, 4]);
        let none = within(M::StartDate, M::EndDate, None, None, Undated::Out);
        assert_eq!(selected(&rows, none).await, [1, 2, 3, 4, 5]);
    }
}
