//! Rows gathered from pages, and how they reach the database: batched inserts, and deleting a
//! page's rows when it changed or went away.
//!
//! Page kinds push the models they read into a [`Rows`] batch; the run writes the batch when it
//! is large enough, so each table gets a few large inserts instead of one per row.

use std::collections::{BTreeMap, HashMap, HashSet};

use entity::{
    EventKind, OrganisationRole, SubjectType, commitment, commitment_item, document,
    document_version, event, mention, milestone, organisation, organisation_rename,
    organisation_role, passage, progress_update, strategy, strategy_commitment, strategy_element,
    version_text, workstream,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QuerySelect, Set,
};

use crate::{ids, link};

/// Rows are inserted in batches this large, well under SQLite's bound-parameter limit.
pub(crate) const INSERT_BATCH: usize = 400;

/// Inserts rows in batches of [`INSERT_BATCH`].
pub(crate) async fn insert_all<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<(), DbErr>
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

/// A count or a position as the `INTEGER` columns hold it; no page comes near the bound.
pub fn saturating_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// What an organisation's role is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A commitment, by ID.
    Commitment(i64),
    /// A strategy, by ID.
    Strategy(i64),
    /// A workstream (by ID) of a plan delivering a strategy (by ID).
    Workstream {
        /// The strategy the plan delivers.
        strategy: i64,
        /// The workstream.
        workstream: i64,
    },
}

impl Subject {
    /// The role row's `commitment_id`, `strategy_id` and `workstream_id`.
    fn columns(self) -> (Option<i64>, Option<i64>, Option<i64>) {
        match self {
            Self::Commitment(id) => (Some(id), None, None),
            Self::Strategy(id) => (None, Some(id), None),
            Self::Workstream {
                strategy,
                workstream,
            } => (None, Some(strategy), Some(workstream)),
        }
    }
}

/// The rows read from pages, gathered so each table gets batched inserts. Organisations,
/// strategies and roles are keyed by ID, since several pages (or one page, several times) name
/// the same one.
#[derive(Default)]
pub struct Rows {
    /// One per page.
    pub documents: Vec<document::Model>,
    /// One per page written, recording the copy and the run.
    pub versions: Vec<document_version::ActiveModel>,
    /// What the versions said, by text hash (see [`crate::texts`]); inserted if new.
    pub texts: BTreeMap<String, Vec<u8>>,
    /// Paragraphs and list items.
    pub passages: Vec<passage::Model>,
    /// Strategies named, with their titles as first printed; inserted if new.
    pub strategies: BTreeMap<i64, String>,
    /// Named parts of strategies.
    pub elements: Vec<strategy_element::Model>,
    /// Commitments.
    pub commitments: Vec<commitment::Model>,
    /// Listed items of commitments.
    pub items: Vec<commitment_item::Model>,
    /// Milestones of commitments.
    pub milestones: Vec<milestone::Model>,
    /// Progress updates.
    pub updates: Vec<progress_update::Model>,
    /// Organisations named, with their names as first printed; inserted if new.
    pub organisations: BTreeMap<i64, String>,
    /// Organisations' roles.
    pub roles: BTreeMap<i64, organisation_role::Model>,
    /// Delivery-plan workstreams.
    pub workstreams: Vec<workstream::Model>,
    /// Strategy commitments.
    pub strategy_commitments: Vec<strategy_commitment::Model>,
    /// Timeline events a page states itself (a co-creation page's dated meetings), by ID; the
    /// other events are derived after the run.
    pub events: BTreeMap<i64, event::Model>,
    /// Strategies that pages say replaced theirs: (the page's strategy, the replacing
    /// publication's canonical URL), resolved after the run when that publication is stored.
    pub superseded_by: Vec<(i64, String)>,
}

impl Rows {
    /// Adds an organisation named in a role on page `url` (document `document_id`), and the
    /// organisation itself. A blank name adds nothing. A name printed with its acronym
    /// ("Scottish Action for Mental Health (SAMH)") names the organisation by the full name
    /// alone, so it keeps the ID it has where a page prints no acronym; the acronym becomes an
    /// alias in the pass after the run (`derive::aliases`).
    #[expect(clippy::too_many_arguments, reason = "one row's fields")]
    pub fn add_role(
        &mut self,
        document_id: i64,
        url: &str,
        role: OrganisationRole,
        name: &str,
        printed: &str,
        subject: Subject,
        anchor: Option<String>,
    ) {
        let name = link::acronym_form(name).map_or(name, |(full, _)| full);
        if name.is_empty() {
            return;
        }
        let organisation_id = ids::organisation(name);
        self.organisations
            .entry(organisation_id)
            .or_insert_with(|| name.to_owned());
        let (commitment_id, strategy_id, workstream_id) = subject.columns();
        let id = match workstream_id {
            Some(workstream) => ids::workstream_lead(workstream, organisation_id),
            None => ids::organisation_role(url, role, organisation_id, commitment_id, strategy_id),
        };
        self.roles.insert(
            id,
            organisation_role::Model {
                id,
                organisation_id,
                document_id,
                role,
                name_as_printed: printed.to_owned(),
                commitment_id,
                strategy_id,
                anchor,
                workstream_id,
            },
        );
    }

