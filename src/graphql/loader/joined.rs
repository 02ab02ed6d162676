//! The loaders that join: each reads in one statement what the by-column loaders would read
//! in several, one after the other.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::{document, milestone, organisation, organisation_role, progress_update};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query, SelectStatement};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult, IdenStatic, Iterable,
};

/// The organisations holding roles under a commitment or a strategy (`column` of
/// `organisation_role`), each with its role, in role order: one join, where loading the roles
/// and then their organisations would take two statements, one after the other.
pub struct RoleHolders {
    pub(super) db: DatabaseConnection,
    pub(super) column: organisation_role::Column,
}

/// One organisation in one role.
#[derive(Clone, Debug)]
pub struct RoleHolder {
    /// The role.
    pub role: entity::OrganisationRole,
    /// The organisation.
    pub organisation: organisation::Model,
}

impl Loader<i64> for RoleHolders {
    type Value = Vec<RoleHolder>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        use organisation as o;
        use organisation_role as r;
        let select = Query::select()
            .expr_as(Expr::col((r::Entity, self.column)), "key")
            .column((r::Entity, r::Column::Role))
            .column((o::Entity, o::Column::Id))
            .column((o::Entity, o::Column::Name))
            .from(r::Entity)
            .inner_join(
                o::Entity,
                Expr::col((o::Entity, o::Column::Id))
                    .equals((r::Entity, r::Column::OrganisationId)),
            )
            .and_where(Expr::col((r::Entity, self.column)).is_in(keys.iter().copied()))
            .order_by((r::Entity, r::Column::Id), sea_orm::Order::Asc)
            .to_owned();
        let rows = self
            .db
            .query_all_raw(self.db.get_database_backend().build(&select))
            .await?;
        let mut grouped: HashMap<i64, Vec<RoleHolder>> = HashMap::new();
        for row in rows {
            grouped
                .entry(row.try_get("", "key")?)
                .or_default()
                .push(RoleHolder {
                    role: row.try_get("", "role")?,
                    organisation: o::Model {
                        id: row.try_get("", "id")?,
                        name: row.try_get("", "name")?,
                    },
                });
        }
        Ok(grouped)
    }
}

/// Reads `E`'s columns into `select` from `table`, each named `{prefix}{column}`, so a
/// joined row holds several models side by side (read back with `from_query_result(row, prefix)`).
fn columns_as<E: EntityTrait>(select: &mut SelectStatement, table: &str, prefix: &str) {
    for column in E::Column::iter() {
        select.expr_as(
            Expr::col((Alias::new(table), column)),
            Alias::new(format!("{prefix}{}", column.as_str())),
        );
    }
}

/// A commitment's milestones in page order, each with its progress updates (oldest report
/// first) and the documents both were read from: one statement for the three levels a linked
/// query asks for, where the level-by-level loaders take three, one after the
/// other.
pub struct MilestoneTrees {
    pub(super) db: DatabaseConnection,
}

/// What was read with a milestone. Shared, not copied: the loader's answer is cloned for every
/// request that asked for it.
#[derive(Debug)]
pub struct ReadAhead {
    /// The page it was read from.
    pub document: Arc<document::Model>,
    /// Its progress updates, each with the page it was read from.
    pub updates: Vec<(progress_update::Model, Arc<document::Model>)>,
}

