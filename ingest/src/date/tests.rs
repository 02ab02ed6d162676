//! Unit and property tests of date reading, with expected days worked out from the calendar.

use super::*;

fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, day)
}

fn bounds(text: &str) -> (Option<NaiveDate>, Option<NaiveDate>) {
    match FuzzyDate::parse(text) {
        Ok(f) => (f.start, f.end),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn month_ranges_as_the_commitment_pages_print_them() {
    // ogp-2021-25-commitment-2-overview.txt: "Start August 2021 – end January 2022"
    assert_eq!(
        bounds("Start August 2021 – end January 2022"),
        (d(2021, 8, 1), d(2022, 1, 31))
    );
    assert_eq!(
        bounds("start August 2021 – end February 2022"),
        (d(2021, 8, 1), d(2022, 2, 28))
    );
    // The same milestone in the milestones publication: "(start: Aug. '21 – end: Jan. '22)".
    assert_eq!(
        bounds("(start: Aug. '21 – end: Jan. '22)"),
        (d(2021, 8, 1), d(2022, 1, 31))
    );
    assert_eq!(
        bounds("October 2021 to September 2025"),
        (d(2021, 10, 1), d(2025, 9, 30))
    );
    assert_eq!(
        bounds("August to December 2022"),
        (d(2022, 8, 1), d(2022, 12, 31))
    );
}

#[test]
fn seasons_are_meteorological_and_winter_spans_the_new_year() {
    assert_eq!(bounds("winter 2021/22"), (d(2021, 12, 1), d(2022, 2, 28)));
    assert_eq!(bounds("winter 2021/2022"), (d(2021, 12, 1), d(2022, 2, 28)));
    assert_eq!(bounds("winter 2023/24"), (d(2023, 12, 1), d(2024, 2, 29)));
    assert_eq!(bounds("Summer 2017"), (d(2017, 6, 1), d(2017, 8, 31)));
    assert_eq!(bounds("autumn 2022"), (d(2022, 9, 1), d(2022, 11, 30)));
    assert!(FuzzyDate::parse("winter 2021/23").is_err());
    assert!(FuzzyDate::parse("summer 2021/22").is_err());
}

#[test]
fn single_months_years_and_days() {
    assert_eq!(bounds("March 2024"), (d(2024, 3, 1), d(2024, 3, 31)));
    assert_eq!(bounds("Sept 2021"), (d(2021, 9, 1), d(2021, 9, 30)));
    assert_eq!(bounds("2021"), (d(2021, 1, 1), d(2021, 12, 31)));
    assert_eq!(bounds("4 August 2023"), (d(2023, 8, 4), d(2023, 8, 4)));
    assert_eq!(bounds("2022-08-31"), (d(2022, 8, 31), d(2022, 8, 31)));
    assert!(FuzzyDate::parse("31 February 2023").is_err());
}

#[test]
fn financial_years_and_year_spans() {
    assert_eq!(bounds("2023-24"), (d(2023, 4, 1), d(2024, 3, 31)));
    assert_eq!(bounds("2099-00"), (d(2099, 4, 1), d(2100, 3, 31)));
    assert_eq!(bounds("2017-22"), (d(2017, 1, 1), d(2022, 12, 31)));
    assert_eq!(bounds("2021-2025"), (d(2021, 1, 1), d(2025, 12, 31)));
}

#[test]
fn open_ended_phrases_keep_only_the_bound_they_state() {
    assert_eq!(bounds("by March 2024"), (None, d(2024, 3, 31)));
    assert_eq!(bounds("from Summer 2017"), (d(2017, 6, 1), None));
}

#[test]
fn quarters_calendar_and_financial() {
    assert_eq!(bounds("Q1 2024"), (d(2024, 1, 1), d(2024, 3, 31)));
    assert_eq!(bounds("Q4 2024"), (d(2024, 10, 1), d(2024, 12, 31)));
    assert_eq!(bounds("Q1 2023-24"), (d(2023, 4, 1), d(2023, 6, 30)));
    assert_eq!(bounds("Q4 2023-24"), (d(2024, 1, 1), d(2024, 3, 31)));
    assert_eq!(
        bounds("third quarter of 2022"),
        (d(2022, 7, 1), d(2022, 9, 30))
    );
}

#[test]
fn nonsense_is_an_error_that_names_the_phrase() {
    let err = FuzzyDate::parse("when resources allow").err();
    assert_eq!(
        err.map(|e| e.to_string()),
        Some("unrecognised date phrase \"when resources allow\"".to_owned())
    );
    assert!(FuzzyDate::parse("").is_err());
    assert!(FuzzyDate::parse("January 2023 – March 2022").is_err());
}

#[test]
fn dates_are_found_inside_milestone_sentences() {
    // ogp-2021-25-commitment-2-overview.txt, first milestone.
    let text =
        "hire and on-board a person centred design team. Start August 2021 – end January 2022";
    let found = find_date(text).expect("a date in the milestone");
    assert_eq!(found.date.text, "Start August 2021 – end January 2022");
    assert_eq!(found.date.start, d(2021, 8, 1));
    assert_eq!(
        &text[found.range.clone()],
        "Start August 2021 – end January 2022"
    );

    // ogp-2021-25-commitment-2-progress-to-august-2022.txt: "(winter 2021/22)".
    let found = find_date("ensure actions are progressed as intended (winter 2021/22). We will")
        .expect("a bracketed season");
    assert_eq!(found.date.text, "winter 2021/22");
    assert_eq!(found.date.end, d(2022, 2, 28));

    let found = find_date("ensure actions are progressed as intended in winter 2021/2022. We")
        .expect("a season in running text");
    assert_eq!(found.date.start, d(2021, 12, 1));

    assert_eq!(find_date("review relevant good practice"), None);
}

#[test]
fn an_unreadable_bracketed_date_is_kept_without_bounds() {
    let found = find_date("do the thing (sometime in 2022, maybe)").expect("kept");
    assert!(found.date.is_undated());
    assert_eq!(found.date.text, "sometime in 2022, maybe");
}

fn bounds_in(text: &str, reference: (i32, u32, u32)) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let reference = NaiveDate::from_ymd_opt(reference.0, reference.1, reference.2);
    assert!(reference.is_some(), "bad reference day in the test");
    match FuzzyDate::parse_in(text, reference) {
        Ok(f) => (f.start, f.end),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn two_quarters_cover_both_and_what_lies_between() {
    assert_eq!(
        bounds("Q4 2022 or Q1 2023"),
        (d(2022, 10, 1), d(2023, 3, 31))
    );
    assert_eq!(bounds("Q1 and Q2 2023"), (d(2023, 1, 1), d(2023, 6, 30)));
    assert_eq!(bounds("q3 and q4 2023"), (d(2023, 7, 1), d(2023, 12, 31)));
    assert_eq!(bounds("Q3/4 2023"), (d(2023, 7, 1), d(2023, 12, 31)));
    assert_eq!(bounds("Q2 to Q3 2025"), (d(2025, 4, 1), d(2025, 9, 30)));
    // The first quarter borrows the year before when it comes after the second.
    assert_eq!(bounds("Q4 and Q1 2024"), (d(2023, 10, 1), d(2024, 3, 31)));
    assert!(FuzzyDate::parse("Q3 2023 or Q1 2023").is_err());
}

#[test]
fn quarter_deadlines_and_starts() {
    assert_eq!(bounds("by Q1 in 2024"), (None, d(2024, 3, 31)));
    assert_eq!(bounds("By end Q1 2024"), (None, d(2024, 3, 31)));
    assert_eq!(bounds("by the end of Q3 2026"), (None, d(2026, 9, 30)));
    assert_eq!(bounds("from Q3 2022"), (d(2022, 7, 1), None));
    assert_eq!(bounds("Q2 2024"), (d(2024, 4, 1), d(2024, 6, 30)));
}

#[test]
fn consecutive_year_pairs_and_budgets_are_financial_years() {
    assert_eq!(bounds("2023/24"), (d(2023, 4, 1), d(2024, 3, 31)));
    assert_eq!(bounds("during 2023-24"), (d(2023, 4, 1), d(2024, 3, 31)));
    assert_eq!(bounds("During 2025/2026"), (d(2025, 4, 1), d(2026, 3, 31)));
    assert_eq!(
        bounds("Scottish Budget 2021 - 2022"),
        (d(2021, 4, 1), d(2022, 3, 31))
    );
    assert_eq!(
        bounds("the 2020-21 Scottish Budget"),
        (d(2020, 4, 1), d(2021, 3, 31))
    );
    assert_eq!(
        bounds("financial year 2019/20"),
        (d(2019, 4, 1), d(2020, 3, 31))
    );
    // A budget names one financial year, so a longer gap is not read as a span.
    assert!(FuzzyDate::parse("Scottish Budget 2021 - 2023").is_err());
    // "to" between years stays a span of calendar years.
    assert_eq!(bounds("2021 to 2025"), (d(2021, 1, 1), d(2025, 12, 31)));
    assert_eq!(bounds("2022 to 2023"), (d(2022, 1, 1), d(2023, 12, 31)));
}

#[test]
fn abbreviated_months_with_two_digit_years() {
    assert_eq!(bounds("Aug. ’21"), (d(2021, 8, 1), d(2021, 8, 31)));
    assert_eq!(bounds("Feb ’22"), (d(2022, 2, 1), d(2022, 2, 28)));
    assert_eq!(bounds("Feb '24"), (d(2024, 2, 1), d(2024, 2, 29)));
    assert_eq!(
        bounds("(start: Aug. ’21 – end: Jan. ’22)"),
        (d(2021, 8, 1), d(2022, 1, 31))
    );
    assert_eq!(
        bounds("(start: Sep. ‘20 – end: Feb ’21)"),
        (d(2020, 9, 1), d(2021, 2, 28))
    );
}

#[test]
fn month_ranges_that_print_one_year() {
    assert_eq!(bounds("June-July 2022"), (d(2022, 6, 1), d(2022, 7, 31)));
    assert_eq!(bounds("(March–May 2025)"), (d(2025, 3, 1), d(2025, 5, 31)));
    // Inverted: the first month falls in the year before.
    assert_eq!(
        bounds("August-January 2022"),
        (d(2021, 8, 1), d(2022, 1, 31))
    );
    assert_eq!(
        bounds("November to February 2024"),
        (d(2023, 11, 1), d(2024, 2, 29))
    );
    // Both years printed and backwards is still refused.
    assert!(FuzzyDate::parse("August 2022-January 2022").is_err());
}

#[test]
fn year_deadlines_have_an_end_and_no_start() {
    assert_eq!(bounds("by the end of 2024"), (None, d(2024, 12, 31)));
    assert_eq!(bounds("by 2026"), (None, d(2026, 12, 31)));
    assert_eq!(bounds("By end 2023"), (None, d(2023, 12, 31)));
    assert_eq!(bounds("By end December 2022"), (None, d(2022, 12, 31)));
    assert_eq!(
        bounds("at the end of 2027"),
        (d(2027, 1, 1), d(2027, 12, 31))
    );
}

#[test]
fn a_day_or_month_without_a_year_needs_a_reference() {
    assert!(FuzzyDate::parse("By end June").is_err());
    assert!(FuzzyDate::parse("1 September").is_err());
    assert!(FuzzyDate::parse_in("1 September", None).is_err());
    // A deadline in a May report: this June; in an October report: the June just gone.
    assert_eq!(
        bounds_in("By end June", (2023, 5, 31)),
        (None, d(2023, 6, 30))
    );
    assert_eq!(
        bounds_in("By end June", (2023, 10, 31)),
        (None, d(2023, 6, 30))
    );
    // Six months ahead is still ahead for a deadline.
    assert_eq!(
        bounds_in("by end of November", (2023, 5, 31)),
        (None, d(2023, 11, 30))
    );
    assert_eq!(
        bounds_in("1 September", (2024, 9, 30)),
        (d(2024, 9, 1), d(2024, 9, 1))
    );
    // Across the new year, both ways.
    assert_eq!(
        bounds_in("on 22 February", (2024, 12, 31)),
        (d(2025, 2, 22), d(2025, 2, 22))
    );
    assert_eq!(
        bounds_in("In November", (2025, 2, 28)),
        (d(2024, 11, 1), d(2024, 11, 30))
    );
    // Six months back, for a plain mention, is back.
    assert_eq!(
        bounds_in("in March", (2025, 9, 30)),
        (d(2025, 3, 1), d(2025, 3, 31))
    );
    assert_eq!(
        bounds_in("from June to August", (2024, 9, 30)),
        (d(2024, 6, 1), d(2024, 8, 31))
    );
    assert_eq!(
        bounds_in("between January and April", (2024, 6, 30)),
        (d(2024, 1, 1), d(2024, 4, 30))
    );
    // A reference never changes a phrase that states its year.
    assert_eq!(
        bounds_in("March 2019", (2024, 6, 30)),
        (d(2019, 3, 1), d(2019, 3, 31))
    );
    assert!(FuzzyDate::parse_in("31 February", NaiveDate::from_ymd_opt(2024, 1, 31)).is_err());
}

fn found(text: &str) -> (String, Option<NaiveDate>, Option<NaiveDate>) {
    found_in(text, None)
}

#[test]
fn period_forms_are_found_inside_sentences() {
    assert_eq!(
        found("Agree the benchmark with partners in Q4 2022 or Q1 2023."),
        (
            "Q4 2022 or Q1 2023".to_owned(),
            d(2022, 10, 1),
            d(2023, 3, 31)
        )
    );
    assert_eq!(
        found("Compare Q1 and Q2 2023 spending"),
        ("Q1 and Q2 2023".to_owned(), d(2023, 1, 1), d(2023, 6, 30))
    );
    assert_eq!(
        found("Publish the first report by the end of 2024"),
        ("by the end of 2024".to_owned(), None, d(2024, 12, 31))
    );
    assert_eq!(
        found("Open the portal by 2026 for all boards"),
        ("by 2026".to_owned(), None, d(2026, 12, 31))
    );
    assert_eq!(
        found("Hold the review during 2023-24 with partners"),
        ("2023-24".to_owned(), d(2023, 4, 1), d(2024, 3, 31))
    );
    assert_eq!(
        found("Set the figures out in the 2020-21 Scottish Budget"),
        (
            "2020-21 Scottish Budget".to_owned(),
            d(2020, 4, 1),
            d(2021, 3, 31)
        )
    );
    assert_eq!(
        found("Release the data (June-July 2022)"),
        ("June-July 2022".to_owned(), d(2022, 6, 1), d(2022, 7, 31))
    );
    assert_eq!(
        found("Finish the pilot (August-January 2022)"),
        (
            "August-January 2022".to_owned(),
            d(2021, 8, 1),
            d(2022, 1, 31)
        )
    );
    assert_eq!(
        found("Map the services (start: Aug. ’21 – end: Feb ’22) with users"),
        (
            "start: Aug. ’21 – end: Feb ’22".to_owned(),
            d(2021, 8, 1),
            d(2022, 2, 28)
        )
    );
    // A placing "in" is not part of the phrase; a "by" is.
    assert_eq!(
        found("progressed as intended in winter 2021/2022."),
        (
            "winter 2021/2022".to_owned(),
            d(2021, 12, 1),
            d(2022, 2, 28)
        )
    );
    assert_eq!(
        found("Agree the scope By end Q1 2024"),
        ("By end Q1 2024".to_owned(), None, d(2024, 3, 31))
    );
}

#[test]
fn a_phrase_with_dates_beats_one_without_and_longer_beats_shorter() {
    // "In June" has no year; the deadline has one.
    assert_eq!(
        found("In June we met the boards; the plan is due by March 2024"),
        ("by March 2024".to_owned(), None, d(2024, 3, 31))
    );
    // Both dated: the longer phrase, with its lead-in.
    assert_eq!(
        found("After March 2022 we will run it from Q3 2022 to Q1 2023"),
        (
            "from Q3 2022 to Q1 2023".to_owned(),
            d(2022, 7, 1),
            d(2023, 3, 31)
        )
    );
}

#[test]
fn a_day_or_month_without_a_year_is_found_and_kept_undated_without_a_reference() {
    let text = "Run the workshop on 1 September with staff";
    let f = find_date(text).expect("a year-less day");
    assert_eq!(f.date.text, "1 September");
    assert!(f.date.is_undated());
    assert_eq!(text.get(f.range.clone()), Some("1 September"));

    let f = find_date_in(text, NaiveDate::from_ymd_opt(2024, 9, 30)).expect("a year-less day");
    assert_eq!((f.date.start, f.date.end), (d(2024, 9, 1), d(2024, 9, 1)));

    let f = find_date_in(
        "By end June, agree the scope with partners",
        NaiveDate::from_ymd_opt(2023, 5, 31),
    )
    .expect("a year-less deadline");
    assert_eq!(f.date.text, "By end June");
    assert_eq!((f.date.start, f.date.end), (None, d(2023, 6, 30)));
}

#[test]
fn ordinary_numbers_and_words_are_not_dates() {
    for text in [
        "offer 2 or 3 sessions to each team",
        "a Q&A with 24 partners",
        "we may review this later",
        "59 sessions, split 39 / 16 / 4",
        "reach 1000 homes in 1000 days",
        "Commitment 2: health and social care",
        "a 10-week period of engagement",
        "We met 12 of the 2024 applicants",
        "since the march of progress",
        "over 250 people took part (2 or 3 per board)",
        "the Q1 figures",
    ] {
        assert_eq!(find_date(text), None, "{text:?}");
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,60}") {
            let _ = FuzzyDate::parse(&s);
            let _ = find_date(&s);
        }

        #[test]
        fn a_month_covers_exactly_that_month(year in 1990i32..2100, m in 0usize..12, abbreviate: bool) {
            let name = if abbreviate { MONTHS[m][..3].to_owned() } else { MONTHS[m].to_owned() };
            let f = FuzzyDate::parse(&format!("{name} {year}")).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let (start, end) = (f.start.unwrap_or_default(), f.end.unwrap_or_default());
            prop_assert_eq!(start.day(), 1);
            prop_assert_eq!(start.month() as usize, m + 1);
            prop_assert_eq!(end.month() as usize, m + 1);
            prop_assert_eq!(end.succ_opt().map(|n| n.day()), Some(1));
        }

        #[test]
        fn ranges_start_no_later_than_they_end(y1 in 2000i32..2040, m1 in 0usize..12, gap in 0i32..5, m2 in 0usize..12, sep in prop::sample::select(vec![" – ", " - ", " to "])) {
            let y2 = y1 + gap;
            let text = format!("{} {y1}{sep}{} {y2}", MONTHS[m1], MONTHS[m2]);
            match FuzzyDate::parse(&text) {
                Ok(f) => {
                    let (s, e) = (f.start.unwrap_or_default(), f.end.unwrap_or_default());
                    prop_assert!(s <= e);
                    prop_assert_eq!(s.year(), y1);
                    prop_assert_eq!(e.year(), y2);
                }
                // Only a range that runs backwards may be refused.
                Err(_) => prop_assert!(gap == 0 && m2 < m1),
            }
        }

        #[test]
        fn financial_years_run_april_to_march(y in 1990i32..2098) {
            let f = FuzzyDate::parse(&format!("{y}-{:02}", (y + 1) % 100)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(f.start, NaiveDate::from_ymd_opt(y, 4, 1));
            prop_assert_eq!(f.end, NaiveDate::from_ymd_opt(y + 1, 3, 31));
        }

        #[test]
        fn winter_is_three_months_from_december(y in 1990i32..2098) {
            let f = FuzzyDate::parse(&format!("winter {y}/{:02}", (y + 1) % 100)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(f.start, NaiveDate::from_ymd_opt(y, 12, 1));
            prop_assert_eq!(f.end.map(|e| (e.year(), e.month())), Some((y + 1, 2)));
        }

        #[test]
        fn a_quarter_covers_its_three_calendar_months(q in 1u32..=4, y in 1990i32..2100) {
            let f = FuzzyDate::parse(&format!("Q{q} {y}")).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let first_month = 3 * q - 2;
            let next_quarter = if q == 4 {
                NaiveDate::from_ymd_opt(y + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(y, first_month + 3, 1)
            };
            prop_assert_eq!(f.start, NaiveDate::from_ymd_opt(y, first_month, 1));
            prop_assert_eq!(f.end, next_quarter.and_then(|n| n.pred_opt()));
        }

        #[test]
        fn a_slashed_or_budget_year_pair_is_a_financial_year(y in 1990i32..2098, budget: bool) {
            let text = if budget {
                format!("Scottish Budget {y} - {}", y + 1)
            } else {
                format!("{y}/{:02}", (y + 1) % 100)
            };
            let f = FuzzyDate::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(f.start, NaiveDate::from_ymd_opt(y, 4, 1));
            prop_assert_eq!(f.end, NaiveDate::from_ymd_opt(y + 1, 3, 31));
        }

        #[test]
        fn a_one_year_month_range_starts_before_it_ends(y in 2000i32..2090, m1 in 0usize..12, m2 in 0usize..12) {
            let f = FuzzyDate::parse(&format!("{}-{} {y}", MONTHS[m1], MONTHS[m2])).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let (s, e) = (f.start.unwrap_or_default(), f.end.unwrap_or_default());
            prop_assert!(s < e);
            prop_assert_eq!((e.year(), e.month() as usize), (y, m2 + 1));
            prop_assert_eq!(s.month() as usize, m1 + 1);
            // Inverted ranges start in the year before.
            prop_assert_eq!(s.year(), if m1 > m2 { y - 1 } else { y });
        }

        #[test]
        fn a_month_without_a_year_lands_near_the_reference(y in 2000i32..2090, rm in 1u32..=12, m in 0usize..12, deadline: bool) {
            let reference = NaiveDate::from_ymd_opt(y, rm, 1).unwrap_or_default();
            let text = if deadline { format!("by {}", MONTHS[m]) } else { format!("in {}", MONTHS[m]) };
            let f = FuzzyDate::parse_in(&text, Some(reference)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let day = if deadline { f.end } else { f.start }.unwrap_or_default();
            prop_assert_eq!(day.month() as usize, m + 1);
            let gap = (day.year() - y) * 12 + day.month() as i32 - rm as i32;
            if deadline {
                prop_assert!((-5..=6).contains(&gap), "{} is {} months from the reference", text, gap);
            } else {
                prop_assert!((-6..=5).contains(&gap), "{} is {} months from the reference", text, gap);
            }
        }

        #[test]
        fn counts_of_things_are_never_dates(a in 0u32..10000, b in 0u32..100, noun in prop::sample::select(vec!["sessions", "partners", "people", "teams"])) {
            let text = format!("{a} or {b} {noun}, then {b} {noun}");
            prop_assert_eq!(find_date(&text), None);
        }
    }
}

#[test]
fn between_two_month_years_is_one_range_and_and_alone_is_not() {
    // The research notes, section 7.3: "between January and April", here with both years.
    let text = "hold panel sessions with residents between November 2022 and February 2023";
    let found = find_date(text).expect("a range");
    assert_eq!(
        &text[found.range.clone()],
        "between November 2022 and February 2023"
    );
    assert_eq!(found.date.start, d(2022, 11, 1));
    assert_eq!(found.date.end, d(2023, 2, 28));
    // Without "between", "and" joins two dates, not a range's ends: one of them is found.
    let found = find_date("report in March 2023 and June 2024").expect("a date");
    assert_eq!(
        (found.date.start, found.date.end),
        (d(2023, 3, 1), d(2023, 3, 31))
    );
}

fn reference(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
    let r = NaiveDate::from_ymd_opt(y, m, day);
    assert!(r.is_some(), "bad reference day in the test");
    r
}

fn found_in(text: &str, on: Option<NaiveDate>) -> (String, Option<NaiveDate>, Option<NaiveDate>) {
    match find_date_in(text, on) {
        Some(f) => {
            assert_eq!(
                text.get(f.range.clone())
                    .map(|s| s.trim_matches(['(', ')'])),
                Some(f.date.text.as_str()),
                "the range is where the phrase stands"
            );
            (f.date.text, f.date.start, f.date.end)
        }
        None => panic!("no date found in {text:?}"),
    }
}

#[test]
fn two_months_of_one_year_joined_by_a_spaced_hyphen() {
    // The 2018-20 plan's commitment 3 page title, research notes section 2.5.
    assert_eq!(
        bounds("September - December 2019"),
        (d(2019, 9, 1), d(2019, 12, 31))
    );
    assert_eq!(
        found("Progress report: September - December 2019"),
        (
            "September - December 2019".to_owned(),
            d(2019, 9, 1),
            d(2019, 12, 31)
        )
    );
}

#[test]
fn a_season_of_a_year_and_a_deadline_before_a_season() {
    assert_eq!(bounds("by Summer 2024"), (None, d(2024, 8, 31)));
    assert_eq!(
        bounds("in the spring of 2023"),
        (d(2023, 3, 1), d(2023, 5, 31))
    );
    assert_eq!(
        bounds("the autumn of 2023"),
        (d(2023, 9, 1), d(2023, 11, 30))
    );
    assert_eq!(
        found("Publish the guidance by Summer 2024."),
        ("by Summer 2024".to_owned(), None, d(2024, 8, 31))
    );
    // Research notes section 3, delivery plan 2022-23 page 8: a day without a year and a season
    // with one; the dated phrase wins.
    assert_eq!(
        found("The consultation closed on 12 August and we will report in the spring of 2023."),
        (
            "the spring of 2023".to_owned(),
            d(2023, 3, 1),
            d(2023, 5, 31)
        )
    );
    assert_eq!(
        found("A new service will start in the autumn of 2023"),
        (
            "the autumn of 2023".to_owned(),
            d(2023, 9, 1),
            d(2023, 11, 30)
        )
    );
}

#[test]
fn a_season_without_a_year_is_read_against_the_report_date() {
    // Commitment 2's reports print "over summer" and "through summer and into early autumn";
    // "Progress to August 2022" makes its reference 31 August 2022.
    let august_2022 = reference(2022, 8, 31);
    assert!(FuzzyDate::parse("over summer").is_err());
    assert_eq!(
        FuzzyDate::parse_in("over summer", august_2022).map(|f| (f.start, f.end)),
        Ok((d(2022, 6, 1), d(2022, 8, 31)))
    );
    // Read by the season's first month: in November, June is five months back; in February,
    // four ahead.
    assert_eq!(
        bounds_in("over summer", (2022, 11, 30)),
        (d(2022, 6, 1), d(2022, 8, 31))
    );
    assert_eq!(
        bounds_in("over summer", (2023, 2, 28)),
        (d(2023, 6, 1), d(2023, 8, 31))
    );
    // A February report's winter is the one it stands in.
    assert_eq!(
        bounds_in("over winter", (2023, 2, 28)),
        (d(2022, 12, 1), d(2023, 2, 28))
    );
    // "early autumn" is autumn's first month.
    assert_eq!(
        bounds_in("through summer and into early autumn", (2022, 11, 30)),
        (d(2022, 6, 1), d(2022, 9, 30))
    );
    assert_eq!(
        bounds_in("by summer", (2024, 3, 31)),
        (None, d(2024, 8, 31))
    );

    // Found in a sentence: the placing "over" or "through" is not part of the phrase.
    let text = "Partners ran drop-in sessions over summer with carers";
    assert_eq!(
        found_in(text, august_2022),
        ("summer".to_owned(), d(2022, 6, 1), d(2022, 8, 31))
    );
    let f = find_date(text).expect("a season without a year is found");
    assert_eq!(f.date.text, "summer");
    assert!(f.date.is_undated(), "without a reference it has no year");
    assert_eq!(
        found_in(
            "Work continued through summer and into early autumn.",
            reference(2022, 11, 30)
        ),
        (
            "summer and into early autumn".to_owned(),
            d(2022, 6, 1),
            d(2022, 9, 30)
        )
    );
    // Without a lead-in a season word is no date.
    assert_eq!(find_date("we will spring into action"), None);
    assert_eq!(find_date_in("summer schools for carers", august_2022), None);
    // A capitalised season running into a name is the name's first word.
    assert_eq!(
        find_date_in(
            "Boards shared their rotas in the Winter Resilience Plan",
            august_2022
        ),
        None
    );
    assert_eq!(
        found_in("Clinics ran late in the Winter, as planned", august_2022).0,
        "Winter"
    );
}

#[test]
fn up_to_a_month_is_an_open_end() {
    // Commitment 2, research notes section 2.1: "up to February 2025".
    assert_eq!(bounds("up to February 2025"), (None, d(2025, 2, 28)));
    assert_eq!(
        found("Funding is in place up to February 2025 for the pilots"),
        ("up to February 2025".to_owned(), None, d(2025, 2, 28))
    );
    // A count after "up to" is no year.
    assert_eq!(find_date("up to 2000 carers took part"), None);
}

#[test]
fn a_year_keyed_milestone_label_is_dated_by_its_bracket() {
    // Commitment 1 (June 2024) and commitment 3 (December 2024), research notes section 2.
    for (label, start, end) in [
        ("Milestone (2024)", d(2024, 1, 1), d(2024, 12, 31)),
        ("Milestone (2025)", d(2025, 1, 1), d(2025, 12, 31)),
        // "2024 to 2025" is a span of calendar years, as "2021 to 2025" is.
        ("Milestone (2024 to 2025)", d(2024, 1, 1), d(2025, 12, 31)),
    ] {
        let f = find_date(label).expect("the bracket is a date");
        assert_eq!(
            label.get(f.range.clone()),
            label.get(label.find('(').unwrap_or_default()..),
            "{label:?}: the bracket, brackets included"
        );
        assert_eq!((f.date.start, f.date.end), (start, end), "{label:?}");
    }
    assert_eq!(
        found("Milestone (2025): publish the open budget guide"),
        ("2025".to_owned(), d(2025, 1, 1), d(2025, 12, 31))
    );
}

#[test]
fn months_that_recur_or_name_an_event_are_not_dated() {
    let december_2024 = reference(2024, 12, 31);
    // Commitment 4 (December 2024): "(February and August)" is every February and August, not
    // one range from February to August, so it gives no bounds, with or without a reference.
    let milestone = "Publish the emissions data twice a year (February and August)";
    assert_eq!(find_date(milestone), None);
    assert_eq!(find_date_in(milestone, december_2024), None);
    assert!(FuzzyDate::parse_in("February and August", december_2024).is_err());
    let f = find_date_in("We publish in February and August", december_2024)
        .expect("the months are found");
    assert_eq!(f.date.text, "February and August");
    assert!(f.date.is_undated(), "two recurring months are no range");

    // Commitment 3 (2025): "Since the June update" names an earlier report, whose date this
    // text does not give; "June" here is an update's name, not a month to date.
    let since = "Since the June update, the team has met twice";
    assert_eq!(find_date(since), None);
    assert_eq!(find_date_in(since, reference(2025, 9, 30)), None);

    // Delivery plan 2024-25: an "April-March reporting cycle" recurs every year and prints no
    // year, so it is not April to March of any one year, even against a reference.
    let cycle = "The plan moves to an April-March reporting cycle";
    assert_eq!(find_date(cycle), None);
    assert_eq!(find_date_in(cycle, reference(2024, 6, 30)), None);
    assert!(FuzzyDate::parse_in("April-March reporting cycle", reference(2024, 6, 30)).is_err());

    // digihealthcare.scot: when "this parliamentary term" ends depends on which term and on
    // its election, which neither the phrase nor a page date fixes.
    let term = "by the end of this parliamentary term";
    assert!(FuzzyDate::parse(term).is_err());
    assert!(FuzzyDate::parse_in(term, reference(2023, 5, 31)).is_err());
    let sentence = "The service will be available by the end of this parliamentary term.";
    assert_eq!(find_date(sentence), None);
    assert_eq!(find_date_in(sentence, reference(2023, 5, 31)), None);
}

#[test]
fn early_mid_and_late_are_thirds_and_the_start_of_a_year_is_the_year() {
    // The 2021 strategy's "Near Me" callout: "at the start of 2020", "By mid-2020".
    assert_eq!(
        bounds("at the start of 2020"),
        (d(2020, 1, 1), d(2020, 12, 31))
    );
    assert_eq!(bounds("By mid-2020"), (None, d(2020, 8, 31)));
    assert_eq!(bounds("mid 2020"), (d(2020, 5, 1), d(2020, 8, 31)));
    // The 2016 eHealth page: "from early 2017".
    assert_eq!(bounds("from early 2017"), (d(2017, 1, 1), None));
    assert_eq!(bounds("early 2017"), (d(2017, 1, 1), d(2017, 4, 30)));
    assert_eq!(bounds("late 2019"), (d(2019, 9, 1), d(2019, 12, 31)));
    assert_eq!(bounds("late summer 2024"), (d(2024, 8, 1), d(2024, 8, 31)));
    // A third of a month is no rule of ours.
    assert!(FuzzyDate::parse("late March 2024").is_err());

    assert_eq!(
        found("Near Me was used for 300 consultations a week at the start of 2020"),
        (
            "the start of 2020".to_owned(),
            d(2020, 1, 1),
            d(2020, 12, 31)
        )
    );
    assert_eq!(
        found("By mid-2020 this had risen to 17,000"),
        ("By mid-2020".to_owned(), None, d(2020, 8, 31))
    );
    assert_eq!(
        found("Boards will test the service from early 2017, then roll it out"),
        ("from early 2017".to_owned(), d(2017, 1, 1), None)
    );
}

#[test]
fn this_quarter_is_the_quarter_holding_the_report_date() {
    // Commitment 1: "this quarter". A report to June 2024 is in April to June; calendar and
    // financial quarters both bound it so.
    assert_eq!(
        bounds_in("this quarter", (2024, 6, 30)),
        (d(2024, 4, 1), d(2024, 6, 30))
    );
    assert_eq!(
        bounds_in("this quarter", (2023, 11, 30)),
        (d(2023, 10, 1), d(2023, 12, 31))
    );
    assert!(FuzzyDate::parse("this quarter").is_err());
    let text = "We will publish the figures this quarter";
    let f = find_date(text).expect("found, undated");
    assert_eq!(f.date.text, "this quarter");
    assert!(f.date.is_undated(), "without a reference it has no year");
    assert_eq!(
        found_in(text, reference(2024, 6, 30)),
        ("this quarter".to_owned(), d(2024, 4, 1), d(2024, 6, 30))
    );
}

#[test]
fn a_rolling_plan_from_a_month_is_an_open_start() {
    // The 2021 strategy, page 12: the plan rolls on, so only its start is stated.
    assert_eq!(
        found("a rolling three-year delivery plan, updated each year from April 2022"),
        ("from April 2022".to_owned(), d(2022, 4, 1), None)
    );
}

#[test]
fn legacy_full_dates_month_first_with_ordinals_and_weekdays() {
    assert_eq!(
        bounds("Monday, March 9, 2015"),
        (d(2015, 3, 9), d(2015, 3, 9))
    );
    assert_eq!(
        bounds("Wednesday, August 27, 2008"),
        (d(2008, 8, 27), d(2008, 8, 27))
    );
    assert_eq!(
        bounds("September 12th, 2012"),
        (d(2012, 9, 12), d(2012, 9, 12))
    );
    assert_eq!(
        bounds("16th November 2021"),
        (d(2021, 11, 16), d(2021, 11, 16))
    );
    assert_eq!(bounds("11 Mar 2021"), (d(2021, 3, 11), d(2021, 3, 11)));
    // 9 March 2015 was a Monday: a phrase that says otherwise contradicts itself.
    assert!(FuzzyDate::parse("Tuesday, March 9, 2015").is_err());

    for (line, phrase, day) in [
        (
            "Monday, March 9, 2015 ISBN: 9781785441394",
            "Monday, March 9, 2015",
            d(2015, 3, 9),
        ),
        (
            "Page updated: Wednesday, August 27, 2008",
            "Wednesday, August 27, 2008",
            d(2008, 8, 27),
        ),
        (
            "Strategic Aims September 12th, 2012",
            "September 12th, 2012",
            d(2012, 9, 12),
        ),
        (
            "Date Submitted 16th November 2021",
            "16th November 2021",
            d(2021, 11, 16),
        ),
        (
            "Publication - Progress report Published: 11 Mar 2021",
            "11 Mar 2021",
            d(2021, 3, 11),
        ),
    ] {
        assert_eq!(found(line), (phrase.to_owned(), day, day), "{line:?}");
    }
}
