//! Organisation renames: an organisation the run brought in whose name shares enough words
//! with one it left named by no page is that organisation renamed (see
//! [`identity::renamed`]). It takes the old one's ID, in every table that names it, and the
//! new name's key is remembered (`organisation_rename`) so later runs find it too.

use std::collections::HashSet;

use entity::{mention, organisation, organisation_alias, organisation_rename, organisation_role};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::aliases::Aliases;
use crate::history::identity;

/// Gives each organisation named now but not in `before` (the organisations stored before the
/// run's first write, with their names) the ID of one in `before` that no page names now, where
/// the names are one organisation's; moves its `aliases` to that ID too.
pub(crate) async fn follow(
    db: &impl ConnectionTrait,
    before: &[(i64, String)],
    aliases: &mut Aliases,
) -> Result<(), DbErr> {
    // Named now: what a role names (an organisation without one is pruned).
    let named = super::prune::named(db).await?;
    let now: Vec<(i64, String)> = super::organisation_names(db)
        .await?
        .into_iter()
        .filter(|(id, _)| named.contains(id))
        .collect();
    let before_ids: HashSet<i64> = before.iter().map(|(id, _)| *id).collect();
    let gone: Vec<(i64, &str)> = before
        .iter()
        .filter(|(id, _)| !named.contains(id))
        .map(|(id, name)| (*id, name.as_str()))
        .collect();
    let new: Vec<(i64, &str)> = now
        .iter()
        .filter(|(id, _)| !before_ids.contains(id))
        .map(|(id, name)| (*id, name.as_str()))
        .collect();
    if gone.is_empty() || new.is_empty() {
        return Ok(());
    }
    for (from, to) in identity::renamed(&gone, &new) {
        // What the old organisation left behind goes, and the old row itself: it has no roles,
        // or it would be named.
        organisation_alias::Entity::delete_many()
            .filter(organisation_alias::Column::OrganisationId.eq(to))
            .exec(db)
            .await?;
        mention::Entity::delete_many()
            .filter(mention::Column::OrganisationId.eq(to))
            .exec(db)
            .await?;
        organisation::Entity::delete_by_id(to).exec(db).await?;
        organisation_role::Entity::update_many()
            .col_expr(organisation_role::Column::OrganisationId, Expr::value(to))
            .filter(organisation_role::Column::OrganisationId.eq(from))
            .exec(db)
            .await?;
        organisation_alias::Entity::update_many()
            .col_expr(organisation_alias::Column::OrganisationId, Expr::value(to))
            .filter(organisation_alias::Column::OrganisationId.eq(from))
            .exec(db)
            .await?;
        mention::Entity::update_many()
            .col_expr(mention::Column::OrganisationId, Expr::value(to))
            .filter(mention::Column::OrganisationId.eq(from))
            .exec(db)
            .await?;
        organisation::Entity::update_many()
            .col_expr(organisation::Column::Id, Expr::value(to))
            .filter(organisation::Column::Id.eq(from))
            .exec(db)
            .await?;
        organisation_rename::Entity::insert(organisation_rename::ActiveModel {
            from_id: Set(from),
            to_id: Set(to),
        })
        .on_conflict(
            OnConflict::column(organisation_rename::Column::FromId)
                .update_column(organisation_rename::Column::ToId)
                .to_owned(),
        )
        .exec(db)
        .await?;
        aliases.remove(&to);
        if let Some(moved) = aliases.remove(&from) {
            aliases.insert(to, moved);
        }
    }
    Ok(())
}
