//! The strategy family, recomputed after every run from the pages stored: which strategy each
//! publication belongs to, which aims and priority areas are one element stated on several
//! pages, and which strategy replaced which.
//!
//! - Every page of a publication belongs to one strategy. A delivery plan belongs to the
//!   strategy it delivers: the strategy publication whose aims and priority areas it restates
//!   (most names in common; a tie goes to the later strategy). A plan that restates none keeps
//!   the strategy its own pages name, the one named by most of them.
//! - Within a strategy, aims with one number, and priority areas with one number or one name,
//!   are one element: the statement on the strategy's own pages (else the first page's) is the
//!   element, and the others point at it through `canonical_id`.
//! - A strategy whose page names the publication that replaced it (`superseded_by_url`) is
//!   superseded by that publication's strategy, once it is stored.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use entity::{
    DocumentKind, StrategyElementKind, document, organisation_role, strategy, strategy_commitment,
    strategy_element, workstream,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

/// A document as the family pass needs it.
struct Doc {
    id: i64,
    publication: String,
    kind: DocumentKind,
    strategy: Option<i64>,
    published_on: Option<NaiveDate>,
}

/// An aim or priority area as the family pass needs it.
struct Element {
    id: i64,
    document: i64,
    kind: StrategyElementKind,
    number: Option<i32>,
    name: String,
    position: i32,
}

/// The words of an element's name that identify it: lower case, letters and digits only, a
/// "Priority four" or "Aim 2" label dropped.
pub(crate) fn element_key(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let skip = match words.first().map(String::as_str) {
        Some("priority" | "aim") if words.len() > 2 => 2,
        _ => 0,
    };
    words[skip..].join(" ")
}

/// Recomputes the family: publications' strategies, elements' canonical statements and
/// supersession.
pub(crate) async fn refresh(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let docs: Vec<Doc> = document::Entity::find()
        .select_only()
        .columns([
            document::Column::Id,
            document::Column::PublicationUrl,
            document::Column::Kind,
            document::Column::StrategyId,
            document::Column::PublishedOn,
        ])
        .filter(document::Column::StrategyId.is_not_null())
        .into_tuple::<(i64, String, DocumentKind, Option<i64>, Option<NaiveDate>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, publication, kind, strategy, published_on)| Doc {
            id,
            publication,
            kind,
            strategy,
            published_on,
        })
        .collect();
    let elements: Vec<Element> = strategy_element::Entity::find()
        .select_only()
        .columns([
            strategy_element::Column::Id,
            strategy_element::Column::DocumentId,
            strategy_element::Column::Kind,
            strategy_element::Column::Number,
            strategy_element::Column::Name,
            strategy_element::Column::Position,
        ])
        .filter(strategy_element::Column::Kind.is_in([
            StrategyElementKind::Aim,
            StrategyElementKind::PriorityArea,
            StrategyElementKind::Domain,
        ]))
        .into_tuple::<(i64, i64, StrategyElementKind, Option<i32>, String, i32)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, document, kind, number, name, position)| Element {
            id,
            document,
            kind,
            number,
            name,
            position,
        })
        .collect();
    let moves = publication_strategies(&docs, &elements);
    for (strategy_id, documents) in &moves {
        move_documents(db, *strategy_id, documents).await?;
    }
    let strategy_of: HashMap<i64, i64> = docs
        .iter()
        .filter_map(|d| {
            let moved = moves
                .iter()
                .find(|(_, ids)| ids.contains(&d.id))
                .map(|(s, _)| *s);
            moved.or(d.strategy).map(|s| (d.id, s))
        })
        .collect();
    let by_doc: HashMap<i64, &Doc> = docs.iter().map(|d| (d.id, d)).collect();
    let canonical = canonical_elements(&elements, &strategy_of, &by_doc);
    // Grouped by canonical element, one statement per group.
    let mut groups: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (element, canonical) in canonical {
        groups.entry(canonical).or_default().push(element);
    }
    for (canonical, members) in groups {
        for chunk in members.chunks(crate::store::rows::INSERT_BATCH) {
            strategy_element::Entity::update_many()
                .col_expr(
                    strategy_element::Column::CanonicalId,
                    Expr::value(canonical),
                )
                .filter(strategy_element::Column::Id.is_in(chunk.iter().copied()))
                .exec(db)
                .await?;
        }
    }
    resolve_supersession(db, &docs, &strategy_of).await
}

