//! Which page holds each commitment: a commitment is one row, so two pages that both claim
//! commitment N of a plan (a publication moved to a new slug, the separate milestones
//! publication beside the overview) cannot both be stored.
//!
//! The first page of a run to claim a commitment keeps it; a later one fails alone, with an
//! error naming both pages, and keeps what earlier runs stored for it. A page claiming a
//! commitment that a page stored by an earlier run holds, and that this run has not read (yet),
//! waits until the end of the run: if that page is gone by then (a renamed slug), the waiting
//! page takes the commitment over; if it is still there, the waiting page fails as above.

use std::collections::{HashMap, HashSet};

use entity::commitment;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QuerySelect};

use super::rows::Rows;
use crate::ids;

/// What may be done with a page's rows.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    /// No other page holds what it claims: write it.
    Free,
    /// A page stored earlier, not read by this run so far, holds a commitment it claims:
    /// decide at the end of the run.
    Wait,
    /// Another page holds a commitment it claims; the message names both.
    Taken(String),
}

/// The commitments' holders, as stored when the run began and as the run has claimed them.
#[derive(Debug, Default)]
pub(super) struct Claims {
    /// Commitment ID → URL of the page holding it in this run.
    run: HashMap<i64, String>,
    /// Commitment ID → URL of the page that held it when the run began.
    stored: HashMap<i64, String>,
    /// The inverse of `stored`.
    stored_by_url: HashMap<String, Vec<i64>>,
}

impl Claims {
    /// Reads who holds each stored commitment; `urls` are the stored documents' URLs.
    pub(super) async fn load<'a>(
        db: &impl ConnectionTrait,
        urls: impl Iterator<Item = &'a String>,
    ) -> Result<Self, DbErr> {
        let by_id: HashMap<i64, &String> = urls.map(|u| (ids::document(u), u)).collect();
        let held = commitment::Entity::find()
            .select_only()
            .column(commitment::Column::Id)
            .column(commitment::Column::DocumentId)
            .into_tuple::<(i64, i64)>()
            .all(db)
            .await?;
        let mut claims = Self::default();
        for (id, document_id) in held {
            if let Some(url) = by_id.get(&document_id) {
                claims.stored.insert(id, (*url).clone());
                claims
                    .stored_by_url
                    .entry((*url).clone())
                    .or_default()
                    .push(id);
            }
        }
        Ok(claims)
    }

    /// A page the run leaves as stored keeps holding what it held.
    pub(super) fn kept(&mut self, url: &str) {
        for id in self.stored_by_url.get(url).into_iter().flatten() {
            self.run.entry(*id).or_insert_with(|| url.to_owned());
        }
    }

    /// Whether the page at `url` may write `rows` now. `seen` holds the pages the run has read
    /// so far. `gone` is `None` while the run is reading pages; once it has read them all and
    /// removed those it no longer has, `gone` tells whether a stored page was removed.
    pub(super) fn check(
        &self,
        url: &str,
        rows: &Rows,
        seen: &HashSet<String>,
        gone: Option<&dyn Fn(&str) -> bool>,
    ) -> Verdict {
        let mut wait = false;
        for c in &rows.commitments {
            let what = || format!("commitment {} of {}", c.number, c.action_plan);
            if let Some(holder) = self.run.get(&c.id).filter(|h| *h != url) {
                return Verdict::Taken(format!(
                    "{url}: claims {}, which {holder} already claimed in this run; \
                     {holder} keeps it and this page is skipped",
                    what()
                ));
            }
            let Some(holder) = self.stored.get(&c.id).filter(|h| *h != url) else {
                continue;
            };
            if seen.contains(holder) {
                // Read and rewritten without it (else `run` would hold it): it is free.
                continue;
            }
            match gone {
                None => wait = true,
                Some(gone) if gone(holder) => {}
                Some(_) => {
                    return Verdict::Taken(format!(
                        "{url}: claims {}, which {holder} holds as stored by an earlier run; \
                         {holder} keeps it and this page is skipped",
                        what()
                    ));
                }
            }
        }
        if wait { Verdict::Wait } else { Verdict::Free }
    }

    /// Records that the page at `url` holds the commitments in `rows`.
    pub(super) fn claim(&mut self, url: &str, rows: &Rows) {
        for c in &rows.commitments {
            self.run.insert(c.id, url.to_owned());
        }
    }
}
