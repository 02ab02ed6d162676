//! Organisations: which a query selects, by name.

use entity::{OrganisationRole, organisation, organisation_alias, organisation_role};
use sea_orm::sea_query::Query as SqlQuery;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Select};

use super::text::lower_like;

/// What selects organisations.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// Only organisations whose name, or one of whose aliases, contains this text (any case).
    pub name: Option<String>,
    /// Only organisations named in this role somewhere.
    pub role: Option<OrganisationRole>,
}

/// The organisations `q` selects, by name.
pub fn select(q: &Query) -> Select<organisation::Entity> {
    let mut select = organisation::Entity::find();
    if let Some(name) = &q.name {
        // By its name or by any of its aliases.
        select = select.filter(
            Condition::any()
                .add(lower_like(organisation::Column::Name, name))
                .add(
                    organisation::Column::Id.in_subquery(
                        SqlQuery::select()
                            .column(organisation_alias::Column::OrganisationId)
                            .from(organisation_alias::Entity)
                            .and_where(lower_like(organisation_alias::Column::Alias, name))
                            .to_owned(),
                    ),
                ),
        );
    }
    if let Some(role) = q.role {
        select = select.filter(
            organisation::Column::Id.in_subquery(
                SqlQuery::select()
                    .column(organisation_role::Column::OrganisationId)
                    .from(organisation_role::Entity)
                    .and_where(organisation_role::Column::Role.eq(role))
                    .to_owned(),
            ),
        );
    }
    select
        .order_by_asc(organisation::Column::Name)
        .order_by_asc(organisation::Column::Id)
}
