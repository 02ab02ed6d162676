//! The passes over the whole database that follow a run's page writes: what one page says
//! changes what is true across pages (an update's milestone, a passage's organisations, a
//! strategy's date), so these recompute it from every stored page, in the run's transaction.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use entity::{
    DocumentKind, commitment, document, mention, milestone, organisation, organisation_alias,
    organisation_role, passage, progress_update, strategy,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::rows::{INSERT_BATCH, insert_all};
use crate::date::find_date_in;
use crate::{ids, link};

/// Brings every cross-page fact up to date with the pages stored; answers warnings about what
/// could not be linked (progress updates that match no milestone of their commitment).
pub(crate) async fn run_all(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    super::family::refresh(db).await?;
    refresh_strategies(db).await?;
    let mut warnings = relink_updates(db).await?;
    let aliases = resolve_aliases(db).await?;
    warnings.extend(super::leads::split_run_together(db, &aliases).await?);
    refresh_mentions(db, &aliases).await?;
    prune_organisations(db).await?;
    super::events::refresh(db).await?;
    Ok(warnings)
}

/// Drops strategies no document belongs to, and dates each from its own strategy pages.
async fn refresh_strategies(db: &impl ConnectionTrait) -> Result<(), DbErr> {
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

/// Commitments relinked per step, so memory stays bounded however many there are.
const RELINK_CHUNK: u64 = 500;

/// Links every progress update to the milestone it reports on, by words and dates; answers a
/// warning for each update of a commitment with milestones that matches none of them well.
async fn relink_updates(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    let mut warnings = Vec::new();
    let mut after = i64::MIN;
    loop {
        let ids: Vec<i64> = commitment::Entity::find()
            .select_only()
            .column(commitment::Column::Id)
            .filter(commitment::Column::Id.gt(after))
            .order_by_asc(commitment::Column::Id)
            .limit(RELINK_CHUNK)
            .into_tuple()
            .all(db)
            .await?;
        let Some(&last) = ids.last() else { break };
        after = last;
        relink_commitments(db, &ids, &mut warnings).await?;
    }
    // Updates of a commitment no longer stored (its overview removed) link to nothing.
    progress_update::Entity::update_many()
        .col_expr(
            progress_update::Column::MilestoneId,
            Expr::value(Option::<i64>::None),
        )
        .filter(progress_update::Column::MilestoneId.is_not_null())
        .filter(
            progress_update::Column::CommitmentId.not_in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(commitment::Column::Id)
                    .from(commitment::Entity)
                    .to_owned(),
            ),
        )
        .exec(db)
        .await?;
    Ok(warnings)
}

/// The words of `text` without its date phrase, and that phrase's dates; a phrase without a
/// year is read against `reported_on`, the date of the report that printed it.
fn words_and_dates(text: &str, reported_on: Option<NaiveDate>) -> (HashSet<String>, Option<Dates>) {
    let found = find_date_in(text, reported_on);
    let mut rest = text.to_owned();
    if let Some(f) = &found {
        rest.replace_range(f.range.clone(), " ");
    }
    (
        link::words(&rest),
        found.map(|f| (f.date.start, f.date.end)),
    )
}

type Dates = (Option<NaiveDate>, Option<NaiveDate>);

