//! Who leads a workstream: the bodies a "Who is leading this work" line names.

use crate::link::is_body_name;

/// The bodies a lead line names: split on "/", on " with " before a capital, and on commas
/// between parts that each read as a body's name.
pub(super) fn split_leads(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in text.split('/') {
        let mut pieces: Vec<String> = Vec::new();
        for piece in part.split(" with ") {
            let starts_name = piece
                .trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
            match pieces.last_mut() {
                Some(last) if !starts_name => {
                    last.push_str(" with ");
                    last.push_str(piece);
                }
                _ => pieces.push(piece.to_owned()),
            }
        }
        for piece in pieces {
            // "Island Learning Council, Harbour Records Service": bodies listed with commas,
            // when every part reads as a body's name (a comma inside one name, as in
            // "Directorate for Rivers, Lochs and Canals", leaves a part that does not).
            let parts: Vec<&str> = piece.split(',').map(str::trim).collect();
            if parts.len() > 1 && parts.iter().all(|p| is_body_name(p)) {
                out.extend(parts.into_iter().map(str::to_owned));
            } else {
                out.push(piece.trim().to_owned());
            }
        }
    }
    out.retain(|p| !p.is_empty());
    out
}
