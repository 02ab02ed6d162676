//! Cross-page normalisation: matching progress updates to milestones, and finding which
//! passages name which organisations.
//!
//! An update names its milestone in other words than the overview does ("Hire and on-board a
//! person centred design team (start August 2021 – end January 2022)" against "hire and
//! on-board a person centred design team" dated "Start August 2021 – end January 2022"), and a
//! page may print objectives in the wrong place, so matching is by the words of the activity
//! and by the dates, never by position.

use std::collections::HashSet;

use chrono::NaiveDate;

/// Words too common to tell two sentences apart.
const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "that", "with", "our", "are", "will", "this", "has", "have", "been",
    "from", "which", "their", "into", "all", "any", "can", "its", "who", "was", "were",
];

/// The words of a sentence that carry meaning, lower-cased.
pub fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(str::to_lowercase)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .collect()
}

/// A milestone, as far as matching needs it.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Its row ID.
    pub id: i64,
    /// Words of its title.
    pub words: HashSet<String>,
    /// Its dates.
    pub start: Option<NaiveDate>,
    /// Its dates.
    pub end: Option<NaiveDate>,
}

/// How sure a match must be before an update is linked: below it the update stays unlinked
/// rather than linked to a wrong milestone.
pub const MIN_SCORE: f64 = 0.45;

/// The milestone an update reports on, if one matches well enough.
pub fn best_match(
    activity: &HashSet<String>,
    dates: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
    candidates: &[Candidate],
) -> Option<i64> {
    candidates
        .iter()
        .map(|c| (score(activity, dates, c), c.id))
        .filter(|(s, _)| *s >= MIN_SCORE)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, id)| id)
}

fn score(
    activity: &HashSet<String>,
    dates: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
    c: &Candidate,
) -> f64 {
    let total = activity.len() + c.words.len();
    if total == 0 {
        return 0.0;
    }
    let shared = activity.intersection(&c.words).count();
    #[expect(clippy::cast_precision_loss, reason = "word counts are small")]
    let dice = 2.0 * shared as f64 / total as f64;
    let date_bonus = match (dates, c.start, c.end) {
        (Some((Some(s), Some(e))), Some(cs), Some(ce)) if s == cs && e == ce => 0.25,
        (Some((Some(s), Some(e))), Some(cs), Some(ce)) if s <= ce && cs <= e => 0.1,
        (Some((Some(_), Some(_))), Some(_), Some(_)) => -0.25,
        _ => 0.0,
    };
    dice + date_bonus
}

/// True when `name` occurs in `text` as whole words.
pub fn names(text: &str, name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_whole_words_only() {
        assert!(names("working with NHS 24 and others", "NHS 24"));
        assert!(!names("working with NHS 245", "NHS 24"));
        assert!(!names("Sheltered housing", "Shelter"));
        assert!(names(
            "Community Justice Scotland /Shelter / Families",
            "Shelter"
        ));
    }

    #[test]
    fn dates_break_ties_between_similar_milestones() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        let a = Candidate {
            id: 1,
            words: words("review the plan"),
            start: d(2021, 8, 1),
            end: d(2022, 1, 31),
        };
        let b = Candidate {
            id: 2,
            words: words("review the plan"),
            start: d(2023, 8, 1),
            end: d(2024, 1, 31),
        };
        let activity = words("Review the plan");
        assert_eq!(
            best_match(
                &activity,
                Some((d(2023, 8, 1), d(2024, 1, 31))),
                &[a.clone(), b.clone()]
            ),
            Some(2)
        );
        assert_eq!(
            best_match(&words("something else entirely"), None, &[a, b]),
            None
        );
    }
}
