//! Update links: each progress update linked to the milestone of its commitment it reports on,
//! by words and dates (see [`link::assign`]), with the link's score, margin and evidence.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entity::{commitment, document, milestone, progress_update};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::date::find_date_in;
use crate::{ids, link};

/// Commitments relinked per step, so memory stays bounded however many there are.
const RELINK_CHUNK: u64 = 500;

/// Links every progress update to the milestone it reports on, by words and dates; answers a
/// warning for each update of a commitment with milestones that matches none of them well.
pub(crate) async fn relink(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
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
