//! Where a fact sits: its page's URL, and the fragment of the heading it stands under, as one
//! link that every surface shows.

use std::collections::HashMap;

use entity::{SubjectType, commitment, document, milestone, strategy_commitment, workstream};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

/// The link to a fact: its page's URL, with `#anchor` when it has a (non-empty) anchor.
pub fn url(page: &str, anchor: Option<&str>) -> String {
    match anchor {
        Some(a) if !a.is_empty() => format!("{page}#{a}"),
        _ => page.to_owned(),
    }
}

/// The web pages of some documents, by document ID: what a surface links its rows to.
#[derive(Clone, Debug, Default)]
pub struct Pages(HashMap<i64, String>);

impl Pages {
    /// The pages of the documents `ids` names.
    ///
    /// # Errors
    /// A database error.
    pub async fn of(
        db: &impl ConnectionTrait,
        ids: impl IntoIterator<Item = i64>,
    ) -> Result<Self, DbErr> {
        let mut ids: Vec<i64> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        let mut pages = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let rows: Vec<(i64, String)> = document::Entity::find()
                .select_only()
                .column(document::Column::Id)
                .column(document::Column::Url)
                .filter(document::Column::Id.is_in(chunk.iter().copied()))
                .into_tuple()
                .all(db)
                .await?;
            pages.extend(rows);
        }
        Ok(Self(pages))
    }

    /// The link to a fact read from `document` under `anchor`: [`url`] of its page. Only web
    /// pages are linked: a stored URL of another scheme (or a document since removed) gives
    /// none.
    pub fn link(&self, document: i64, anchor: Option<&str>) -> Option<String> {
        let page = self
            .0
            .get(&document)
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))?;
        Some(url(page, anchor))
    }
}

/// Where each subject (by type and row ID) is stated, as a link: a page is stated on itself; a
/// milestone, commitment, workstream or strategy commitment on its page under its anchor.
/// Subjects of other types, or gone, have none.
///
/// # Errors
/// A database error.
pub async fn of_subjects(
    db: &impl ConnectionTrait,
    subjects: impl IntoIterator<Item = (SubjectType, i64)>,
) -> Result<HashMap<(SubjectType, i64), String>, DbErr> {
    let mut by_type: HashMap<SubjectType, Vec<i64>> = HashMap::new();
    for (kind, id) in subjects {
        by_type.entry(kind).or_default().push(id);
    }
    // (subject type, ID, page, anchor).
    let mut stated: Vec<(SubjectType, i64, i64, Option<String>)> = Vec::new();
    for (kind, ids) in by_type {
        let placed = match kind {
            SubjectType::Document => ids.iter().map(|&id| (id, id, None)).collect(),
            SubjectType::Milestone => {
                use milestone::Column as C;
                placed::<milestone::Entity>(db, &ids, [C::Id, C::DocumentId, C::Anchor]).await?
            }
            SubjectType::Commitment => {
                use commitment::Column as C;
                placed::<commitment::Entity>(db, &ids, [C::Id, C::DocumentId, C::Anchor]).await?
            }
            SubjectType::Workstream => {
                use workstream::Column as C;
                placed::<workstream::Entity>(db, &ids, [C::Id, C::DocumentId, C::Anchor]).await?
            }
            SubjectType::StrategyCommitment => {
                use strategy_commitment::Column as C;
                let columns = [C::Id, C::DocumentId, C::Anchor];
                placed::<strategy_commitment::Entity>(db, &ids, columns).await?
            }
            _ => Vec::new(),
        };
        stated.extend(
            placed
                .into_iter()
                .map(|(id, page, anchor)| (kind, id, page, anchor)),
        );
    }
    let pages = Pages::of(db, stated.iter().map(|s| s.2)).await?;
    Ok(stated
        .into_iter()
        .filter_map(|(kind, id, page, anchor)| {
            Some(((kind, id), pages.link(page, anchor.as_deref())?))
        })
        .collect())
}

/// The page and anchor of each row of `E` among `ids`, read by its `[id, document, anchor]`
/// columns.
async fn placed<E: EntityTrait>(
    db: &impl ConnectionTrait,
    ids: &[i64],
    [id, document, anchor]: [E::Column; 3],
) -> Result<Vec<(i64, i64, Option<String>)>, DbErr> {
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let found: Vec<(i64, i64, Option<String>)> = E::find()
            .select_only()
            .columns([id, document, anchor])
            .filter(id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        rows.extend(found);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anchor_is_a_fragment_and_an_empty_one_is_none() {
        let page = "https://www.gov.scot/publications/p/";
        assert_eq!(
            url(page, Some("aims")),
            "https://www.gov.scot/publications/p/#aims"
        );
        assert_eq!(url(page, Some("")), page);
        assert_eq!(url(page, None), page);
    }

    #[test]
    fn only_web_pages_are_linked() {
        let pages = Pages(HashMap::from([
            (1, "https://www.gov.scot/p/".to_owned()),
            (2, "javascript:alert(1)".to_owned()),
        ]));
        assert_eq!(
            pages.link(1, Some("a")).as_deref(),
            Some("https://www.gov.scot/p/#a")
        );
        assert_eq!(pages.link(2, None), None);
        assert_eq!(pages.link(3, None), None);
    }
}
