//! Storing a run: one transaction, idempotent, with IDs from natural keys.
//!
//! For each page: an unchanged body (same content hash) is left alone; a changed or new page
//! has every row it produced deleted and written again; a page the run no longer sees is
//! removed with its rows. Then the cross-page links (progress update to milestone, passage to
//! organisation, strategies and organisations no page names any more) are brought up to date,
//! and the run is recorded. All of it commits together or not at all.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    commitment, commitment_item, document, document_version, ingest_run, mention, milestone,
    organisation, organisation_role, passage, progress_update, strategy, strategy_element,
};
use indicatif::ProgressBar;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use crate::error::IngestError;
use crate::ids::stable_id;
use crate::kind::commitment::CommitmentFacts;
use crate::kind::progress_report::ReportFacts;
use crate::kind::strategy::StrategyFacts;
use crate::kind::{DocumentKind, commitment_natural_key, normalise_name};
use crate::link;
use crate::page::BlockKind;
use crate::pipeline::{Facts, ParsedPage};

/// What a run did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunSummary {
    /// The run's row ID.
    pub run_id: i64,
    /// Pages the run read.
    pub pages_seen: i32,
    /// Pages new to the database.
    pub added: i32,
    /// Pages whose content changed.
    pub changed: i32,
    /// Pages whose content was the same as stored.
    pub unchanged: i32,
    /// Stored pages the run no longer saw, now removed.
    pub removed: i32,
    /// Warnings raised while parsing.
    pub warnings: Vec<String>,
    /// Pages that could not be fetched or parsed, each with why; their stored data is kept.
    pub failures: Vec<String>,
}

/// How a run treats what it did not read.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Remove stored pages the run did not see: true for a snapshot, which is the whole
    /// dataset; false for a live crawl, where an unreachable page is not a removed one.
    pub remove_unseen: bool,
    /// Pages the server said were not modified (counted as unchanged).
    pub not_modified: usize,
    /// Pages that failed, with why.
    pub failures: Vec<String>,
}

/// Rows are inserted in batches this large, well under SQLite's bound-parameter limit.
const INSERT_BATCH: usize = 400;

async fn insert_all<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<(), DbErr>
where
    A: ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<A> = rows.by_ref().take(INSERT_BATCH).collect();
        <A::Entity as EntityTrait>::insert_many(batch)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The organisation ID for a name: names that differ only in case, "&"/"and" or apostrophes
/// are one organisation.
pub fn organisation_id(name: &str) -> i64 {
    stable_id("organisation", &normalise_name(name))
}

/// The strategy ID for a title, by the same normalisation.
pub fn strategy_id(title: &str) -> i64 {
    stable_id("strategy", &normalise_name(title))
}

/// The commitment ID for an action plan and number.
pub fn commitment_id(action_plan: &str, number: i32) -> i64 {
    stable_id("commitment", &commitment_natural_key(action_plan, number))
}

/// Documents buffered before their rows are written: enough for large batched inserts, few
/// enough that memory stays bounded however large the corpus.
const FLUSH_DOCUMENTS: usize = 200;

/// A run being stored: one open transaction that pages are added to one at a time, so a corpus
/// is streamed rather than held. Dropping a run without [`Run::finish`] rolls everything back.
pub struct Run {
    db: DatabaseConnection,
    txn: DatabaseTransaction,
    run_id: i64,
    existing: HashMap<String, String>,
    seen: HashSet<String>,
    rows: Rows,
    buffered: usize,
    added: i32,
    changed: i32,
    unchanged: i32,
    warnings: Vec<String>,
}

