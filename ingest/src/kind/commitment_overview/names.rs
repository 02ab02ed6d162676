//! Organisation names in an overview's lines: the directorates of a "Lead implementing
//! directorate" line, the organisations of a stakeholder bullet, and how a problem sentence is
//! told from a list of names.

use crate::page::outside_brackets;

/// The directorates a "Lead implementing directorate" line names.
///
/// The line is split on commas. A part naming a director-general's area ("DG Health and Social
/// Care", "Director-General ...") says where the directorate before it sits, so it is no
/// directorate of its own and is left out; a part without the word "Directorate" (nor
/// "Division", "Unit", "Team" or "Office") continues the name before it, whose comma it was. So
/// "Directorate for Healthcare Quality and Improvement, DG Health and Social Care" names one
/// directorate, and "Budget Directorate, Digital Directorate, Directorate for Fair Work" three.
pub fn directorates(printed: &str) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut offset = 0;
    for part in printed.split(',') {
        let (from, to) = (offset, offset + part.len());
        offset = to + 1;
        let trimmed = part.trim();
        let lower = trimmed.to_lowercase();
        let is_dg = lower.starts_with("dg ")
            || lower == "dg"
            || lower.starts_with("director-general")
            || lower.starts_with("director general")
            || lower.starts_with("directorate-general")
            || lower.starts_with("directorate general");
        let is_unit = lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| ["directorate", "division", "unit", "team", "office"].contains(&w));
        if is_dg {
            if let Some(s) = start.take() {
                names.push(printed.get(s..end).unwrap_or_default().trim());
            }
        } else if is_unit || start.is_none() {
            if let Some(s) = start.take() {
                names.push(printed.get(s..end).unwrap_or_default().trim());
            }
            start = Some(from);
            end = to;
        } else {
            end = to;
        }
    }
    if let Some(s) = start {
        names.push(printed.get(s..end).unwrap_or_default().trim());
    }
    names.retain(|n| !n.is_empty());
    names
}

/// Words that make a bracketed note a role in the commitment rather than part of a name:
/// "(lead non-government stakeholder)" is a note, "Centrestage (Arts)" a name.
const ROLE_WORDS: [&str; 10] = [
    "lead",
    "stakeholder",
    "partner",
    "chair",
    "member",
    "role",
    "observer",
    "facilitat",
    "secretariat",
    "co-ordinat",
];

/// The organisations a civil society stakeholder bullet names.
///
/// A bullet may name several, joined by "/" or ";" ("Community Justice Scotland / Shelter",
/// "Young Scot; Children in Scotland"). A trailing bracketed note of the organisation's role
/// ("(lead non-government stakeholder)", see [`ROLE_WORDS`]) is no part of its name: the name
/// goes without it, and the role's `name_as_printed` (the whole bullet) keeps it. Other
/// brackets stay ("Centrestage (Arts)"), except a bracket listing bodies after words that
/// describe rather than name them ("other organisations (Alpha Trust, Beta Network)"): the
/// bodies are the names (see [`listed_in_brackets`]).
pub fn stakeholders(printed: &str) -> Vec<&str> {
    printed
        .split(['/', ';'])
        .flat_map(|part| match listed_in_brackets(part) {
            Some(listed) => listed,
            None => vec![part],
        })
        .map(|part| {
            let part = part.trim().trim_end_matches([',', '.']).trim_end();
            match part.rsplit_once('(') {
                Some((name, note))
                    if part.ends_with(')') && {
                        let note = note.to_lowercase();
                        ROLE_WORDS.iter().any(|w| note.contains(w))
                    } =>
                {
                    name.trim()
                }
                _ => part,
            }
        })
        .filter(|n| !n.is_empty())
        .collect()
}

/// The bodies a bracket lists after words that only describe them: "other organisations
/// (Alpha Trust, Beta Network)", "partners including (Gamma Forum and Delta Trust)". The words
/// before the bracket describe when none but the first is capitalised; the bracket lists
/// when it holds two or more capitalised parts, split on commas and "and".
fn listed_in_brackets(part: &str) -> Option<Vec<&str>> {
    let part = part.trim().trim_end_matches([',', '.']).trim_end();
    let (outside, inside) = part.strip_suffix(')')?.split_once('(')?;
    let describes = !outside.trim().is_empty()
        && outside
            .split_whitespace()
            .skip(1)
            .all(|w| !w.starts_with(char::is_uppercase));
    let listed: Vec<&str> = inside
        .split(',')
        .flat_map(|p| p.split(" and "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    (describes && listed.len() >= 2 && listed.iter().all(|p| p.starts_with(char::is_uppercase)))
        .then_some(listed)
}

/// True for a bullet that reads as a sentence rather than names: a "/"- or ";"-separated part
/// of nine words or more (outside brackets), or of four or more when the bullet ends in a full
/// stop. Organisation names are shorter ("Minority Ethnic Carers of Older People Project" has
/// seven words), and a bullet naming three bodies is judged body by body.
pub fn reads_as_sentence(text: &str) -> bool {
    let words = outside_brackets(text)
        .split(['/', ';'])
        .map(|part| part.split_whitespace().count())
        .max()
        .unwrap_or(0);
    words >= 9 || (words >= 4 && text.trim_end().ends_with(['.', '!', '?']))
}
