//! Drawing the timeline: a left column of labels, a date axis, one row per dated item (a bar
//! for a range, a diamond for one day), ticks for progress reports and a line for today.
//!
//! Every drawn item is one `<g data-id="…">` holding a `<title>` (shown on hover) and, when the
//! item has a source, wrapped in a link to it. All text is escaped.

use std::fmt::Write as _;

use chrono::{Datelike, Days, NaiveDate};
use sea_orm::ActiveEnum;

use super::data::{Group, Item, ItemKind};
use super::text::{colour, cut, day, escape, status_label};

/// The chart's width; the page scales it down a little on narrower screens, then scrolls it
/// (see the page's style sheet).
const WIDTH: i64 = 1240;
/// Where the plot begins: the labels are to its left.
const PLOT_X: i64 = 440;
/// The plot's width.
const PLOT_W: i64 = WIDTH - PLOT_X - 64;
/// How far right of the plot today is drawn when it is after the window.
const BEYOND: i64 = 36;
/// Where the first row begins, below the axis labels.
const TOP: i64 = 58;
/// A group heading's height.
const GROUP_H: i64 = 30;
/// An item row's height.
const ROW_H: i64 = 26;
/// The longest label, in characters, before it is cut (the whole title is in the table).
const LABEL_CHARS: usize = 58;

/// The days the chart shows.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
}

impl Window {
    /// The window asked for, its open ends taken from the dated items and their reports
    /// (widened to whole months); `None` when there is nothing dated and no window was asked for.
    pub fn new(from: Option<NaiveDate>, to: Option<NaiveDate>, groups: &[Group]) -> Option<Self> {
        // Each item's dates and its report days, so that every tick of a drawn item shows.
        let spans = groups
            .iter()
            .flat_map(|g| &g.items)
            .filter_map(|i| i.span().map(|s| (i, s)))
            .flat_map(|(i, s)| std::iter::once(s).chain(i.reports.iter().map(|d| (*d, *d))));
        let (lo, hi) = spans.fold(None, |acc: Option<(NaiveDate, NaiveDate)>, (a, b)| {
            Some(acc.map_or((a, b), |(lo, hi)| (lo.min(a), hi.max(b))))
        })?;
        let from = from.unwrap_or_else(|| lo.with_day(1).unwrap_or(lo));
        // A little room after the last day, so that a tick on it is not on the edge.
        let pad = Days::new(u64::try_from((hi - lo).num_days() / 25).unwrap_or(0) + 1);
        let to = to.unwrap_or_else(|| month_end(hi.checked_add_days(pad).unwrap_or(hi)));
        let to = if to <= from {
            from.checked_add_days(Days::new(30)).unwrap_or(from)
        } else {
            to
        };
        Some(Self { from, to })
    }

    /// The x of the start of `date`, clamped to the plot.
    fn x(self, date: NaiveDate) -> i64 {
        let total = (self.to - self.from).num_days().max(1) + 1;
        let offset = (date - self.from).num_days().clamp(0, total);
        PLOT_X + offset * PLOT_W / total
    }

