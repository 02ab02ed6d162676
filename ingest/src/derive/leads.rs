//! Workstream leads run together: a plan's table cell that prints two bodies on one line
//! ("... Care Division COSLA") is named as one organisation when read. After a run, with every
//! name and alias the corpus gives known, such a lead is split where one known name ends and
//! the other begins, or where a known acronym ends it ("... Digital Office SCVO", when a page
//! prints "Full Name (SCVO)"): the words before it are then a body of their own. One that
//! seems to (a longer name ending in an acronym) but cannot be split is kept as printed, with a
//! warning.

use std::collections::HashMap;

use entity::{OrganisationRole, document, organisation, organisation_role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QuerySelect, Set,
};

use super::aliases::Aliases;
use crate::ids;
use crate::link::is_acronym;

/// Splits workstream leads that run two known organisations together; answers a warning for
/// each lead that seems to but could not be split.
pub(crate) async fn split_run_together(
    db: &impl ConnectionTrait,
    aliases: &Aliases,
) -> Result<Vec<String>, DbErr> {
    let orgs: HashMap<i64, String> = super::organisation_names(db).await?.into_iter().collect();
    // Every name and alias, normalised, to its organisation; a name two share names neither.
    let mut known: HashMap<String, Option<i64>> = HashMap::new();
    let names = orgs.iter().map(|(id, name)| (*id, name.as_str()));
    let alias_names = aliases
        .iter()
        .flat_map(|(id, a)| a.iter().map(move |alias| (*id, alias.as_str())));
    for (id, name) in names.chain(alias_names) {
        known
            .entry(ids::normalise_name(name))
            .and_modify(|holder| {
                if *holder != Some(id) {
                    *holder = None;
                }
            })
            .or_insert(Some(id));
    }
    let lookup = |name: &str| known.get(&ids::normalise_name(name)).copied().flatten();
    let leads = organisation_role::Entity::find()
        .filter(organisation_role::Column::Role.eq(OrganisationRole::WorkstreamLead))
        .filter(organisation_role::Column::WorkstreamId.is_not_null())
        .all(db)
        .await?;
    let mut printings: HashMap<i64, usize> = HashMap::new();
    for (organisation, n) in organisation_role::Entity::find()
        .select_only()
        .column(organisation_role::Column::OrganisationId)
        .column_as(organisation_role::Column::Id.count(), "n")
        .group_by(organisation_role::Column::OrganisationId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
    {
        printings.insert(organisation, usize::try_from(n).unwrap_or(usize::MAX));
    }
    let mut warnings = Vec::new();
    for role in leads {
        let (Some(name), Some(workstream)) = (orgs.get(&role.organisation_id), role.workstream_id)
        else {
            continue;
        };
        let words: Vec<&str> = name.split_whitespace().collect();
        // A name printed once, or ending in an acronym, may be two run together; one printed
        // often ("NHS National Services Scotland") is a body of its own.
        let once = printings.get(&role.organisation_id).copied().unwrap_or(0) <= 1;
        let split = (1..words.len()).rev().find_map(|i| {
            let (head, tail) = (words[..i].join(" "), words[i..].join(" "));
            if !once && !is_acronym(&tail) {
                return None;
            }
            let b = lookup(&tail)?;
            match lookup(&head) {
                Some(a) => (a != role.organisation_id && b != role.organisation_id && a != b)
                    .then_some((a, None)),
                // "... Digital Office SCVO", where another page expands "SCVO": the known
                // acronym ends it, and the words before it are a body of their own.
                None if is_acronym(&tail) && i >= 2 && b != role.organisation_id => {
                    Some((ids::organisation(&head), Some(head)))
                }
                None => None,
            }
            .map(|(a, new)| (a, b, new))
        });
        let Some((first, second, new_name)) = split else {
            // It seems to run two together when a longer name ends in an acronym ("... Division
            // QXZ"). Not when it merely goes on after another's name: "Harbour Digital Care
            // Division" may be the "Harbour Digital Care" of another year, renamed.
            let ends_in_acronym = words.len() > 2 && words.last().is_some_and(|w| is_acronym(w));
            if ends_in_acronym {
                let url = document::Entity::find_by_id(role.document_id)
                    .select_only()
                    .column(document::Column::Url)
                    .into_tuple::<String>()
                    .one(db)
                    .await?
                    .unwrap_or_default();
                warnings.push(format!(
                    "{url}: the workstream lead {name:?} seems to name two bodies run together, \
                     but no known organisation's name ends where another's begins: kept as one"
                ));
            }
            continue;
        };
        if let Some(name) = new_name
            && organisation::Entity::find_by_id(first)
                .one(db)
                .await?
                .is_none()
        {
            organisation::ActiveModel {
                id: Set(first),
                name: Set(name),
            }
            .insert(db)
            .await?;
        }
        let old_id = role.id;
        for organisation_id in [first, second] {
            let id = ids::workstream_lead(workstream, organisation_id);
            if organisation_role::Entity::find_by_id(id)
                .one(db)
                .await?
                .is_none()
            {
                let mut row = role.clone();
                row.id = id;
                row.organisation_id = organisation_id;
                row.into_active_model().insert(db).await?;
            }
        }
        organisation_role::Entity::delete_by_id(old_id)
            .exec(db)
            .await?;
        // Nothing else names the run-together organisation: it is pruned after this pass.
    }
    Ok(warnings)
}
