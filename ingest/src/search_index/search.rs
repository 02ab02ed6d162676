//! Searching the index: ranking passages for a user's words, counting matches, and snippets.

use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::DatabaseConnection;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, ReloadPolicy, Term};

use super::index::{Fields, Location, SYNCS, err, location, open_index, schema};
use crate::error::IngestError;

/// How many words of a search string count (the rest are ignored).
const MAX_QUERY_WORDS: usize = 32;
/// The longest snippet, in characters.
const SNIPPET_CHARS: usize = 200;

/// A database's search index, open for searching. It sees each sync's commit, by this process
/// or another, within about a second.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    /// The value of [`SYNCS`] the reader last reloaded at.
    seen: AtomicU64,
    fields: Fields,
    location: Location,
}

/// One page of ranked passages.
pub struct Ranked {
    /// Passage IDs with their scores, best first.
    pub hits: Vec<(i64, f32)>,
    /// Every matching passage, when counting was asked for.
    pub total: Option<usize>,
    snippets: Option<SnippetGenerator>,
}

impl Ranked {
    /// A passage's snippet as HTML: an extract of its text around the matches, escaped, with
    /// the matches in `<mark>`.
    pub fn snippet_html(&self, text: &str) -> String {
        if let Some(generator) = &self.snippets {
            let mut snippet = generator.snippet(text);
            if !snippet.is_empty() {
                snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
                return snippet.to_html();
            }
        }
        let mut end = text.len().min(SNIPPET_CHARS);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        escape_html(&text[..end])
    }
}

/// Text as HTML, in element content and quoted attributes alike: `<`, `>`, `&`, `"` and `'`
/// escaped. The one escaper of every surface that writes HTML (snippets, the dashboard).
pub fn escape_html(text: &str) -> String {
    let mut html = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '&' => html.push_str("&amp;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            _ => html.push(c),
        }
    }
    html
}

/// A ranking query and the query of the same matches, cheaper to count.
type RankAndMatch = (Box<dyn Query>, Box<dyn Query>);

impl SearchIndex {
    /// Opens the index of an SQLite database; `None` on PostgreSQL.
    ///
    /// # Errors
    /// A database error, or an index that cannot be opened.
    pub async fn open(db: &DatabaseConnection) -> Result<Option<Self>, IngestError> {
        let Some(location) = location(db).await? else {
            return Ok(None);
        };
        let index = open_index(&location)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(|e| err(&location, e))?;
        let (_, fields) = schema();
        Ok(Some(Self {
            index,
            reader,
            seen: AtomicU64::new(SYNCS.load(Ordering::Acquire)),
            fields,
            location,
        }))
    }

    /// The queries for a user string, to rank with and to count with: every word required;
    /// with two or more words, the ranking query has the words as a phrase too, optional, so
    /// that passages holding the exact phrase rank first. An optional clause beside required
    /// ones matches nothing more, so the count leaves it out and reads no word positions. The
    /// string is only ever cut into words, so no character in it has a meaning. `None` when it
    /// has no words.
    fn query(&self, user: &str) -> Result<Option<RankAndMatch>, IngestError> {
        let mut analyzer = self
            .index
            .tokenizer_for_field(self.fields.text)
            .map_err(|e| err(&self.location, e))?;
        let mut terms = Vec::new();
        let mut stream = analyzer.token_stream(user);
        while terms.len() < MAX_QUERY_WORDS && stream.advance() {
            terms.push(Term::from_field_text(
                self.fields.text,
                &stream.token().text,
            ));
        }
        let word = |t: &Term| -> Box<dyn Query> {
            Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs))
        };
        let every_word = |many: &[Term]| -> Vec<(Occur, Box<dyn Query>)> {
            many.iter().map(|t| (Occur::Must, word(t))).collect()
        };
        Ok(match terms.as_slice() {
            [] => None,
            [one] => Some((word(one), word(one))),
            many => {
                let mut ranking = every_word(many);
                ranking.push((Occur::Should, Box::new(PhraseQuery::new(terms.clone()))));
                Some((
                    Box::new(BooleanQuery::new(ranking)),
                    Box::new(BooleanQuery::new(every_word(many))),
                ))
            }
        })
    }

    /// Ranks the passages matching `user` and keeps `limit` of them from `offset`; counts every
    /// match only when `count` is set. CPU-bound: call it off the async runtime's threads.
    ///
    /// # Errors
    /// An index that cannot be read.
    pub fn search(
        &self,
        user: &str,
        offset: usize,
        limit: usize,
        count: bool,
    ) -> Result<Ranked, IngestError> {
        let Some((query, matching)) = self.query(user)? else {
            return Ok(Ranked {
                hits: Vec::new(),
                total: Some(0),
                snippets: None,
            });
        };
        let failed = |e: tantivy::TantivyError| err(&self.location, e);
        let syncs = SYNCS.load(Ordering::Acquire);
        if self.seen.swap(syncs, Ordering::AcqRel) != syncs {
            self.reader.reload().map_err(failed)?;
        }
        let searcher = self.reader.searcher();
        let top = searcher
            .search(
                &*query,
                &TopDocs::with_limit(limit.max(1))
                    .and_offset(offset)
                    .order_by_score(),
            )
            .map_err(failed)?;
        let name = searcher.schema().get_field_name(self.fields.passage);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let ids = searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .i64(name)
                .map_err(failed)?;
            if let Some(id) = ids.first(address.doc_id) {
                hits.push((id, score));
            }
        }
        let total = if count {
            Some(matching.count(&searcher).map_err(failed)?)
        } else {
            None
        };
        let snippets = SnippetGenerator::create(&searcher, &*query, self.fields.text)
            .map(|mut g| {
                g.set_max_num_chars(SNIPPET_CHARS);
                g
            })
            .ok();
        Ok(Ranked {
            hits,
            total,
            snippets,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_without_a_match_are_escaped_text() {
        let ranked = Ranked {
            hits: Vec::new(),
            total: None,
            snippets: None,
        };
        assert_eq!(ranked.snippet_html("a <b> & c"), "a &lt;b&gt; &amp; c");
    }
}
