//! The page around the chart: the form that chooses the view, the legend, the chart and the
//! table of every row. All page text is escaped: titles come from web pages.

use std::fmt::Write as _;
use std::sync::LazyLock;

use chrono::NaiveDate;
use entity::DeliveryStatus;
use sea_orm::{ActiveEnum, Iterable};

use super::super::csp::Policy;
use super::View;
use super::data::{Choice, Group, Item};
use super::svg::{self, Window};
use super::text::{colour, cut, day, escape, status_label};
use crate::read::filter::StatusFilter;

/// The page's style sheet: system fonts only, nothing fetched. On a narrow screen (a phone is
/// 360 px wide) the page is never wider than the screen: the form wraps, its selects shrink to
/// the line, and the chart and the table scroll sideways inside their own boxes. The chart
/// keeps at least 1050 px of its 1240, so its text stays at 11 px or more rather than
/// shrinking with the screen.
const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  margin: 1.5rem; color: #1A1A1A; background: #FFFFFF; font-size: 16px; }
@media (max-width: 40rem) { body { margin: 0.75rem; } }
h1 { font-size: 1.5rem; margin: 0 0 0.75rem; }
form { display: flex; flex-wrap: wrap; gap: 0.75rem 1.25rem; align-items: end; margin-bottom: 1rem; }
label { display: flex; flex-direction: column; font-weight: 600; font-size: 0.9rem; gap: 0.2rem;
  max-width: 100%; min-width: 0; }
select, input, button { font: inherit; font-weight: normal; padding: 0.25rem; }
select { max-width: min(28rem, 100%); }
.legend { display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; list-style: none; padding: 0;
  margin: 0 0 0.75rem; font-size: 0.95rem; }
