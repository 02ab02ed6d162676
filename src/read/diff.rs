//! What changed between two versions of a page, passage by passage and, inside a reworded
//! passage, word by word: the one diff GraphQL's `Document.diff` and the diff page draw.
//!
//! Passages are matched by their text (a longest-common-subsequence diff, from the `similar`
//! crate). A passage that is only in the later version is `ADDED`; only in the earlier,
//! `REMOVED`. Where the earlier version has passages in the place of others, each is paired
//! with the first later passage (in page order) sharing at least [`SAME_PASSAGE`] of its words:
//! that pair is one passage `CHANGED`, with its words kept, inserted and deleted; an earlier
//! passage without such a partner is removed, and the later ones unpaired are added. Passages that did not change are left out. Furniture
//! and white space are never passages (the page reader drops them), so they are no difference.

use similar::{Algorithm, ChangeTag, DiffOp, TextDiff, capture_diff_slices};

use ingest::texts::VersionPassage;

/// The share of words (0 to 1) two passages must share to be one passage reworded.
pub const SAME_PASSAGE: f32 = 0.5;

/// What happened to a passage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Only in the later version.
    Added,
    /// Only in the earlier version.
    Removed,
    /// In both, reworded.
    Changed,
}

/// What a run of words of a changed passage is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanKind {
    /// In both versions.
    Kept,
    /// Only in the later.
    Inserted,
    /// Only in the earlier.
    Deleted,
}

/// A run of words of a changed passage, with the spaces between them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// Kept, inserted or deleted.
    pub kind: SpanKind,
    /// The words.
    pub text: String,
}

/// One passage added, removed or changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// What happened to it.
    pub action: Action,
    /// The headings above it (in the later version, or the earlier for a removal).
    pub headings: Vec<String>,
    /// The fragment of the heading it stands under, likewise.
    pub anchor: Option<String>,
    /// Its text before (none when added).
    pub before: Option<String>,
    /// Its text after (none when removed).
    pub after: Option<String>,
    /// For a change: its words kept, inserted and deleted, in order; empty otherwise.
    pub spans: Vec<Span>,
}

impl Operation {
    fn added(p: &VersionPassage) -> Self {
        Self {
            action: Action::Added,
            headings: p.headings.clone(),
            anchor: p.anchor.clone(),
            before: None,
            after: Some(p.text.clone()),
            spans: Vec::new(),
        }
    }

    fn removed(p: &VersionPassage) -> Self {
        Self {
            action: Action::Removed,
            headings: p.headings.clone(),
            anchor: p.anchor.clone(),
            before: Some(p.text.clone()),
            after: None,
            spans: Vec::new(),
        }
    }
}

/// The operations that turn `before` into `after`, in page order.
pub fn diff(before: &[VersionPassage], after: &[VersionPassage]) -> Vec<Operation> {
    let old: Vec<&str> = before.iter().map(|p| p.text.as_str()).collect();
    let new: Vec<&str> = after.iter().map(|p| p.text.as_str()).collect();
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old, &new) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } => out.extend(
                before[old_index..old_index + old_len]
                    .iter()
                    .map(Operation::removed),
            ),
            DiffOp::Insert {
                new_index, new_len, ..
            } => out.extend(
                after[new_index..new_index + new_len]
                    .iter()
                    .map(Operation::added),
            ),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => replaced(
                &before[old_index..old_index + old_len],
                &after[new_index..new_index + new_len],
                &mut out,
            ),
        }
    }
    out
}

/// Passages in the place of others: each earlier passage is paired with the first later one
/// still unpaired (in page order) that shares enough of its words, and that pair is one
/// changed passage; the later passages skipped on the way are added, an earlier passage with
/// no partner is removed, and the later passages left over are added.
fn replaced(old: &[VersionPassage], new: &[VersionPassage], out: &mut Vec<Operation>) {
    let mut next = 0;
    for a in old {
        let partner = new[next..].iter().enumerate().find_map(|(i, b)| {
            let words = TextDiff::configure()
                .algorithm(Algorithm::Myers)
                .diff_words(a.text.as_str(), b.text.as_str());
            (words.ratio() >= SAME_PASSAGE).then(|| (next + i, spans(&words)))
        });
        match partner {
            Some((at, spans)) => {
                out.extend(new[next..at].iter().map(Operation::added));
                let b = &new[at];
                out.push(Operation {
                    action: Action::Changed,
                    headings: b.headings.clone(),
                    anchor: b.anchor.clone(),
                    before: Some(a.text.clone()),
                    after: Some(b.text.clone()),
                    spans,
                });
                next = at + 1;
            }
            None => out.push(Operation::removed(a)),
        }
    }
    out.extend(new[next..].iter().map(Operation::added));
}