    /// Names that earlier runs found to be organisations renamed stand for those
    /// organisations (see `identity`): their roles move to the kept IDs.
    async fn follow_renames(&mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        let ids: Vec<i64> = self.organisations.keys().copied().collect();
        let mut renamed = HashMap::new();
        for chunk in ids.chunks(INSERT_BATCH) {
            renamed.extend(
                organisation_rename::Entity::find()
                    .filter(organisation_rename::Column::FromId.is_in(chunk.iter().copied()))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|r| (r.from_id, r.to_id)),
            );
        }
        if renamed.is_empty() {
            return Ok(());
        }
        let kept = |id: i64| renamed.get(&id).copied().unwrap_or(id);
        self.organisations = std::mem::take(&mut self.organisations)
            .into_iter()
            .map(|(id, name)| (kept(id), name))
            .collect();
        for role in self.roles.values_mut() {
            role.organisation_id = kept(role.organisation_id);
        }
        Ok(())
    }

    /// Moves `other`'s rows into these.
    pub(crate) fn append(&mut self, mut other: Self) {
        self.documents.append(&mut other.documents);
        self.versions.append(&mut other.versions);
        self.texts.append(&mut other.texts);
        self.passages.append(&mut other.passages);
        for (id, title) in other.strategies {
            self.strategies.entry(id).or_insert(title);
        }
        self.elements.append(&mut other.elements);
        self.commitments.append(&mut other.commitments);
        self.items.append(&mut other.items);
        self.milestones.append(&mut other.milestones);
        self.updates.append(&mut other.updates);
        for (id, name) in other.organisations {
            self.organisations.entry(id).or_insert(name);
        }
        self.roles.append(&mut other.roles);
        self.workstreams.append(&mut other.workstreams);
        self.strategy_commitments
            .append(&mut other.strategy_commitments);
        self.events.append(&mut other.events);
        self.superseded_by.append(&mut other.superseded_by);
    }

    /// Inserts the rows: strategies and organisations not stored yet, then everything else.
    pub(crate) async fn write(mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        self.follow_renames(db).await?;
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
                superseded_by_url: Set(None),
                superseded_by_id: Set(None),
            })
            .collect();
        insert_all(db, new_strategies).await?;
        for (id, url) in self.superseded_by {
            strategy::Entity::update_many()
                .col_expr(strategy::Column::SupersededByUrl, Expr::value(url))
                .filter(strategy::Column::Id.eq(id))
                .exec(db)
                .await?;
        }

        let known_orgs = stored::<organisation::Entity, _>(
            db,
            organisation::Column::Id,
            self.organisations.keys().copied(),
        )
        .await?;
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

        let known_texts = stored::<version_text::Entity, _>(
            db,
            version_text::Column::TextHash,
            self.texts.keys().cloned(),
        )
        .await?;
        let new_texts = self
            .texts
            .into_iter()
            .filter(|(hash, _)| !known_texts.contains(hash))
            .map(|(text_hash, passages)| version_text::ActiveModel {
                text_hash: Set(text_hash),
                passages: Set(passages),
            })
            .collect();
        insert_all(db, new_texts).await?;

        insert_all(db, active(self.documents)).await?;
        insert_all(db, self.versions).await?;
        insert_all(db, active(self.passages)).await?;
        insert_all(db, active(self.elements)).await?;
        insert_all(db, active(self.commitments)).await?;
        insert_all(db, active(self.items)).await?;
        insert_all(db, active(self.milestones)).await?;
        insert_all(db, active(self.updates)).await?;
        insert_all(db, active(self.roles.into_values().collect())).await?;
        insert_all(db, active(self.workstreams)).await?;
        insert_all(db, active(self.strategy_commitments)).await?;
        insert_all(db, active(self.events.into_values().collect())).await?;
        Ok(())
    }
}

/// Which of `keys` (values of `column`, a table's key) are stored already: rows shared between
/// pages (organisations, version texts) are inserted only when new.
async fn stored<E, K>(
    db: &impl ConnectionTrait,
    column: E::Column,
    keys: impl Iterator<Item = K>,
) -> Result<HashSet<K>, DbErr>
where
    E: EntityTrait,
    K: Into<sea_orm::Value> + sea_orm::TryGetable + std::hash::Hash + Eq + Clone,
{
    let keys: Vec<K> = keys.collect();
    let mut known = HashSet::new();
    for chunk in keys.chunks(INSERT_BATCH) {
        let found: Vec<K> = E::find()
            .select_only()
            .column(column)
            .filter(column.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        known.extend(found);
    }
    Ok(known)
}

fn active<M: IntoActiveModel<A>, A: ActiveModelTrait>(models: Vec<M>) -> Vec<A> {
    models
        .into_iter()
        .map(IntoActiveModel::into_active_model)
        .collect()
}

/// Deletes a document and every row read from it (a page that changed, before it is written
/// again, or one a snapshot run no longer has).
pub(crate) async fn delete_document(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
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
    workstream::Entity::delete_many()
        .filter(workstream::Column::DocumentId.eq(id))
        .exec(db)
        .await?;
    strategy_commitment::Entity::delete_many()
        .filter(strategy_commitment::Column::DocumentId.eq(id))
        .exec(db)
        .await?;
    event::Entity::delete_many()
        .filter(event::Column::Kind.eq(EventKind::CoCreationEvent))
        .filter(event::Column::SubjectType.eq(SubjectType::Document))
        .filter(event::Column::SubjectId.eq(id))
        .exec(db)
        .await?;
    document::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}
