//! Which milestone each update of one report reports on, by all the evidence the report gives,
//! assigned one to one.
//!
//! An update is scored against each milestone of its commitment on:
//! - its activity's words and dates against the milestone's (the activity title, "Design panel
//!   - agreeing its terms", or a dated line);
//! - the milestone sentence the report prints, against the same;
//! - the update's own text (progress and next steps): how many of the milestone's words it uses;
//! - the objective the overview prints over the milestone, against the report's milestone
//!   sentence and activity: a report often prints the objective as its "Milestone:" line. This
//!   only adds to other evidence: an overview can print an objective over the wrong group, so
//!   the objective alone never links.
//!
//! Within a report, the best pairs are taken first and each milestone once, so two activities
//! under one printed milestone go to two milestones when their words say so. Activities that
//! match only through the milestone they share ("Viewer testing in Fife", "... in the Western
//! Isles" under one milestone) may share it. An update links when its score clears
//! [`MIN_SCORE`] and beats its runner-up by [`MARGIN`]; two close candidates leave it unlinked,
//! named both.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

/// How sure a match must be before an update is linked: below it the update stays unlinked
/// rather than linked to a wrong milestone.
pub const MIN_SCORE: f64 = 0.45;

/// How far the best milestone must beat the next for the link to be made.
pub const MARGIN: f64 = 0.05;

/// Weight of the update text's use of the milestone's words.
const TEXT_WEIGHT: f64 = 0.2;
/// Weight of the objective's match: below [`MIN_SCORE`], so it never links alone.
const OBJECTIVE_WEIGHT: f64 = 0.15;

/// A first and a last day.
type Dates = (Option<NaiveDate>, Option<NaiveDate>);

/// A milestone, as far as matching needs it.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Its row ID.
    pub id: i64,
    /// Its title, for warnings.
    pub title: String,
    /// Words of its title, without those of its date phrase.
    pub words: HashSet<String>,
    /// Words of the objective printed over it.
    pub objective: HashSet<String>,
    /// Its first day.
    pub start: Option<NaiveDate>,
    /// Its last day.
    pub end: Option<NaiveDate>,
}

/// An update, as far as matching needs it.
#[derive(Clone, Debug, Default)]
pub struct Update {
    /// The milestone sentence as printed, whose updates may share a milestone.
    pub heading: String,
    /// Its words, without its date phrase, and that phrase's dates.
    pub heading_words: HashSet<String>,
    /// The dates of the milestone sentence's date phrase.
    pub heading_dates: Option<Dates>,
    /// The activity's words, without its date phrase.
    pub activity_words: HashSet<String>,
    /// The dates of the activity's date phrase.
    pub activity_dates: Option<Dates>,
    /// The words of the update's text and next steps.
    pub text_words: HashSet<String>,
}

/// A piece of evidence that scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Evidence {
    /// The activity's words.
    Activity,
    /// The milestone sentence's words.
    Milestone,
    /// The dates printed with either.
    Dates,
    /// The update's own text.
    Text,
    /// The objective printed over the milestone.
    Objective,
}

impl Evidence {
    /// Its name as stored and served.
    pub fn name(self) -> &'static str {
        match self {
            Self::Activity => "ACTIVITY",
            Self::Milestone => "MILESTONE",
            Self::Dates => "DATES",
            Self::Text => "TEXT",
            Self::Objective => "OBJECTIVE",
        }
    }
}

/// What became of one update.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// Linked to `milestone`, by `score`, `margin` ahead of the runner-up.
    Linked {
        /// The milestone's row ID.
        milestone: i64,
        /// The winning score.
        score: f64,
        /// Its lead over the next candidate (the whole score when none scored).
        margin: f64,
        /// The evidence that scored.
        evidence: Vec<Evidence>,
    },
    /// Two milestones fit about as well: the update stays unlinked.
    Close(i64, i64),
    /// No milestone fits well enough.
    Unmatched,
}

/// One (update, milestone) score and how it was made.
#[derive(Clone, Debug)]
struct Scored {
    score: f64,
    evidence: Vec<Evidence>,
    /// True when the activity's own words made the score: such an update has a milestone of
    /// its own, and does not share one with the other activities of its printed milestone.
    by_activity: bool,
}