.legend li { display: flex; align-items: center; gap: 0.4rem; }
.figure { overflow-x: auto; border: 1px solid #D0D0D0; }
svg.chart { display: block; max-width: 100%; min-width: 1050px; height: auto; font-size: 13px; }
.scroll-hint { display: none; }
@media (max-width: 68rem) { .scroll-hint { display: block; margin: 0 0 0.4rem; } }
.table-box { overflow-x: auto; margin-top: 1.5rem; }
svg .label { fill: #1A1A1A; }
svg .heading { font-weight: 700; font-size: 14px; fill: #1A1A1A; }
svg .tick { fill: #4A4A4A; font-size: 12px; }
svg .today-label { fill: #B00020; font-weight: 700; font-size: 13px; }
svg a:hover rect, svg a:hover path, svg a:focus rect { stroke: #000000; stroke-width: 2; stroke-opacity: 1; }
table { border-collapse: collapse; font-size: 0.9rem; width: 100%; }
caption { text-align: left; font-weight: 700; font-size: 1.1rem; margin-bottom: 0.5rem; }
th, td { border: 1px solid #D0D0D0; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #EEF1F4; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; border: 1px solid #555555;
  vertical-align: middle; margin-right: 0.35rem; }
.note { color: #4A4A4A; }
.today-mark { color: #B00020; font-weight: 700; }
";

/// The page's Content-Security-Policy: no script at all, and [`STYLE`] its one inline style.
pub static POLICY: LazyLock<Policy> = LazyLock::new(|| Policy::new(&[], &[STYLE]));

/// The whole page.
pub fn page(view: &View, choices: &[Choice], groups: &[Group], today: NaiveDate) -> String {
    let mut out = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Delivery timeline – caregraph</title>",
    );
    out.push_str(crate::http::feed::ALTERNATE);
    out.push_str("<style>");
    out.push_str(STYLE);
    out.push_str("</style></head><body><h1>Delivery timeline</h1>");
    form(&mut out, view, choices);
    exports(&mut out, view, groups);
    legend(&mut out);
    match Window::new(view.from, view.to, groups) {
        Some(window) => {
            // A box that scrolls is a region a keyboard can reach and scroll.
            out.push_str(
                "<p class=\"note scroll-hint\">The chart scrolls sideways.</p>\
                 <div class=\"figure\" tabindex=\"0\" role=\"region\" aria-label=\"Timeline chart\">",
            );
            out.push_str(&svg::chart(window, groups, today));
            out.push_str("</div>");
        }
        None => out.push_str("<p class=\"note\">Nothing dated to draw for this view.</p>"),
    }
    table(&mut out, groups);
    out.push_str("<p class=\"note\">");
    out.push_str(super::super::licence::ATTRIBUTION);
    out.push_str("</p></body></html>");
    out
}

/// The GET form whose fields are the page's query parameters.
fn form(out: &mut String, view: &View, choices: &[Choice]) {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let _ = write!(
        out,
        "<form method=\"get\" action=\"/dashboard\">\
         <label>From<input type=\"date\" name=\"from\" value=\"{}\"></label>\
         <label>To<input type=\"date\" name=\"to\" value=\"{}\"></label>\
         <label>Status<select name=\"status\"><option value=\"\">Any status</option>",
        date(view.from),
        date(view.to)
    );
    for status in StatusFilter::all() {
        let label = match status {
            StatusFilter::Is(s) => status_label(Some(s)),
            StatusFilter::None => status_label(None),
        };
        option(out, &status.name(), label, view.status == Some(status));
    }
    out.push_str(
        "</select></label><label>Subject<select name=\"subject\">\
         <option value=\"\">All commitments and strategies</option>",
    );
    let chosen = view.subject.map(|s| s.id());
    for choice in choices {
        let label = cut(&choice.label, 90);
        option(
            out,
            &choice.id,
            &label,
            chosen.as_deref() == Some(choice.id.as_str()),
        );
    }
    out.push_str(
        "</select></label><button type=\"submit\">Show</button>\
         <a href=\"/dashboard\">Reset</a></form>",
    );
}

/// Links to the export files of the same view, which select its rows (see
/// [`crate::read::filter`]), and what they cannot hold: a window selects dated rows, so the
/// undated rows the page lists are in no file of a windowed view; and a calendar has no
/// undated events at all.
fn exports(out: &mut String, view: &View, groups: &[Group]) {
    let query = escape(&view.query());
    let _ = write!(
        out,
        "<p class=\"exports\">Download this view: \
         <a href=\"/export/milestones.csv{query}\">milestones.csv</a> · \
         <a href=\"/export/workstreams.csv{query}\">workstreams.csv</a> · \
         <a href=\"/export/timeline.ics{query}\">timeline.ics</a>"
    );
    let undated = groups
        .iter()
        .flat_map(|g| &g.items)
        .filter(|i| i.span().is_none())
        .count();
    if undated > 0 {
        let (rows, are) = if undated == 1 {
            ("row", "is")
        } else {
            ("rows", "are")
        };
        let not_in = if view.is_windowed() {
            "in none of the files: a window holds dated rows only"
        } else {
            "in the CSV files, not in the calendar"
        };
        let _ = write!(
            out,
            " <span class=\"note\" data-undated=\"{undated}\">(the {undated} undated {rows} \
             listed below {are} {not_in})</span>"
        );
    }
    out.push_str("</p>");
}

fn option(out: &mut String, value: &str, label: &str, selected: bool) {
    let _ = write!(
        out,
        "<option value=\"{}\"{}>{}</option>",
        escape(value),
        if selected { " selected" } else { "" },
        escape(label)
    );
}

/// What the colours and shapes mean.
fn legend(out: &mut String) {
    out.push_str("<ul class=\"legend\" aria-label=\"Legend\">");
    let statuses = DeliveryStatus::iter().map(Some).chain([None]);
    for status in statuses {
        let _ = write!(
            out,
            "<li data-status=\"{}\">{}{}</li>",
            status.map_or_else(|| "NONE".to_owned(), |s| s.to_value()),
            swatch(status),
            status_label(status)
        );
    }
    out.push_str(
        "<li>▬ bar: start to end</li><li>◆ diamond: one date or deadline</li>\
         <li>▮ black tick: progress report</li>\
         <li>◇ hollow diamond, dashed line: the end or due date before it last moved</li>\
         <li><span class=\"today-mark\">┆</span> dashed red line: today</li></ul>",
    );
}

/// A status's colour as a small square: drawn in SVG, whose `fill` is markup, so that the page
/// needs no inline style (see [`super::super::csp`]).
fn swatch(status: Option<DeliveryStatus>) -> String {
    format!(
        "<svg class=\"swatch\" viewBox=\"0 0 10 10\" aria-hidden=\"true\">\
         <rect width=\"10\" height=\"10\" fill=\"{}\"/></svg>",
        colour(status)
    )
}

/// Every row, dated or not, as a table.
fn table(out: &mut String, groups: &[Group]) {
    out.push_str(
        "<div class=\"table-box\" tabindex=\"0\" role=\"region\" aria-label=\"All items\">\
         <table><caption>All items, by commitment and priority area</caption><thead><tr>\
         <th scope=\"col\">Kind</th><th scope=\"col\">Title</th><th scope=\"col\">Start</th>\
         <th scope=\"col\">End or due</th><th scope=\"col\">Status</th>\
         <th scope=\"col\">Progress reports</th><th scope=\"col\">Source</th></tr></thead><tbody>",
    );
    for group in groups {
        let _ = write!(
            out,
            "<tr><th scope=\"rowgroup\" colspan=\"7\">{}</th></tr>",
            escape(&group.label)
        );
        for item in &group.items {
            row(out, item);
        }
    }
    if groups.is_empty() {
        out.push_str("<tr><td colspan=\"7\">Nothing matches this view.</td></tr>");
    }
    out.push_str("</tbody></table></div>");
}

fn row(out: &mut String, item: &Item) {
    let date = |d: Option<NaiveDate>| d.map_or_else(String::new, day);
    let undated = if item.span().is_none() {
        " <span class=\"note\">(not dated, not drawn)</span>"
    } else {
        ""
    };
    let reports: Vec<String> = item.reports.iter().map(|d| day(*d)).collect();
    let mut source = item.source.as_ref().map_or_else(String::new, |s| {
        format!("<a href=\"{}\">source</a>", escape(s))
    });
    if let Some(diff) = &item.diff {
        let _ = write!(
            source,
            " <a class=\"diff\" href=\"{}\">what changed</a>",
            escape(diff)
        );
    }
    let _ = write!(
        out,
        "<tr data-item=\"{}\"><td>{}</td><td>{}{undated}</td><td>{}</td><td>{}</td>\
         <td>{}{}</td><td>{}</td><td>{source}</td></tr>",
        escape(&item.id),
        item.kind.label(),
        escape(&item.title),
        date(item.start),
        match (item.end, item.previous_end) {
            (Some(end), Some(was)) if end != was => format!("{} (was {})", day(end), day(was)),
            _ => date(item.end),
        },
        swatch(item.status),
        status_label(item.status),
        reports.join(", ")
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">O'Neil & co</a>"),
            "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/a&gt;"
        );
    }
}