    fn contains(self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// The last day of `date`'s month.
fn month_end(date: NaiveDate) -> NaiveDate {
    let next = if date.month() == 12 {
        NaiveDate::from_ymd_opt(date.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(date.year(), date.month() + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).unwrap_or(date)
}

/// The chart of the dated items of `groups`, with today marked.
pub fn chart(window: Window, groups: &[Group], today: NaiveDate) -> String {
    let rows: i64 = groups
        .iter()
        .map(|g| {
            let dated = g.items.iter().filter(|i| i.span().is_some()).count();
            GROUP_H + ROW_H * i64::try_from(dated).unwrap_or(0)
        })
        .sum();
    let height = TOP + rows + 12;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-labelledby=\"chart-title\" \
         class=\"chart\"><title id=\"chart-title\">Delivery timeline from {} to {}</title>",
        day(window.from),
        day(window.to)
    );
    axis(&mut out, window, height);
    let mut y = TOP;
    for group in groups {
        y = draw_group(&mut out, window, group, y);
    }
    today_line(&mut out, window, today, height);
    out.push_str("</svg>");
    out
}

/// The first day of each month the axis labels: every month, quarter or year by the span.
fn axis_days(window: Window) -> Vec<NaiveDate> {
    let span = (window.to - window.from).num_days();
    let step = match span {
        ..=200 => 1,
        201..=1100 => 3,
        _ => 12,
    };
    let mut days = Vec::new();
    let mut year = window.from.year();
    let mut month = window.from.month0();
    month = month.div_ceil(step) * step;
    loop {
        year += i32::try_from(month / 12).unwrap_or(0);
        month %= 12;
        let Some(first) = NaiveDate::from_ymd_opt(year, month + 1, 1) else {
            break;
        };
        if first > window.to {
            break;
        }
        if first >= window.from {
            days.push(first);
        }
        month += step;
    }
    days
}

/// Grid lines and their dates.
fn axis(out: &mut String, window: Window, height: i64) {
    out.push_str("<g class=\"axis\">");
    for first in axis_days(window) {
        let x = window.x(first);
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{height}\" stroke=\"#DDDDDD\"/>\
             <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" class=\"tick\">{}</text>",
            TOP - 14,
            TOP - 20,
            first.format("%b %Y")
        );
    }
    let _ = write!(
        out,
        "<line x1=\"{PLOT_X}\" y1=\"{y}\" x2=\"{end}\" y2=\"{y}\" stroke=\"#767676\"/></g>",
        y = TOP - 8,
        end = PLOT_X + PLOT_W
    );
}

/// A group's heading and its dated rows; returns the y below them.
fn draw_group(out: &mut String, window: Window, group: &Group, top: i64) -> i64 {
    let _ = write!(
        out,
        "<g class=\"group\"><rect x=\"0\" y=\"{top}\" width=\"{WIDTH}\" height=\"{}\" \
         fill=\"#EEF1F4\"/><text x=\"8\" y=\"{}\" class=\"heading\">{}<title>{}</title></text></g>",
        GROUP_H - 4,
        top + 18,
        escape(&cut(&group.label, 125)),
        escape(&group.label)
    );
    let mut y = top + GROUP_H;
    for item in &group.items {
        if let Some(span) = item.span() {
            draw_item(out, window, item, span, y);
            y += ROW_H;
        }
    }
    y
}

/// One row: its label, its bar or diamond, and its report ticks.
fn draw_item(
    out: &mut String,
    window: Window,
    item: &Item,
    (first, last): (NaiveDate, NaiveDate),
    y: i64,
) {
    let mid = y + ROW_H / 2;
    let _ = write!(
        out,
        "<text x=\"20\" y=\"{}\" class=\"label\">{}</text>",
        mid + 4,
        escape(&cut(&item.title, LABEL_CHARS))
    );
    if let Some(source) = &item.source {
        let _ = write!(out, "<a href=\"{}\" target=\"_top\">", escape(source));
    }
    let _ = write!(
        out,
        "<g class=\"item\" data-id=\"{}\" data-status=\"{}\"><title>{}</title>",
        escape(&item.id),
        item.status
            .map_or_else(|| "NONE".to_owned(), |s| s.to_value()),
        escape(&hover(item))
    );
    let fill = colour(item.status);
    if first == last {
        let x = window.x(first);
        let _ = write!(
            out,
            "<path d=\"M{x} {t} l8 8 l-8 8 l-8 -8 z\" fill=\"{fill}\" stroke=\"#1A1A1A\"/>",
            t = mid - 8
        );
    } else {
        let x1 = window.x(first);
        let x2 = window.x(last.succ_opt().unwrap_or(last)).max(x1 + 3);
        let _ = write!(
            out,
            "<rect x=\"{x1}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{fill}\" \
             stroke=\"#1A1A1A\" stroke-opacity=\"0.45\"/>",
            y + 5,
            x2 - x1,
            ROW_H - 10
        );
    }
    out.push_str("</g>");
    if item.source.is_some() {
        out.push_str("</a>");
    }
    previous_end(out, window, item, last, mid);
    report_ticks(out, window, item, y);
}

/// Where the item ended (or was due) before the latest ingest moved it: a hollow diamond on
/// the lower edge of its row, so that it shows on the bar as well as beside it, joined by a
/// dashed line to where it ends now.
fn previous_end(out: &mut String, window: Window, item: &Item, last: NaiveDate, mid: i64) {
    let Some(was) = item
        .previous_end
        .filter(|d| *d != last && window.contains(*d))
    else {
        return;
    };
    let (x, now) = (
        window.x(was),
        window.x(last.min(window.to).max(window.from)),
    );
    let edge = mid + ROW_H / 2 - 4;
    let _ = write!(
        out,
        "<g class=\"previous\" data-id=\"{}\"><title>{} before it moved: {}</title>\
         <line x1=\"{x}\" y1=\"{edge}\" x2=\"{now}\" y2=\"{edge}\" stroke=\"#1A1A1A\" \
         stroke-width=\"2\" stroke-dasharray=\"4 3\"/><path d=\"M{x} {t} l6 6 l-6 6 l-6 -6 z\" \
         fill=\"#FFFFFF\" stroke=\"#1A1A1A\" stroke-width=\"2\"/></g>",
        escape(&item.id),
        match item.kind {
            ItemKind::Milestone => "End",
            ItemKind::Workstream => "Due",
        },
        day(was),
        t = edge - 6
    );
}

/// The progress reports on an item, as ticks across its row.
fn report_ticks(out: &mut String, window: Window, item: &Item, y: i64) {
    for report in item.reports.iter().filter(|d| window.contains(**d)) {
        let x = window.x(*report);
        let _ = write!(
            out,
            "<g class=\"report\"><title>Progress report of {}</title>\
             <line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#000000\" stroke-width=\"3\"/></g>",
            day(*report),
            y + 2,
            y + ROW_H - 2
        );
    }
}

/// Today as a dashed line; at the edge, with an arrow, when today is outside the window.
fn today_line(out: &mut String, window: Window, today: NaiveDate, height: i64) {
    let (x, anchor, label) = if today > window.to {
        let x = PLOT_X + PLOT_W + BEYOND;
        (x, "end", format!("Today, {} →", day(today)))
    } else if today < window.from {
        (PLOT_X - 12, "start", format!("← Today, {}", day(today)))
    } else {
        (window.x(today), "middle", format!("Today, {}", day(today)))
    };
    let _ = write!(
        out,
        "<g class=\"today\"><line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{height}\" \
         stroke=\"#B00020\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\
         <text x=\"{tx}\" y=\"16\" text-anchor=\"{anchor}\" class=\"today-label\">{}</text></g>",
        TOP - 8,
        escape(&label),
        tx = if anchor == "end" { x + 20 } else { x }
    );
}

/// The item's title, dates and status, for its hover text.
fn hover(item: &Item) -> String {
    let dates = match item.span() {
        Some((a, b)) if a == b => day(a),
        Some((a, b)) => format!("{} to {}", day(a), day(b)),
        None => "not dated".to_owned(),
    };
    let mut text = format!(
        "{}\n{}: {dates}\nStatus: {}",
        item.title,
        item.kind.label(),
        status_label(item.status)
    );
    if let Some(was) = item.previous_end {
        let _ = write!(text, "\nBefore it last moved: {}", day(was));
    }
    if let Some(source) = &item.source {
        let _ = write!(text, "\nSource: {source}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn axis_steps_by_quarter_over_two_years_and_labels_are_cut() {
        let window = Window {
            from: d("2021-08-01"),
            to: d("2022-08-31"),
        };
        let days = axis_days(window);
        assert_eq!(days.first(), Some(&d("2021-10-01")));
        assert!(days.contains(&d("2022-01-01")));
        assert_eq!(window.x(d("2021-08-01")), PLOT_X);
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(month_end(d("2021-12-05")), d("2021-12-31"));
    }
}
