//! Documents: which a query selects, by URL.

use entity::{DocumentKind, document};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Select};

/// What selects documents.
#[derive(Clone, Copy, Debug, Default)]
pub struct Query {
    /// Only documents of this kind.
    pub kind: Option<DocumentKind>,
    /// Only documents of this strategy (its row ID).
    pub strategy: Option<i64>,
    /// Only documents about this commitment (its row ID): its overview and progress reports.
    pub commitment: Option<i64>,
}

/// The documents `q` selects, by URL.
pub fn select(q: Query) -> Select<document::Entity> {
    let mut select = document::Entity::find();
    if let Some(kind) = q.kind {
        select = select.filter(document::Column::Kind.eq(kind));
    }
    if let Some(id) = q.strategy {
        select = select.filter(document::Column::StrategyId.eq(id));
    }
    if let Some(id) = q.commitment {
        select = select.filter(document::Column::CommitmentId.eq(id));
    }
    select.order_by_asc(document::Column::Url)
}
