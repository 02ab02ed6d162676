//! Strategy dates: a strategy is published when its own pages are, and a strategy no stored
//! document belongs to any more goes.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{DocumentKind, document, strategy};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

/// Drops strategies no document belongs to, and dates each from its own strategy pages.
pub(crate) async fn refresh(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let docs: Vec<(Option<i64>, DocumentKind, Option<NaiveDate>)> = document::Entity::find()
        .select_only()
        .column(document::Column::StrategyId)
        .column(document::Column::Kind)
        .column(document::Column::PublishedOn)
        .filter(document::Column::StrategyId.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    let mut dates: HashMap<i64, Option<NaiveDate>> = HashMap::new();
    for (id, kind, published) in docs {
        let Some(id) = id else { continue };
        let entry = dates.entry(id).or_default();
        // A strategy is published when its own pages are, not when a plan delivering it is.
        if kind == DocumentKind::Strategy
            && let Some(p) = published
        {
            *entry = Some(entry.map_or(p, |e| e.min(p)));
        }
    }
    strategy::Entity::delete_many()
        .filter(strategy::Column::Id.is_not_in(dates.keys().copied()))
        .exec(db)
        .await?;
    for (id, published_on) in dates {
        strategy::Entity::update_many()
            .col_expr(strategy::Column::PublishedOn, Expr::value(published_on))
            .filter(strategy::Column::Id.eq(id))
            .exec(db)
            .await?;
    }
    Ok(())
}