impl Run {
    /// Opens the run's transaction and records its start.
    ///
    /// # Errors
    /// A database error.
    pub async fn begin(
        db: &DatabaseConnection,
        source: &str,
        started_at: DateTime<Utc>,
    ) -> Result<Self, IngestError> {
        let txn = db.begin().await?;
        let existing: HashMap<String, String> = document::Entity::find()
            .select_only()
            .column(document::Column::Url)
            .column(document::Column::ContentHash)
            .into_tuple::<(String, String)>()
            .all(&txn)
            .await?
            .into_iter()
            .collect();
        let run_id = ingest_run::ActiveModel {
            started_at: Set(started_at),
            finished_at: Set(started_at),
            source: Set(source.to_owned()),
            pages_seen: Set(0),
            added: Set(0),
            changed: Set(0),
            unchanged: Set(0),
            removed: Set(0),
            warnings: Set("[]".to_owned()),
            failures: Set("[]".to_owned()),
            ..Default::default()
        }
        .insert(&txn)
        .await?
        .id;
        Ok(Self {
            db: db.clone(),
            txn,
            run_id,
            existing,
            seen: HashSet::new(),
            rows: Rows::default(),
            buffered: 0,
            added: 0,
            changed: 0,
            unchanged: 0,
            warnings: Vec::new(),
        })
    }

    /// Adds one parsed page: unchanged pages are left alone, changed and new ones are
    /// (re)written, in batches.
    ///
    /// # Errors
    /// A database error.
    pub async fn add(&mut self, page: &ParsedPage) -> Result<(), IngestError> {
        self.seen.insert(page.page.url.clone());
        self.warnings.extend(page.warnings.iter().cloned());
        match self.existing.get(&page.page.url) {
            Some(hash) if *hash == page.content_hash => {
                self.unchanged += 1;
                // Same content, perhaps new validators: keep them for the next conditional GET.
                document::Entity::update_many()
                    .col_expr(document::Column::Etag, Expr::value(page.etag.clone()))
                    .col_expr(
                        document::Column::LastModified,
                        Expr::value(page.last_modified.clone()),
                    )
                    .col_expr(
                        document::Column::SourceUrl,
                        Expr::value(Some(page.source_url.clone())),
                    )
                    .filter(document::Column::Url.eq(page.page.url.clone()))
                    .exec(&self.txn)
                    .await?;
                return Ok(());
            }
            Some(_) => {
                self.changed += 1;
                delete_document(&self.txn, stable_id("document", &page.page.url)).await?;
            }
            None => self.added += 1,
        }
        self.rows.add(page, self.run_id);
        self.buffered += 1;
        if self.buffered >= FLUSH_DOCUMENTS {
            std::mem::take(&mut self.rows).write(&self.txn).await?;
            self.buffered = 0;
        }
        Ok(())
    }

    /// Writes what is buffered, removes unseen pages if asked, brings the cross-page links up
    /// to date, records the run and commits.
    ///
    /// # Errors
    /// A database error; the run is rolled back.
    pub async fn finish(mut self, options: RunOptions) -> Result<RunSummary, IngestError> {
        std::mem::take(&mut self.rows).write(&self.txn).await?;
        let mut removed = 0;
        if options.remove_unseen {
            for url in self.existing.keys().filter(|u| !self.seen.contains(*u)) {
                delete_document(&self.txn, stable_id("document", url)).await?;
                removed += 1;
            }
        }
        let unchanged = self.unchanged + count(options.not_modified);
        if self.added + self.changed + removed > 0 {
            refresh_strategies(&self.txn).await?;
            relink_updates(&self.txn).await?;
            refresh_mentions(&self.txn).await?;
            prune_organisations(&self.txn).await?;
        }
        let mut summary = RunSummary {
            run_id: self.run_id,
            pages_seen: count(self.seen.len() + options.not_modified),
            added: self.added,
            changed: self.changed,
            unchanged,
            removed,
            warnings: self.warnings,
            failures: options.failures,
        };
        ingest_run::Entity::update_many()
            .col_expr(ingest_run::Column::FinishedAt, Expr::value(Utc::now()))
            .col_expr(
                ingest_run::Column::PagesSeen,
                Expr::value(summary.pages_seen),
            )
            .col_expr(ingest_run::Column::Added, Expr::value(summary.added))
            .col_expr(ingest_run::Column::Changed, Expr::value(summary.changed))
            .col_expr(
                ingest_run::Column::Unchanged,
                Expr::value(summary.unchanged),
            )
            .col_expr(ingest_run::Column::Removed, Expr::value(summary.removed))
            .col_expr(
                ingest_run::Column::Warnings,
                Expr::value(serde_json::to_string(&summary.warnings).unwrap_or_default()),
            )
            .col_expr(
                ingest_run::Column::Failures,
                Expr::value(serde_json::to_string(&summary.failures).unwrap_or_default()),
            )
            .filter(ingest_run::Column::Id.eq(self.run_id))
            .exec(&self.txn)
            .await?;
        self.txn.commit().await?;
        // The run is stored; an index that cannot follow is reported, and heals at the next
        // sync (the next run, or the server's start).
        if let Err(e) = crate::search_index::sync(&self.db).await {
            tracing::error!("{e}");
            summary
                .warnings
                .push(format!("{e}; search answers from the index as it was"));
        }
        Ok(summary)
    }
}