fn dice(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 0.0;
    }
    #[expect(clippy::cast_precision_loss, reason = "word counts are small")]
    let d = 2.0 * a.intersection(b).count() as f64 / total as f64;
    d
}

fn date_bonus(dates: Option<Dates>, c: &Candidate) -> f64 {
    match (dates, c.start, c.end) {
        (Some((Some(s), Some(e))), Some(cs), Some(ce)) if s == cs && e == ce => 0.25,
        (Some((Some(s), Some(e))), Some(cs), Some(ce)) if s <= ce && cs <= e => 0.1,
        (Some((Some(_), Some(_))), Some(_), Some(_)) => -0.25,
        _ => 0.0,
    }
}

fn score(u: &Update, c: &Candidate) -> Scored {
    let by_activity = dice(&u.activity_words, &c.words);
    let by_heading = dice(&u.heading_words, &c.words);
    let activity_dates = date_bonus(u.activity_dates.or(u.heading_dates), c);
    let heading_dates = date_bonus(u.heading_dates.or(u.activity_dates), c);
    let (base, dates, activity_won) =
        if by_activity > 0.0 && by_activity + activity_dates >= by_heading + heading_dates {
            (by_activity + activity_dates, activity_dates, true)
        } else {
            (by_heading + heading_dates, heading_dates, false)
        };
    #[expect(clippy::cast_precision_loss, reason = "word counts are small")]
    let text = if c.words.is_empty() {
        0.0
    } else {
        c.words.intersection(&u.text_words).count() as f64 / c.words.len() as f64
    };
    let printed: HashSet<String> = u.heading_words.union(&u.activity_words).cloned().collect();
    let objective = dice(&printed, &c.objective);
    let mut evidence = Vec::new();
    for (scored, e) in [
        (by_activity > 0.0, Evidence::Activity),
        (by_heading > 0.0, Evidence::Milestone),
        (dates > 0.0, Evidence::Dates),
        (text > 0.0, Evidence::Text),
        (objective > 0.0, Evidence::Objective),
    ] {
        if scored {
            evidence.push(e);
        }
    }
    Scored {
        score: base + TEXT_WEIGHT * text + OBJECTIVE_WEIGHT * objective,
        evidence,
        by_activity: activity_won,
    }
}

