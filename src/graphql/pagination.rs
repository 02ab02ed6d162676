//! Pagination: Relay cursor connections, the pages requests ask for, what they cost, and one
//! page of a root connection read in SQL ([`paged`]), shared between requests that ask for the
//! same at the same time.
//!
//! A cursor encodes an offset, base64url-encoded like node IDs; clients must treat it as an
//! opaque string.

use async_graphql::connection::{Connection, ConnectionNameType, Edge, EdgeNameType, EmptyFields};
use async_graphql::{Context, OutputType, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::{EntityTrait, PaginatorTrait, QuerySelect, QueryTrait, Select};

use super::context::ApiContext;
use super::error::ApiError;

/// The default page size of connections.
pub const DEFAULT_PAGE_SIZE: i32 = 20;
/// The largest page a connection serves; asking for more is an error, not a silent cap.
pub const MAX_PAGE_SIZE: i32 = 100;

/// Fields every connection has besides its edges.
#[derive(SimpleObject)]
pub struct ConnectionTotal {
    /// How many items the whole connection holds, across all pages.
    pub total_count: i32,
}

/// A Relay cursor connection with `totalCount` and `nodes`.
pub type Conn<N> = Connection<String, N, ConnectionTotal, EmptyFields>;

/// [`Conn`] under names of the contract's choosing rather than its node type's
/// (`EventConnection` of `TimelineEvent`s).
pub type NamedConn<N, C, E> = Connection<String, N, ConnectionTotal, EmptyFields, C, E>;

/// The names of the events feed's connection and edge types.
pub struct EventConnectionName;

impl ConnectionNameType for EventConnectionName {
    fn type_name<T: OutputType>() -> String {
        "EventConnection".to_owned()
    }
}

impl EdgeNameType for EventConnectionName {
    fn type_name<T: OutputType>() -> String {
        "EventEdge".to_owned()
    }
}

/// The same connection under other type names.
pub fn renamed<N, C, E>(conn: Conn<N>) -> NamedConn<N, C, E>
where
    N: OutputType,
    C: ConnectionNameType,
    E: EdgeNameType,
{
    let mut out = Connection::with_additional_fields(
        conn.has_previous_page,
        conn.has_next_page,
        conn.additional_fields,
    );
    out.edges
        .extend(conn.edges.into_iter().map(|e| Edge::new(e.cursor, e.node)));
    out
}

/// Which slice of a connection a request wants.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    /// Items to skip.
    pub offset: usize,
    /// Items to return.
    pub limit: usize,
}

impl Page {
    /// Checks `first` and `after`.
    ///
    /// # Errors
    /// `first` below 0 or above [`MAX_PAGE_SIZE`], or a cursor this server did not issue.
    pub fn new(first: Option<i32>, after: Option<&str>) -> Result<Self, ApiError> {
        let first = first.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(0..=MAX_PAGE_SIZE).contains(&first) {
            return Err(ApiError::BadUserInput(format!(
                "`first` must be between 0 and {MAX_PAGE_SIZE}, got {first}"
            )));
        }
        let offset = match after {
            Some(c) => decode_cursor(c)? + 1,
            None => 0,
        };
        Ok(Self {
            offset,
            limit: usize::try_from(first).unwrap_or(0),
        })
    }
}

/// What a connection field costs: `first` (or the default page size) times what one node
/// costs, plus one for the connection itself. Used in `complexity` attributes.
pub fn connection_cost(first: Option<i32>, child_complexity: usize) -> usize {
    let n = usize::try_from(first.unwrap_or(DEFAULT_PAGE_SIZE).max(0)).unwrap_or(0);
    n.saturating_mul(child_complexity).saturating_add(1)
}

/// What an unpaged list field (an organisation's roles, a strategy's aims, ...) is counted as,
/// for cost: such lists are short on the real pages but not bounded by the request, so nesting
/// them must not be free.
pub const LIST_COST: usize = 10;

/// The cost of an unpaged list field: [`LIST_COST`] items.
pub fn list_cost(child_complexity: usize) -> usize {
    LIST_COST.saturating_mul(child_complexity).saturating_add(1)
}

/// Builds a connection from one page of items and the total.
pub fn connection<N: OutputType>(items: Vec<N>, total: usize, page: Page) -> Conn<N> {
    let has_next = page.offset + items.len() < total;
    let mut conn = Connection::with_additional_fields(
        page.offset > 0,
        has_next,
        ConnectionTotal {
            total_count: i32::try_from(total).unwrap_or(i32::MAX),
        },
    );
    conn.edges.extend(
        items
            .into_iter()
            .enumerate()
            .map(|(i, node)| Edge::new(cursor(page.offset + i), node)),
    );
    conn
}

/// Builds a connection from every item, keeping one page.
pub fn slice<N: OutputType>(all: Vec<N>, page: Page) -> Conn<N> {
    let total = all.len();
    let items = all.into_iter().skip(page.offset).take(page.limit).collect();
    connection(items, total, page)
}

/// The cursor of the item at `offset`.
pub fn cursor(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("cursor:{offset}"))
}

/// Reads a cursor.
///
/// # Errors
/// A cursor this server did not issue is [`ApiError::BadUserInput`].
pub fn decode_cursor(cursor: &str) -> Result<usize, ApiError> {
    let bad = || ApiError::BadUserInput(format!("{cursor:?} is not a valid cursor"));
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix("cursor:")
        .and_then(|n| n.parse().ok())
        .ok_or_else(bad)
}

/// A count as a `u64` (for SQL's `OFFSET` and `LIMIT`, or a cache weight), saturating.
pub fn usize_to_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_forgeries() {
        assert_eq!(decode_cursor(&cursor(7)).ok(), Some(7));
        assert!(decode_cursor("eA").is_err());
    }
}