/// Which documents move to which strategy: one strategy per publication, and a delivery plan
/// to the strategy whose aims and priority areas it restates.
fn publication_strategies(docs: &[Doc], elements: &[Element]) -> Vec<(i64, Vec<i64>)> {
    let mut publications: BTreeMap<&str, Vec<&Doc>> = BTreeMap::new();
    for d in docs {
        publications.entry(&d.publication).or_default().push(d);
    }
    let doc_publication: HashMap<i64, &str> = docs
        .iter()
        .map(|d| (d.id, d.publication.as_str()))
        .collect();
    let mut keys: HashMap<&str, HashSet<(StrategyElementKind, String)>> = HashMap::new();
    for e in elements {
        if let Some(p) = doc_publication.get(&e.document) {
            let key = element_key(&e.name);
            if !key.is_empty() {
                keys.entry(p).or_default().insert((e.kind, key));
            }
        }
    }
    // Strategy publications, each with its strategy and date.
    let strategies: Vec<(&str, i64, Option<NaiveDate>)> = publications
        .iter()
        .filter_map(|(p, pages)| {
            let own = pages.iter().find(|d| d.kind == DocumentKind::Strategy)?;
            let published = pages.iter().filter_map(|d| d.published_on).min();
            Some((*p, own.strategy?, published))
        })
        .collect();
    let mut moves: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (publication, pages) in &publications {
        let plan = pages.iter().any(|d| d.kind == DocumentKind::DeliveryPlan);
        let empty = HashSet::new();
        let own_keys = keys.get(publication).unwrap_or(&empty);
        let delivered = plan
            .then(|| {
                strategies
                    .iter()
                    .filter(|(p, _, _)| p != publication)
                    .map(|(p, id, published)| {
                        let shared = keys.get(p).map_or(0, |k| k.intersection(own_keys).count());
                        (shared, *published, *id)
                    })
                    .filter(|(shared, _, _)| *shared > 0)
                    .max()
                    .map(|(_, _, id)| id)
            })
            .flatten();
        let target = delivered.or_else(|| most_named(pages));
        let Some(target) = target else { continue };
        let to_move: Vec<i64> = pages
            .iter()
            .filter(|d| d.strategy != Some(target))
            .map(|d| d.id)
            .collect();
        if !to_move.is_empty() {
            moves.entry(target).or_default().extend(to_move);
        }
    }
    moves.into_iter().collect()
}

/// The strategy most of a publication's pages name; a strategy page's own first.
fn most_named(pages: &[&Doc]) -> Option<i64> {
    if let Some(own) = pages
        .iter()
        .find(|d| d.kind == DocumentKind::Strategy)
        .and_then(|d| d.strategy)
    {
        return Some(own);
    }
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for s in pages.iter().filter_map(|d| d.strategy) {
        *counts.entry(s).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(id, n)| (*n, std::cmp::Reverse(*id)))
        .map(|(id, _)| id)
}

