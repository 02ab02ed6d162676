//! Arbitrary text through the date normaliser and the date finder.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(date) = ingest::date::FuzzyDate::parse(text) {
            if let (Some(start), Some(end)) = (date.start, date.end) {
                assert!(start <= end, "{text:?} gave {start} after {end}");
            }
        }
        if let Some(found) = ingest::date::find_date(text) {
            assert!(text.get(found.range.clone()).is_some(), "range off a char boundary");
        }
    }
});
