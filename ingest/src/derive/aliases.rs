//! Aliases: the acronyms pages print after organisations' names, and organisations named only
//! by such an acronym folded into the one it abbreviates.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use entity::{organisation, organisation_alias, organisation_role, passage};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Set,
};

use super::mentions::scan_passages;
use crate::store::rows::insert_all;
use crate::{ids, link};

/// Each organisation's aliases, by organisation ID.
pub(crate) type Aliases = BTreeMap<i64, BTreeSet<String>>;

/// Learns organisations' aliases from every stored page, and folds an organisation a page
/// names only by an alias into the one it abbreviates; answers the aliases.
///
/// Wherever a page prints an organisation's name followed by an acronym in brackets ("Glasgow
/// Disability Alliance (GDA)", in a role or in any passage), the acronym is its alias. A role
/// naming the acronym alone ("GDA", maybe on another page) then moves to that organisation, and
/// the organisation named by the acronym goes: one organisation, found by either name. The one
/// named in full keeps its ID. An acronym that two organisations share ("MECOPP", expanded two
/// ways) names neither, and roles naming it alone stay where they are.
pub(crate) async fn resolve(db: &impl ConnectionTrait) -> Result<Aliases, DbErr> {
    organisation_alias::Entity::delete_many().exec(db).await?;
    let orgs = organisation::Entity::find().all(db).await?;
    let mut aliases = Aliases::new();
    let printed: Vec<(i64, String)> = organisation_role::Entity::find()
        .select_only()
        .column(organisation_role::Column::OrganisationId)
        .column(organisation_role::Column::NameAsPrinted)
        .into_tuple()
        .all(db)
        .await?;
    for (id, printed) in &printed {
        if let Some((full, acronym)) = link::acronym_form(printed)
            && ids::organisation(full) == *id
        {
            aliases.entry(*id).or_default().insert(acronym.to_owned());
        }
    }
    // Organisations named only by an acronym ("NES"), whose full name a passage may print
    // before it in brackets.
    let acronym_named: Vec<&organisation::Model> =
        orgs.iter().filter(|o| link::is_acronym(&o.name)).collect();
    let mut expansions: HashMap<i64, BTreeMap<String, String>> = HashMap::new();
    // An acronym is printed in brackets, so only passages holding one can teach an alias: the
    // scan reads those, not every passage a second time.
    scan_passages(
        db,
        Condition::all().add(passage::Column::Text.contains("(")),
        |chunk| {
            for (_, _, text) in chunk {
                for org in &orgs {
                    for acronym in link::acronyms_after(text, &org.name) {
                        aliases
                            .entry(org.id)
                            .or_default()
                            .insert(acronym.to_owned());
                    }
                }
                for org in &acronym_named {
                    for full in link::expansions_before(text, &org.name) {
                        expansions
                            .entry(org.id)
                            .or_default()
                            .entry(ids::normalise_name(full))
                            .or_insert_with(|| full.to_owned());
                    }
                }
            }
            Vec::new()
        },
    )
    .await?;
    // An acronym expanded one way only names the organisation of that full name: it becomes
    // that organisation's alias (the organisation is added if no role names it in full), and
    // the roles naming the acronym move to it below.
    let known_aliases: HashSet<String> = aliases
        .values()
        .flatten()
        .map(|a| ids::normalise_name(a))
        .collect();
    for org in &acronym_named {
        let Some(found) = expansions.get(&org.id) else {
            continue;
        };
        let [(_, full)] = found.iter().collect::<Vec<_>>()[..] else {
            continue;
        };
        if known_aliases.contains(&ids::normalise_name(&org.name)) {
            continue;
        }
        let full_id = ids::organisation(full);
        if !orgs.iter().any(|o| o.id == full_id) {
            organisation::Entity::insert(organisation::ActiveModel {
                id: Set(full_id),
                name: Set(full.clone()),
            })
            .exec_without_returning(db)
            .await?;
        }
        aliases.entry(full_id).or_default().insert(org.name.clone());
    }
    // An alias that is the organisation's own name says nothing.
    for org in &orgs {
        if let Some(a) = aliases.get_mut(&org.id) {
            let own = ids::normalise_name(&org.name);
            a.retain(|alias| ids::normalise_name(alias) != own);
        }
    }
    aliases.retain(|_, a| !a.is_empty());

    let mut holders: HashMap<String, Vec<i64>> = HashMap::new();
    for (id, a) in &aliases {
        for alias in a {
            holders
                .entry(ids::normalise_name(alias))
                .or_default()
                .push(*id);
        }
    }
    for org in &orgs {
        let Some([full]) = holders
            .get(&ids::normalise_name(&org.name))
            .map(Vec::as_slice)
        else {
            continue;
        };
        if *full == org.id {
            continue;
        }
        organisation_role::Entity::update_many()
            .col_expr(
                organisation_role::Column::OrganisationId,
                Expr::value(*full),
            )
            .filter(organisation_role::Column::OrganisationId.eq(org.id))
            .exec(db)
            .await?;
        organisation::Entity::delete_by_id(org.id).exec(db).await?;
        aliases.remove(&org.id);
    }
    let rows = aliases
        .iter()
        .flat_map(|(id, a)| {
            a.iter().map(|alias| organisation_alias::ActiveModel {
                organisation_id: Set(*id),
                alias: Set(alias.clone()),
            })
        })
        .collect();
    insert_all(db, rows).await?;
    Ok(aliases)
}
