//! Pruning: organisations no page names in a role any more go, with their mentions and aliases.

use std::collections::HashSet;

use entity::{mention, organisation, organisation_alias, organisation_role};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use crate::store::rows::INSERT_BATCH;

/// The organisations some page names in a role: those pruning keeps.
pub(super) async fn named(db: &impl ConnectionTrait) -> Result<HashSet<i64>, DbErr> {
    Ok(organisation_role::Entity::find()
        .select_only()
        .column(organisation_role::Column::OrganisationId)
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Drops organisations that no page names in a role any more.
pub(crate) async fn organisations(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let with_roles = named(db).await?;
    let all: Vec<i64> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let orphans: Vec<i64> = all
        .into_iter()
        .filter(|id| !with_roles.contains(id))
        .collect();
    for chunk in orphans.chunks(INSERT_BATCH) {
        organisation::Entity::delete_many()
            .filter(organisation::Column::Id.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
        mention::Entity::delete_many()
            .filter(mention::Column::OrganisationId.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
        organisation_alias::Entity::delete_many()
            .filter(organisation_alias::Column::OrganisationId.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
    }
    Ok(())
}