impl Loader<i64> for MilestoneTrees {
    type Value = Vec<(milestone::Model, Arc<ReadAhead>)>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        use document as d;
        use milestone as m;
        use progress_update as u;
        let (m_t, md_t, u_t, ud_t) = ("m", "md", "u", "ud");
        let mut select = Query::select();
        columns_as::<m::Entity>(&mut select, m_t, "m_");
        columns_as::<d::Entity>(&mut select, md_t, "md_");
        columns_as::<u::Entity>(&mut select, u_t, "u_");
        columns_as::<d::Entity>(&mut select, ud_t, "ud_");
        select
            .from_as(m::Entity, Alias::new(m_t))
            .join_as(
                JoinType::InnerJoin,
                d::Entity,
                Alias::new(md_t),
                Expr::col((Alias::new(md_t), d::Column::Id))
                    .equals((Alias::new(m_t), m::Column::DocumentId)),
            )
            .join_as(
                JoinType::LeftJoin,
                u::Entity,
                Alias::new(u_t),
                Expr::col((Alias::new(u_t), u::Column::MilestoneId))
                    .equals((Alias::new(m_t), m::Column::Id)),
            )
            .join_as(
                JoinType::LeftJoin,
                d::Entity,
                Alias::new(ud_t),
                Expr::col((Alias::new(ud_t), d::Column::Id))
                    .equals((Alias::new(u_t), u::Column::DocumentId)),
            )
            .and_where(
                Expr::col((Alias::new(m_t), m::Column::CommitmentId)).is_in(keys.iter().copied()),
            );
        // The orders of `milestones_by_commitment` and `updates_by_milestone`, IDs breaking ties.
        let milestone_order = crate::read::milestones::PAGE_ORDER;
        for c in std::iter::once(m::Column::CommitmentId).chain(milestone_order) {
            select.order_by((Alias::new(m_t), c), sea_orm::Order::Asc);
        }
        for expr in crate::read::reports::sql_order(|c| Expr::col((Alias::new(u_t), c))) {
            select.order_by_expr(expr, sea_orm::Order::Asc);
        }
        let rows = self
            .db
            .query_all_raw(self.db.get_database_backend().build(&select))
            .await?;
        let mut grouped: HashMap<i64, Vec<(milestone::Model, ReadAhead)>> = HashMap::new();
        // A page's row is read once per request, not once per fact read from it.
        let mut documents: HashMap<i64, Arc<document::Model>> = HashMap::new();
        let mut document = |row: &sea_orm::QueryResult, prefix: &str| -> Result<_, DbErr> {
            let id: i64 = row.try_get(prefix, "id")?;
            if let Some(doc) = documents.get(&id) {
                return Ok(Arc::clone(doc));
            }
            let doc = Arc::new(d::Model::from_query_result(row, prefix)?);
            documents.insert(id, Arc::clone(&doc));
            Ok(doc)
        };
        for row in rows {
            let milestone_id: i64 = row.try_get("m_", "id")?;
            let commitment_id: i64 = row.try_get("m_", "commitment_id")?;
            let trees = grouped.entry(commitment_id).or_default();
            if trees.last().is_none_or(|(m, _)| m.id != milestone_id) {
                trees.push((
                    m::Model::from_query_result(&row, "m_")?,
                    ReadAhead {
                        document: document(&row, "md_")?,
                        updates: Vec::new(),
                    },
                ));
            }
            let update_id: Option<i64> = row.try_get("u_", "id")?;
            if update_id.is_some()
                && let Some((_, ahead)) = trees.last_mut()
            {
                ahead.updates.push((
                    u::Model::from_query_result(&row, "u_")?,
                    document(&row, "ud_")?,
                ));
            }
        }
        Ok(grouped
            .into_iter()
            .map(|(key, trees)| {
                let shared = trees.into_iter().map(|(m, a)| (m, Arc::new(a))).collect();
                (key, shared)
            })
            .collect())
    }
}

/// The end (or due) date each milestone or workstream had before the latest ingest that moved
/// it, from the change feed: one or no date per key.
pub struct PreviousEnds {
    pub(super) db: DatabaseConnection,
}

impl Loader<i64> for PreviousEnds {
    type Value = Vec<chrono::NaiveDate>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        use crate::read::history::previous_ends;
        use crate::read::ids::NodeType;
        let mut out = HashMap::new();
        for kind in [NodeType::Milestone, NodeType::Workstream] {
            for (id, day) in previous_ends(&self.db, kind, Some(keys)).await? {
                out.insert(id, vec![day]);
            }
        }
        Ok(out)
    }
}