/// Moves documents, and every row read from them that names a strategy, to `strategy_id`.
async fn move_documents(
    db: &impl ConnectionTrait,
    strategy_id: i64,
    documents: &[i64],
) -> Result<(), DbErr> {
    for chunk in documents.chunks(crate::store::rows::INSERT_BATCH) {
        let ids = chunk.iter().copied();
        document::Entity::update_many()
            .col_expr(document::Column::StrategyId, Expr::value(strategy_id))
            .filter(document::Column::Id.is_in(ids.clone()))
            .exec(db)
            .await?;
        strategy_element::Entity::update_many()
            .col_expr(
                strategy_element::Column::StrategyId,
                Expr::value(strategy_id),
            )
            .filter(strategy_element::Column::DocumentId.is_in(ids.clone()))
            .exec(db)
            .await?;
        strategy_commitment::Entity::update_many()
            .col_expr(
                strategy_commitment::Column::StrategyId,
                Expr::value(strategy_id),
            )
            .filter(strategy_commitment::Column::DocumentId.is_in(ids.clone()))
            .exec(db)
            .await?;
        workstream::Entity::update_many()
            .col_expr(workstream::Column::StrategyId, Expr::value(strategy_id))
            .filter(workstream::Column::DocumentId.is_in(ids.clone()))
            .exec(db)
            .await?;
        organisation_role::Entity::update_many()
            .col_expr(
                organisation_role::Column::StrategyId,
                Expr::value(strategy_id),
            )
            .filter(organisation_role::Column::DocumentId.is_in(ids))
            .filter(organisation_role::Column::StrategyId.is_not_null())
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Each aim and priority area's canonical element: within a strategy, aims by number, priority
/// areas by number or by name, joined; the statement on a strategy page is canonical, then a
/// numbered one, then the earliest page's.
fn canonical_elements(
    elements: &[Element],
    strategy_of: &HashMap<i64, i64>,
    docs: &HashMap<i64, &Doc>,
) -> Vec<(i64, i64)> {
    // Union-find over element indexes.
    let mut parent: Vec<usize> = (0..elements.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut first: HashMap<(i64, StrategyElementKind, String), usize> = HashMap::new();
    for (i, e) in elements.iter().enumerate() {
        let Some(strategy) = strategy_of.get(&e.document) else {
            continue;
        };
        let mut keys = Vec::new();
        if let Some(n) = e.number {
            keys.push(format!("#{n}"));
        }
        if e.kind != StrategyElementKind::Aim || e.number.is_none() {
            let key = element_key(&e.name);
            if !key.is_empty() {
                keys.push(key);
            }
        }
        for key in keys {
            match first.entry((*strategy, e.kind, key)) {
                std::collections::hash_map::Entry::Occupied(o) => {
                    let (a, b) = (root(&mut parent, *o.get()), root(&mut parent, i));
                    parent[b] = a;
                }
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(i);
                }
            }
        }
    }
    let rank = |e: &Element| {
        let doc = docs.get(&e.document);
        (
            doc.is_none_or(|d| d.kind != DocumentKind::Strategy),
            e.number.is_none(),
            doc.and_then(|d| d.published_on),
            e.document,
            e.position,
        )
    };
    let mut best: HashMap<usize, usize> = HashMap::new();
    for i in 0..elements.len() {
        let r = root(&mut parent, i);
        let entry = best.entry(r).or_insert(i);
        if rank(&elements[i]) < rank(&elements[*entry]) {
            *entry = i;
        }
    }
    (0..elements.len())
        .map(|i| {
            let r = root(&mut parent, i);
            let canonical = best.get(&r).copied().unwrap_or(i);
            (elements[i].id, elements[canonical].id)
        })
        .collect()
}

/// Sets each strategy's `superseded_by_id` from the publication its pages name.
async fn resolve_supersession(
    db: &impl ConnectionTrait,
    docs: &[Doc],
    strategy_of: &HashMap<i64, i64>,
) -> Result<(), DbErr> {
    let named: Vec<(i64, Option<String>, Option<i64>)> = strategy::Entity::find()
        .select_only()
        .columns([
            strategy::Column::Id,
            strategy::Column::SupersededByUrl,
            strategy::Column::SupersededById,
        ])
        .into_tuple()
        .all(db)
        .await?;
    let by_publication: HashMap<&str, i64> = docs
        .iter()
        .filter_map(|d| Some((d.publication.as_str(), *strategy_of.get(&d.id)?)))
        .collect();
    for (id, url, stored) in named {
        let resolved = url
            .as_deref()
            .and_then(|u| by_publication.get(u).copied())
            .filter(|s| *s != id);
        if resolved != stored {
            strategy::Entity::update_many()
                .col_expr(strategy::Column::SupersededById, Expr::value(resolved))
                .filter(strategy::Column::Id.eq(id))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_keys_ignore_labels_case_and_dashes() {
        assert_eq!(
            element_key("Digital Futures – Innovating and Enhancing"),
            element_key("digital futures - innovating and enhancing")
        );
        assert_eq!(element_key("Priority Four: Skills"), "skills");
        assert_eq!(element_key("Aim"), "aim");
    }
}