/// A word diff as runs of kept, inserted and deleted words. The spaces between two changed
/// words belong to the change, so "a week's" → "two days'" reads as one deletion and one
/// insertion rather than two of each around a kept space; within a run of changes, what was
/// deleted comes before what was inserted.
fn spans<'a>(words: &TextDiff<'a, 'a, '_, str>) -> Vec<Span> {
    let tokens: Vec<(ChangeTag, &str)> = words
        .iter_all_changes()
        .map(|c| (c.tag(), c.value()))
        .collect();
    let mut spans: Vec<Span> = Vec::new();
    let (mut deleted, mut inserted) = (String::new(), String::new());
    let flush = |spans: &mut Vec<Span>, deleted: &mut String, inserted: &mut String| {
        for (kind, text) in [
            (SpanKind::Deleted, std::mem::take(deleted)),
            (SpanKind::Inserted, std::mem::take(inserted)),
        ] {
            if !text.is_empty() {
                spans.push(Span { kind, text });
            }
        }
    };
    for (i, &(tag, text)) in tokens.iter().enumerate() {
        let changed = |j: Option<usize>| {
            j.and_then(|j| tokens.get(j))
                .is_some_and(|(t, _)| *t != ChangeTag::Equal)
        };
        let inside_a_change = tag == ChangeTag::Equal
            && text.trim().is_empty()
            && changed(i.checked_sub(1))
            && changed(Some(i + 1));
        match tag {
            _ if inside_a_change => {
                deleted.push_str(text);
                inserted.push_str(text);
            }
            ChangeTag::Delete => deleted.push_str(text),
            ChangeTag::Insert => inserted.push_str(text),
            ChangeTag::Equal => {
                flush(&mut spans, &mut deleted, &mut inserted);
                match spans.last_mut() {
                    Some(last) if last.kind == SpanKind::Kept => last.text.push_str(text),
                    _ => spans.push(Span {
                        kind: SpanKind::Kept,
                        text: text.to_owned(),
                    }),
                }
            }
        }
    }
    flush(&mut spans, &mut deleted, &mut inserted);
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(position: i32, text: &str) -> VersionPassage {
        VersionPassage {
            position,
            headings: vec!["Aims".to_owned()],
            anchor: Some("aims".to_owned()),
            text: text.to_owned(),
        }
    }

    #[test]
    fn a_reworded_passage_is_changed_word_by_word_and_the_others_added_or_removed() {
        let before = [
            p(0, "This one stays as it is."),
            p(1, "We will publish the plan by March."),
            p(2, "This paragraph goes away entirely."),
        ];
        let after = [
            p(0, "This one stays as it is."),
            p(1, "A new paragraph about something else."),
            p(2, "We will publish the revised plan by June."),
        ];
        let ops = diff(&before, &after);
        let actions: Vec<Action> = ops.iter().map(|o| o.action).collect();
        assert_eq!(
            actions,
            [Action::Added, Action::Changed, Action::Removed],
            "{ops:#?}"
        );
        let inserted: Vec<&str> = ops[1]
            .spans
            .iter()
            .filter(|s| s.kind == SpanKind::Inserted)
            .map(|s| s.text.trim())
            .collect();
        let deleted: Vec<&str> = ops[1]
            .spans
            .iter()
            .filter(|s| s.kind == SpanKind::Deleted)
            .map(|s| s.text.trim())
            .collect();
        assert_eq!(inserted, ["revised", "June."]);
        assert_eq!(deleted, ["March."]);
        assert_eq!(
            ops[0].after.as_deref(),
            Some("A new paragraph about something else.")
        );
        assert_eq!(
            ops[2].before.as_deref(),
            Some("This paragraph goes away entirely.")
        );
        assert!(diff(&after, &after).is_empty());
    }
}