/// Links the progress updates of some commitments to their milestones, one report at a time,
/// by all the evidence each update gives (see [`link::assign`]); keeps each link's score,
/// margin and evidence, and warns of the updates left unlinked.
async fn relink_commitments(
    db: &impl ConnectionTrait,
    ids: &[i64],
    warnings: &mut Vec<String>,
) -> Result<(), DbErr> {
    let milestones = milestone::Entity::find()
        .filter(milestone::Column::CommitmentId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let mut by_commitment: HashMap<i64, Vec<link::Candidate>> = HashMap::new();
    for m in milestones {
        let date_words = m.date_text.as_deref().map(link::words).unwrap_or_default();
        by_commitment
            .entry(m.commitment_id)
            .or_default()
            .push(link::Candidate {
                id: m.id,
                words: link::words(&m.title)
                    .difference(&date_words)
                    .cloned()
                    .collect(),
                objective: m.objective.as_deref().map(link::words).unwrap_or_default(),
                title: m.title,
                start: m.start_date,
                end: m.end_date,
            });
    }
    let updates = progress_update::Entity::find()
        .filter(progress_update::Column::CommitmentId.is_in(ids.iter().copied()))
        .order_by_asc(progress_update::Column::DocumentId)
        .order_by_asc(progress_update::Column::Position)
        .all(db)
        .await?;
    let urls: HashMap<i64, String> = document::Entity::find()
        .select_only()
        .column(document::Column::Id)
        .column(document::Column::Url)
        .filter(
            document::Column::Id.is_in(
                updates
                    .iter()
                    .map(|u| u.document_id)
                    .collect::<HashSet<_>>(),
            ),
        )
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    // One report (a document's updates, of one commitment) at a time.
    let mut reports: Vec<Vec<progress_update::Model>> = Vec::new();
    for u in updates {
        match reports.last_mut() {
            Some(r)
                if r[0].document_id == u.document_id && r[0].commitment_id == u.commitment_id =>
            {
                r.push(u);
            }
            _ => reports.push(vec![u]),
        }
    }
    for report in reports {
        let Some(candidates) = report
            .first()
            .and_then(|u| by_commitment.get(&u.commitment_id))
        else {
            continue;
        };
        let evidence: Vec<link::Update> = report.iter().map(evidence_of).collect();
        let decisions = link::assign(&evidence, candidates);
        let title = |id: i64| {
            candidates
                .iter()
                .find(|c| c.id == id)
                .map_or("", |c| c.title.as_str())
        };
        for (u, decision) in report.iter().zip(decisions) {
            let url = urls.get(&u.document_id).map_or("", String::as_str);
            let named = if u.activity.is_empty() {
                &u.milestone_heading
            } else {
                &u.activity
            };
            let (milestone, score, margin, evidence) = match decision {
                link::Decision::Linked {
                    milestone,
                    score,
                    margin,
                    evidence,
                } => (
                    Some(milestone),
                    Some(thousandths(score)),
                    Some(thousandths(margin)),
                    Some(
                        evidence
                            .iter()
                            .map(|e| e.name())
                            .collect::<Vec<_>>()
                            .join(","),
                    ),
                ),
                link::Decision::Close(a, b) => {
                    warnings.push(format!(
                        "{url}: the update on {named:?} ({:?}) fits two milestones about as well, {:?} and {:?}; left unlinked",
                        u.report_title,
                        title(a),
                        title(b)
                    ));
                    (None, None, None, None)
                }
                link::Decision::Unmatched => {
                    warnings.push(format!(
                        "{url}: the update on {named:?} ({:?}) matches no milestone of its commitment well enough; left unlinked",
                        u.report_title
                    ));
                    (None, None, None, None)
                }
            };
            let same = milestone == u.milestone_id
                && score == u.link_score
                && margin == u.link_margin
                && evidence == u.link_evidence;
            if !same {
                progress_update::Entity::update_many()
                    .col_expr(progress_update::Column::MilestoneId, Expr::value(milestone))
                    .col_expr(progress_update::Column::LinkScore, Expr::value(score))
                    .col_expr(progress_update::Column::LinkMargin, Expr::value(margin))
                    .col_expr(progress_update::Column::LinkEvidence, Expr::value(evidence))
                    .filter(progress_update::Column::Id.eq(u.id))
                    .exec(db)
                    .await?;
            }
        }
    }
    Ok(())
}

/// What an update gives to match it by: its activity and milestone sentence, each without its
/// date phrase and with that phrase's dates, and the words of its text.
fn evidence_of(u: &progress_update::Model) -> link::Update {
    let (activity_words, activity_dates) = words_and_dates(&u.activity, u.reported_on);
    let (heading_words, heading_dates) = words_and_dates(&u.milestone_heading, u.reported_on);
    let mut text_words = link::words(&u.text);
    if let Some(next) = &u.next_steps {
        text_words.extend(link::words(next));
    }
    link::Update {
        heading: ids::normalise_name(&u.milestone_heading),
        heading_words,
        heading_dates,
        activity_words,
        activity_dates,
        text_words,
    }
}

/// A score in thousandths, as stored.
fn thousandths(score: f64) -> i32 {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "scores are small and rounded"
    )]
    let t = (score * 1000.0).round() as i32;
    t
}

/// Passages read per step when scanning them (for aliases, for mentions), so memory stays
/// bounded.
const MENTION_CHUNK: u64 = 5_000;

/// Hands every passage `only` selects, as (ID, document ID, text), to `each` a chunk at a time,
/// so memory stays bounded; inserts the mentions `each` answers.
async fn scan_passages(
    db: &impl ConnectionTrait,
    only: Condition,
    mut each: impl FnMut(&[(i64, i64, String)]) -> Vec<mention::ActiveModel>,
) -> Result<(), DbErr> {
    let mut after = i64::MIN;
    loop {
        let chunk: Vec<(i64, i64, String)> = passage::Entity::find()
            .select_only()
            .column(passage::Column::Id)
            .column(passage::Column::DocumentId)
            .column(passage::Column::Text)
            .filter(only.clone())
            .filter(passage::Column::Id.gt(after))
            .order_by_asc(passage::Column::Id)
            .limit(MENTION_CHUNK)
            .into_tuple()
            .all(db)
            .await?;
        let Some(last) = chunk.last() else { break };
        after = last.0;
        insert_all(db, each(&chunk)).await?;
    }
    Ok(())
}

/// Recomputes which passages name which organisations, a chunk of passages at a time.
async fn refresh_mentions(db: &impl ConnectionTrait, aliases: &Aliases) -> Result<(), DbErr> {
    mention::Entity::delete_many().exec(db).await?;
    let orgs = organisation::Entity::find().all(db).await?;
    scan_passages(db, Condition::all(), |chunk| {
        let mut rows = Vec::new();
        for (passage_id, document_id, text) in chunk {
            for org in &orgs {
                let by_alias = || {
                    aliases
                        .get(&org.id)
                        .is_some_and(|a| a.iter().any(|a| link::names(text, a)))
                };
                if link::names(text, &org.name) || by_alias() {
                    rows.push(mention::ActiveModel {
                        organisation_id: Set(org.id),
                        passage_id: Set(*passage_id),
                        document_id: Set(*document_id),
                    });
                }
            }
        }
        rows
    })
    .await?;
    Ok(())
}

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
async fn resolve_aliases(db: &impl ConnectionTrait) -> Result<Aliases, DbErr> {
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

/// Drops organisations that no page names in a role any more.
async fn prune_organisations(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let with_roles: HashSet<i64> = organisation_role::Entity::find()
        .select_only()
        .column(organisation_role::Column::OrganisationId)
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
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
