//! Root connections read in SQL: one page of a selection (already filtered and ordered), or every
//! row of one, shared between requests that ask for the same at the same time.

use async_graphql::{Context, OutputType};
use sea_orm::{EntityTrait, PaginatorTrait, QuerySelect, QueryTrait, Select};

use super::context::ApiContext;
use super::error::ApiError;
use super::pagination::{Conn, Page, connection, usize_to_u64};

/// Every row `select` selects.
pub async fn all<E: EntityTrait>(
    ctx: &Context<'_>,
    select: Select<E>,
) -> Result<Vec<E::Model>, ApiError> {
    Ok(select.all(ctx.db()?).await?)
}

/// Whether the connection being resolved is asked for its `totalCount`, which costs a count
/// of every match.
pub fn asks_total(ctx: &Context<'_>) -> bool {
    ctx.look_ahead().field("totalCount").exists()
}

/// One page of a root connection selected in SQL (already filtered and ordered). The whole
/// selection is counted only when the request asks for `totalCount`; otherwise one row past
/// the page tells whether another page follows. Requests asking for the same page at the same
/// time share its statements ([`in_flight`](super::in_flight)).
pub async fn paged<E, N>(
    ctx: &Context<'_>,
    select: Select<E>,
    page: Page,
    node: fn(E::Model) -> N,
) -> Result<Conn<N>, ApiError>
where
    E: EntityTrait,
    E::Model: Sync,
    N: OutputType,
{
    let services = ctx.services()?;
    let db = services.db.clone();
    let backend = db.get_database_backend();
    let reads = &services.reads;
    let since = ctx.arrived();
    let total = if asks_total(ctx) {
        let (count, db) = (select.clone(), db.clone());
        let n = reads
            .read(&select.build(backend), since, async move {
                count.count(&db).await
            })
            .await?;
        Some(usize::try_from(*n).unwrap_or(usize::MAX))
    } else {
        None
    };
    let select = select
        .offset(usize_to_u64(page.offset))
        .limit(usize_to_u64(page.limit.saturating_add(1)));
    let statement = select.build(backend);
    let run = statement.clone();
    let rows = reads
        .read(&statement, since, async move {
            E::find().from_raw_sql(run).all(&db).await
        })
        .await?;
    let more = rows.len() > page.limit;
    let nodes: Vec<N> = rows.iter().take(page.limit).cloned().map(node).collect();
    // Without a count, the total is what the request has seen: enough for `hasNextPage`.
    let total = total.unwrap_or(page.offset + nodes.len() + usize::from(more));
    Ok(connection(nodes, total, page))
}
