//! Keyset paging: the rows after a row, in an order of columns that ends in a unique one, read a
//! page at a time. Each page is one indexed range read however deep it is, where `OFFSET`
//! reads and drops every row before it, and a row written between two pages cannot shift the
//! next page (an offset would repeat or skip one).

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, ModelTrait, QueryFilter,
    QueryOrder, QuerySelect, Select, Value,
};

/// A row's key: its values of the order's columns, in that order.
pub type Key = Vec<Value>;

/// `select` in the order of `columns`, ascending.
pub fn ordered<E: EntityTrait>(select: Select<E>, columns: &[E::Column]) -> Select<E> {
    columns
        .iter()
        .fold(select, |select, column| select.order_by_asc(*column))
}

/// Rows after `key` in the order of `columns` (a row-value comparison, which both backends
/// answer from an index on those columns).
pub fn after<C: ColumnTrait>(columns: &[C], key: Key) -> Condition {
    let columns = columns.iter().map(|c| Expr::col(*c));
    let values = key.into_iter().map(Expr::val);
    Condition::all().add(Expr::tuple(columns).gt(Expr::tuple(values)))
}

/// The key of `row` in the order of `columns`.
pub fn key_of<M: ModelTrait>(row: &M, columns: &[<M::Entity as EntityTrait>::Column]) -> Key {
    columns.iter().map(|c| row.get(*c)).collect()
}

/// Up to `limit` rows of `E` that `cond` selects, after `after` (from the first when `None`) in
/// the order of `columns`, with the last one's key; `None` past the last page.
///
/// # Errors
/// A database error.
pub async fn page<E: EntityTrait>(
    db: &impl ConnectionTrait,
    mut cond: Condition,
    columns: &[E::Column],
    after_key: Option<Key>,
    limit: u64,
) -> Result<Option<(Vec<E::Model>, Key)>, DbErr> {
    if let Some(key) = after_key {
        cond = cond.add(after(columns, key));
    }
    let rows = ordered(E::find().filter(cond), columns)
        .limit(limit)
        .all(db)
        .await?;
    let Some(last) = rows.last().map(|r| key_of(r, columns)) else {
        return Ok(None);
    };
    Ok(Some((rows, last)))
}
