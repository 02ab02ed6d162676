//! How the page and its chart write a value: escaped text, a day, a status's name and colour,
//! a label cut to fit.

use chrono::NaiveDate;
use entity::DeliveryStatus;

/// Escapes text for HTML and SVG, in element content and quoted attributes alike.
pub use ingest::search_index::escape_html as escape;

/// A day as the page writes it: "1 Aug 2021".
pub fn day(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

/// A status as the page names it.
pub fn status_label(status: Option<DeliveryStatus>) -> &'static str {
    match status {
        Some(DeliveryStatus::OnTrack) => "On track",
        Some(DeliveryStatus::InProgress) => "In progress",
        Some(DeliveryStatus::BehindSchedule) => "Behind schedule",
        Some(DeliveryStatus::Completed) => "Completed",
        Some(DeliveryStatus::NotStarted) => "Not started",
        None => "No status reported",
    }
}

/// Status colours (Okabe–Ito, readable by people with the common colour-vision deficiencies),
/// and a light grey for rows with no status.
pub fn colour(status: Option<DeliveryStatus>) -> &'static str {
    match status {
        Some(DeliveryStatus::OnTrack) => "#009E73",
        Some(DeliveryStatus::InProgress) => "#0072B2",
        Some(DeliveryStatus::BehindSchedule) => "#D55E00",
        Some(DeliveryStatus::Completed) => "#3D3D3D",
        Some(DeliveryStatus::NotStarted) => "#AA4499",
        None => "#C8C8C8",
    }
}

/// `text` cut to `max` characters, with an ellipsis when cut.
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}