/// Decides, for each update of one report (in order), which of `candidates` it reports on.
pub fn assign(updates: &[Update], candidates: &[Candidate]) -> Vec<Decision> {
    let scores: Vec<Vec<Scored>> = updates
        .iter()
        .map(|u| candidates.iter().map(|c| score(u, c)).collect())
        .collect();
    let mut pairs: Vec<(usize, usize)> = (0..updates.len())
        .flat_map(|u| (0..candidates.len()).map(move |c| (u, c)))
        .filter(|&(u, c)| scores[u][c].score >= MIN_SCORE)
        .collect();
    pairs.sort_by(|a, b| {
        scores[b.0][b.1]
            .score
            .total_cmp(&scores[a.0][a.1].score)
            .then(a.cmp(b))
    });
    let mut decisions = vec![Decision::Unmatched; updates.len()];
    let mut decided = vec![false; updates.len()];
    // Which update took each milestone.
    let mut taken: HashMap<usize, usize> = HashMap::new();
    // May update `u` take milestone `c`? Free, or held by an update printed under the same
    // milestone sentence that, like this one, matched through it rather than its activity.
    let open = |taken: &HashMap<usize, usize>, u: usize, c: usize| match taken.get(&c) {
        None => true,
        Some(&holder) => {
            updates[holder].heading == updates[u].heading
                && !scores[u][c].by_activity
                && !scores[holder][c].by_activity
        }
    };
    for &(u, c) in &pairs {
        if decided[u] || !open(&taken, u, c) {
            continue;
        }
        let best = &scores[u][c];
        let runner = (0..candidates.len())
            .filter(|&o| o != c && open(&taken, u, o))
            .max_by(|&a, &b| scores[u][a].score.total_cmp(&scores[u][b].score));
        let runner_score = runner.map_or(0.0, |o| scores[u][o].score.max(0.0));
        decided[u] = true;
        if let Some(o) = runner.filter(|_| best.score - runner_score < MARGIN) {
            decisions[u] = Decision::Close(candidates[c].id, candidates[o].id);
            continue;
        }
        taken.insert(c, u);
        decisions[u] = Decision::Linked {
            milestone: candidates[c].id,
            score: best.score,
            margin: best.score - runner_score,
            evidence: best.evidence.clone(),
        };
    }
    decisions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::words;

    fn candidate(id: i64, title: &str, objective: &str) -> Candidate {
        Candidate {
            id,
            title: title.to_owned(),
            words: words(title),
            objective: words(objective),
            start: None,
            end: None,
        }
    }

    fn update(heading: &str, activity: &str, text: &str) -> Update {
        Update {
            heading: heading.to_owned(),
            heading_words: words(heading),
            activity_words: words(activity),
            text_words: words(text),
            ..Update::default()
        }
    }

    fn linked(d: &Decision) -> Option<i64> {
        match d {
            Decision::Linked { milestone, .. } => Some(*milestone),
            _ => None,
        }
    }

    #[test]
    fn dates_break_ties_between_similar_milestones() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        let mut a = candidate(1, "review the plan", "");
        (a.start, a.end) = (d(2021, 8, 1), d(2022, 1, 31));
        let mut b = candidate(2, "review the plan", "");
        (b.start, b.end) = (d(2023, 8, 1), d(2024, 1, 31));
        let mut u = update("", "Review the plan", "");
        u.activity_dates = Some((d(2023, 8, 1), d(2024, 1, 31)));
        let decisions = assign(&[u], &[a.clone(), b.clone()]);
        assert_eq!(linked(&decisions[0]), Some(2));
        let other = update("", "something else entirely", "");
        assert_eq!(assign(&[other], &[a, b]), vec![Decision::Unmatched]);
    }

    #[test]
    fn activity_titles_under_one_objective_sentence_go_one_to_one() {
        let objective = "To make sure riders shape the timetables";
        let ms = [
            candidate(
                1,
                "set up a riders' design panel and agree its terms",
                objective,
            ),
            candidate(2, "recruit panel members from every glen", objective),
            candidate(3, "publish the route data", "To open the data"),
        ];
        // The report prints the objective as its milestone, then a short activity title.
        let us = [
            update(
                objective,
                "Design panel - agreeing its terms",
                "The panel met twice.",
            ),
            update(
                objective,
                "Recruiting members",
                "Members joined from every glen.",
            ),
        ];
        let decisions = assign(&us, &ms);
        assert_eq!(
            decisions.iter().map(linked).collect::<Vec<_>>(),
            vec![Some(1), Some(2)]
        );
        let Decision::Linked { evidence, .. } = &decisions[0] else {
            panic!("linked")
        };
        assert!(evidence.contains(&Evidence::Activity));
        assert!(evidence.contains(&Evidence::Objective));
    }

    #[test]
    fn the_objective_alone_links_nothing() {
        let objective = "To make sure riders shape the timetables";
        let ms = [candidate(1, "publish a leaflet", objective)];
        let us = [update(objective, "", "")];
        assert_eq!(assign(&us, &ms), vec![Decision::Unmatched]);
    }

    #[test]
    fn activities_sharing_their_printed_milestone_share_its_link() {
        let ms = [
            candidate(
                1,
                "test the record viewer prototype with two health boards",
                "",
            ),
            candidate(2, "publish the viewer guide", ""),
        ];
        let heading = "Test the record viewer prototype with two health boards";
        let us = [
            update(
                heading,
                "Viewer testing in Fife",
                "Twenty patients tried it.",
            ),
            update(
                heading,
                "Viewer testing in the Western Isles",
                "Planned for January.",
            ),
        ];
        assert_eq!(
            assign(&us, &ms).iter().map(linked).collect::<Vec<_>>(),
            vec![Some(1), Some(1)]
        );
    }

    #[test]
    fn two_close_candidates_leave_the_update_unlinked() {
        let ms = [
            candidate(1, "agree the winter timetable", ""),
            candidate(2, "agree the summer timetable", ""),
        ];
        let us = [update("", "Agree the timetable", "")];
        assert_eq!(assign(&us, &ms), vec![Decision::Close(1, 2)]);
    }
}
