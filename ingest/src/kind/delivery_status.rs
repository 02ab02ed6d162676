//! Delivery statuses as reports print them ("On schedule.", "In progress.", "✔ Completed",
//! "On Track"), normalised to [`DeliveryStatus`]; the printed words are kept by the caller.

use entity::DeliveryStatus;

/// A status block is a few words: a longer sentence that merely contains them is prose.
const MAX_STATUS_CHARS: usize = 40;

/// The status `text` states, when its words are a status and nothing else. Emoji and other
/// marks around the words ("✔ Completed", or its mojibake "βœ” Completed") are ignored.
pub fn normalise(text: &str) -> Option<DeliveryStatus> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let status = match words.join(" ").as_str() {
        "on schedule" | "on track" => DeliveryStatus::OnTrack,
        "in progress" | "ongoing" | "on going" => DeliveryStatus::InProgress,
        "behind schedule" | "delayed" => DeliveryStatus::BehindSchedule,
        "completed" | "complete" => DeliveryStatus::Completed,
        "not started" | "not yet started" => DeliveryStatus::NotStarted,
        _ => return None,
    };
    Some(status)
}

/// True for a block that is a status sentence and nothing else ("On schedule.").
pub fn is_bare(text: &str) -> bool {
    text.chars().count() <= MAX_STATUS_CHARS && normalise(text).is_some()
}

/// Splits a status sentence off the end of a paragraph ("... met twice. On schedule."): the
/// paragraph before it, and the status as printed.
pub fn split_trailing(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_end();
    let body = text.strip_suffix('.').unwrap_or(text);
    let cut = body.rfind(". ")? + 1;
    let (head, tail) = (text[..cut].trim_end(), text[cut..].trim());
    (!head.is_empty() && is_bare(tail)).then_some((head, tail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_printed_form_is_normalised() {
        use DeliveryStatus::*;
        for (printed, status) in [
            ("On schedule.", OnTrack),
            ("On Track", OnTrack),
            ("🙂 On track", OnTrack),
            ("In progress.", InProgress),
            ("Ongoing", InProgress),
            ("Behind schedule.", BehindSchedule),
            ("Delayed", BehindSchedule),
            ("Completed", Completed),
            ("βœ” Completed", Completed),
            ("Not started", NotStarted),
        ] {
            assert_eq!(normalise(printed), Some(status), "{printed}");
        }
        assert_eq!(normalise("Completed 2024"), None);
        assert_eq!(normalise("The pilots are in progress in two boards."), None);
    }

    #[test]
    fn a_trailing_status_sentence_is_split_off() {
        assert_eq!(
            split_trailing("The group met twice. On schedule."),
            Some(("The group met twice.", "On schedule."))
        );
        assert_eq!(split_trailing("The work is delayed. We expect more."), None);
        assert_eq!(split_trailing("On schedule."), None);
    }
}
