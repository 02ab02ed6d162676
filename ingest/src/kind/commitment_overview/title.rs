//! A milestone's title, with its trailing date phrase and the preposition that led into it cut
//! off.

use super::{Listed, MilestoneFacts};
use crate::date::find_date;

/// Words that introduce a date and would be left hanging when the date is cut off a title
/// ("Publish the guidance in June 2023" → "Publish the guidance").
const DANGLING: [&str; 14] = [
    "in", "by", "during", "from", "for", "before", "until", "at", "on", "over", "to", "within",
    "after", "between",
];

/// `head` without trailing punctuation and without the prepositions in [`DANGLING`] that led
/// into the date phrase that followed it.
fn without_dangling_preposition(head: &str) -> &str {
    let trim = |s: &str| -> usize {
        s.trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '–' | '-')
        })
        .len()
    };
    let mut s = &head[..trim(head)];
    while let Some((before, last)) = s.rsplit_once(char::is_whitespace) {
        if !DANGLING.iter().any(|w| last.eq_ignore_ascii_case(w)) {
            break;
        }
        s = &before[..trim(before)];
    }
    s
}

/// Splits a milestone's trailing date phrase off its text; a date inside the sentence stays in
/// the title too, since cutting it out would change what the page says.
pub(super) fn milestone(objective: Option<String>, listed: Listed) -> MilestoneFacts {
    let text = listed.text;
    let found = find_date(&text);
    let title = match &found {
        Some(f)
            if text[f.range.end..]
                .trim_matches(|c: char| c == '.' || c.is_whitespace())
                .is_empty() =>
        {
            without_dangling_preposition(&text[..f.range.start]).to_owned()
        }
        _ => text.clone(),
    };
    MilestoneFacts {
        objective,
        title: if title.is_empty() { text } else { title },
        date: found.map(|f| f.date),
        anchor: listed.anchor,
    }
}
