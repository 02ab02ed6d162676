//! Where a fact sits: its page's URL, and the fragment of the heading it stands under, as one
//! link that every surface shows.

use std::collections::HashMap;

use entity::document;
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