/// Stores parsed pages as one run (the live crawl's path: its pages are few and fetched first).
///
/// # Errors
/// Any database error; the transaction is rolled back and the stored data is as before.
pub async fn store_run(
    db: &DatabaseConnection,
    pages: &[ParsedPage],
    source: &str,
    started_at: DateTime<Utc>,
    bar: &ProgressBar,
    options: RunOptions,
) -> Result<RunSummary, IngestError> {
    let mut run = Run::begin(db, source, started_at).await?;
    for page in pages {
        run.add(page).await?;
        bar.inc(1);
    }
    run.finish(options).await
}

/// Deletes a document and every row read from it.
async fn delete_document(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    passage::Entity::delete_many()
        .filter(passage::Column::DocumentId.eq(id))
        .exec(db)
        .await?;
    mention::Entity::delete_many()
        .filter(mention::Column::DocumentId.eq(id))
        .exec(db)
        .await?;
    strategy_element::Entity::delete_many()
        .filter(strategy_element::Column::DocumentId.eq(id))
        .exec(db)
        .await?;
    commitment::Entity::delete_many()
        .filter(commitment::Column::DocumentId.eq(id))
        .exec(db)
        .await?;
    commitment_item::Entity::delete_many()
        .filter(commitment_item::Column::DocumentId.eq(id))
        .exec(db)
        .await?;
    milestone::Entity::delete_many()
        .filter(milestone::Column::DocumentId.eq(id))
        .exec(db)
        .await?;
    progress_update::Entity::delete_many()
        .filter(progress_update::Column::DocumentId.eq(id))
        .exec(db)
        .await?;
    organisation_role::Entity::delete_many()
        .filter(organisation_role::Column::DocumentId.eq(id))
        .exec(db)
        .await?;
    document::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// The rows a run writes, gathered first so each table gets batched inserts.
#[derive(Default)]
struct Rows {
    documents: Vec<document::Model>,
    versions: Vec<document_version::ActiveModel>,
    passages: Vec<passage::Model>,
    strategies: BTreeMap<i64, String>,
    elements: Vec<strategy_element::Model>,
    commitments: Vec<commitment::Model>,
    items: Vec<commitment_item::Model>,
    milestones: Vec<milestone::Model>,
    updates: Vec<progress_update::Model>,
    organisations: BTreeMap<i64, String>,
    roles: BTreeMap<i64, organisation_role::Model>,
}

fn position(i: usize) -> i32 {
    count(i)
}

impl Rows {
    fn add(&mut self, parsed: &ParsedPage, run_id: i64) {
        let page = &parsed.page;
        let doc_id = stable_id("document", &page.url);
        let mut strategy_id_of_doc = None;
        let mut commitment_id_of_doc = None;

        for (i, block) in page
            .blocks
            .iter()
            .filter(|b| !matches!(b.kind, BlockKind::Heading(_)))
            .enumerate()
        {
            self.passages.push(passage::Model {
                id: stable_id("passage", &format!("{}#{i}", page.url)),
                document_id: doc_id,
                position: position(i),
                anchor: block.anchor.clone(),
                headings: serde_json::to_string(&block.headings).unwrap_or_else(|_| "[]".into()),
                text: block.text.clone(),
            });
        }

        match &parsed.facts {
            Facts::Commitment(facts) => {
                commitment_id_of_doc = Some(self.add_commitment(doc_id, &page.url, facts));
            }
            Facts::Report(facts) => {
                commitment_id_of_doc = Some(self.add_report(doc_id, &page.url, facts));
            }
            Facts::Strategy(facts) => {
                strategy_id_of_doc = Some(self.add_strategy(doc_id, &page.url, facts));
            }
            Facts::PassagesOnly => {}
        }

        self.documents.push(document::Model {
            id: doc_id,
            url: page.url.clone(),
            publication_url: page.publication_url.clone(),
            title: page.title.clone(),
            publication_title: page.publication_title.clone(),
            kind: parsed.kind.as_str().to_owned(),
            site: page.site.as_str().to_owned(),
            published_on: page.published_on,
            fetched_at: parsed.fetched_at,
            content_hash: parsed.content_hash.clone(),
            strategy_id: strategy_id_of_doc,
            commitment_id: commitment_id_of_doc,
            source_url: Some(parsed.source_url.clone()),
            etag: parsed.etag.clone(),
            last_modified: parsed.last_modified.clone(),
        });
        self.versions.push(document_version::ActiveModel {
            document_id: Set(doc_id),
            url: Set(page.url.clone()),
            content_hash: Set(parsed.content_hash.clone()),
            fetched_at: Set(parsed.fetched_at),
            run_id: Set(run_id),
            ..Default::default()
        });
    }

    #[expect(clippy::too_many_arguments, reason = "one row's fields")]
    fn add_role(
        &mut self,
        doc_id: i64,
        url: &str,
        role: &str,
        name: &str,
        printed: &str,
        subject: (Option<i64>, Option<i64>),
        anchor: Option<String>,
    ) {
        if name.is_empty() {
            return;
        }
        let organisation_id = organisation_id(name);
        self.organisations
            .entry(organisation_id)
            .or_insert_with(|| name.to_owned());
        let id = stable_id(
            "organisation_role",
            &format!("{url}|{role}|{organisation_id}|{subject:?}"),
        );
        self.roles.insert(
            id,
            organisation_role::Model {
                id,
                organisation_id,
                document_id: doc_id,
                role: role.to_owned(),
                name_as_printed: printed.to_owned(),
                commitment_id: subject.0,
                strategy_id: subject.1,
                anchor,
            },
        );
    }

    fn add_commitment(&mut self, doc_id: i64, url: &str, facts: &CommitmentFacts) -> i64 {
        let id = commitment_id(&facts.action_plan, facts.number);
        let key = commitment_natural_key(&facts.action_plan, facts.number);
        self.commitments.push(commitment::Model {
            id,
            number: facts.number,
            action_plan: facts.action_plan.clone(),
            title: facts.title.clone(),
            period_text: facts.period.as_ref().map(|p| p.text.clone()),
            period_start: facts.period.as_ref().and_then(|p| p.start),
            period_end: facts.period.as_ref().and_then(|p| p.end),
            lead_directorate: facts.lead_directorate.as_ref().map(|(t, _)| t.clone()),
            document_id: doc_id,
            anchor: facts.anchor.clone(),
        });
        for (i, (kind, listed)) in facts.items.iter().enumerate() {
            self.items.push(commitment_item::Model {
                id: stable_id("commitment_item", &format!("{key}|{}|{i}", kind.as_str())),
                commitment_id: id,
                document_id: doc_id,
                kind: kind.as_str().to_owned(),
                position: position(i),
                text: listed.text.clone(),
                anchor: listed.anchor.clone(),
            });
        }
        for (i, m) in facts.milestones.iter().enumerate() {
            self.milestones.push(milestone::Model {
                id: stable_id("milestone", &format!("{key}|{i}")),
                commitment_id: id,
                document_id: doc_id,
                position: position(i),
                objective: m.objective.clone(),
                title: m.title.clone(),
                date_text: m.date.as_ref().map(|d| d.text.clone()),
                start_date: m.date.as_ref().and_then(|d| d.start),
                end_date: m.date.as_ref().and_then(|d| d.end),
                anchor: m.anchor.clone(),
            });
        }
        if let Some((printed, anchor)) = &facts.lead_directorate {
            // "Directorate for Healthcare Quality and Improvement, DG Health and Social Care":
            // the directorate, then the director-general's area it sits in.
            let name = printed.split(',').next().unwrap_or(printed).trim();
            self.add_role(
                doc_id,
                url,
                "LEAD_DIRECTORATE",
                name,
                printed,
                (Some(id), None),
                anchor.clone(),
            );
        }
        for listed in &facts.stakeholders {
            // "Community Justice Scotland /Shelter / Families Outside" names three.
            for name in listed.text.split('/').map(str::trim) {
                self.add_role(
                    doc_id,
                    url,
                    "CIVIL_SOCIETY_STAKEHOLDER",
                    name,
                    &listed.text,
                    (Some(id), None),
                    listed.anchor.clone(),
                );
            }
        }
        id
    }

    fn add_report(&mut self, doc_id: i64, url: &str, facts: &ReportFacts) -> i64 {
        let id = commitment_id(&facts.action_plan, facts.number);
        for (i, u) in facts.updates.iter().enumerate() {
            self.updates.push(progress_update::Model {
                id: stable_id("progress_update", &format!("{url}|{i}")),
                document_id: doc_id,
                commitment_id: id,
                position: position(i),
                report_title: facts.report_title.clone(),
                reported_on: facts.reported_on,
                milestone_heading: u.milestone_heading.clone(),
                activity: u.activity.clone(),
                text: u.text.clone(),
                status: u.status.clone(),
                milestone_id: None,
                anchor: u.anchor.clone(),
            });
        }
        id
    }

    fn add_strategy(&mut self, doc_id: i64, url: &str, facts: &StrategyFacts) -> i64 {
        let id = strategy_id(&facts.strategy_title);
        self.strategies
            .entry(id)
            .or_insert_with(|| facts.strategy_title.clone());
        let mut per_kind: HashMap<&str, usize> = HashMap::new();
        for e in &facts.elements {
            let n = per_kind.entry(e.kind.as_str()).or_default();
            self.elements.push(strategy_element::Model {
                id: stable_id(
                    "strategy_element",
                    &format!("{url}|{}|{n}", e.kind.as_str()),
                ),
                strategy_id: id,
                document_id: doc_id,
                kind: e.kind.as_str().to_owned(),
                position: position(*n),
                number: e.number,
                name: e.name.clone(),
                description: e.description.clone(),
                anchor: e.anchor.clone(),
            });
            *n += 1;
        }
        for p in &facts.partners {
            self.add_role(
                doc_id,
                url,
                "DELIVERY_PARTNER",
                &p.name,
                &p.printed,
                (None, Some(id)),
                p.anchor.clone(),
            );
        }
        id
    }

    async fn write(self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        let known_strategies: HashSet<i64> = strategy::Entity::find()
            .select_only()
            .column(strategy::Column::Id)
            .into_tuple::<i64>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let new_strategies = self
            .strategies
            .into_iter()
            .filter(|(id, _)| !known_strategies.contains(id))
            .map(|(id, title)| strategy::ActiveModel {
                id: Set(id),
                title: Set(title),
                published_on: Set(None),
            })
            .collect();
        insert_all(db, new_strategies).await?;

        let ids: Vec<i64> = self.organisations.keys().copied().collect();
        let mut known_orgs = HashSet::new();
        for chunk in ids.chunks(INSERT_BATCH) {
            known_orgs.extend(
                organisation::Entity::find()
                    .select_only()
                    .column(organisation::Column::Id)
                    .filter(organisation::Column::Id.is_in(chunk.iter().copied()))
                    .into_tuple::<i64>()
                    .all(db)
                    .await?,
            );
        }
        let new_orgs = self
            .organisations
            .into_iter()
            .filter(|(id, _)| !known_orgs.contains(id))
            .map(|(id, name)| organisation::ActiveModel {
                id: Set(id),
                name: Set(name),
            })
            .collect();
        insert_all(db, new_orgs).await?;

        insert_all(db, active(self.documents)).await?;
        insert_all(db, self.versions).await?;
        insert_all(db, active(self.passages)).await?;
        insert_all(db, active(self.elements)).await?;
        insert_all(db, active(self.commitments)).await?;
        insert_all(db, active(self.items)).await?;
        insert_all(db, active(self.milestones)).await?;
        insert_all(db, active(self.updates)).await?;
        insert_all(db, active(self.roles.into_values().collect())).await?;
        Ok(())
    }
}

fn active<M: IntoActiveModel<A>, A: ActiveModelTrait>(models: Vec<M>) -> Vec<A> {
    models
        .into_iter()
        .map(IntoActiveModel::into_active_model)
        .collect()
}

/// Drops strategies no document belongs to, and dates each from its own strategy pages.
async fn refresh_strategies(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let docs: Vec<(Option<i64>, String, Option<NaiveDate>)> = document::Entity::find()
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
        if kind == DocumentKind::Strategy.as_str()
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

/// Links every progress update to the milestone it reports on, by words and dates.
/// Commitments relinked per step, so memory stays bounded however many there are.
const RELINK_CHUNK: u64 = 500;

async fn relink_updates(db: &impl ConnectionTrait) -> Result<(), DbErr> {
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
        relink_commitments(db, &ids).await?;
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
    Ok(())
}

/// Links the progress updates of some commitments to their best-matching milestones.
async fn relink_commitments(db: &impl ConnectionTrait, ids: &[i64]) -> Result<(), DbErr> {
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
                start: m.start_date,
                end: m.end_date,
            });
    }
    let updates = progress_update::Entity::find()
        .filter(progress_update::Column::CommitmentId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    for u in updates {
        let found = crate::date::find_date(&u.activity);
        let mut activity = u.activity.clone();
        if let Some(f) = &found {
            activity.replace_range(f.range.clone(), " ");
        }
        let dates = found.map(|f| (f.date.start, f.date.end));
        let best = by_commitment
            .get(&u.commitment_id)
            .and_then(|c| link::best_match(&link::words(&activity), dates, c));
        if best != u.milestone_id {
            progress_update::Entity::update_many()
                .col_expr(progress_update::Column::MilestoneId, Expr::value(best))
                .filter(progress_update::Column::Id.eq(u.id))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

/// Passages read per step when recomputing mentions, so memory stays bounded.
const MENTION_CHUNK: u64 = 5_000;

/// Recomputes which passages name which organisations, a chunk of passages at a time.
async fn refresh_mentions(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    mention::Entity::delete_many().exec(db).await?;
    let orgs = organisation::Entity::find().all(db).await?;
    let mut after = i64::MIN;
    loop {
        let chunk: Vec<(i64, i64, String)> = passage::Entity::find()
            .select_only()
            .column(passage::Column::Id)
            .column(passage::Column::DocumentId)
            .column(passage::Column::Text)
            .filter(passage::Column::Id.gt(after))
            .order_by_asc(passage::Column::Id)
            .limit(MENTION_CHUNK)
            .into_tuple()
            .all(db)
            .await?;
        let Some(last) = chunk.last() else { break };
        after = last.0;
        let mut rows = Vec::new();
        for (passage_id, document_id, text) in &chunk {
            for org in &orgs {
                if link::names(text, &org.name) {
                    rows.push(mention::ActiveModel {
                        organisation_id: Set(org.id),
                        passage_id: Set(*passage_id),
                        document_id: Set(*document_id),
                    });
                }
            }
        }
        insert_all(db, rows).await?;
    }
    Ok(())
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
    }
    Ok(())
}
