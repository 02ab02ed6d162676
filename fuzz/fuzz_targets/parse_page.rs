//! Arbitrary bytes through the whole parse stage: page reading, kind detection and every
//! kind's parser. Seed the corpus with the bundled snapshot's pages (see fuzz/README.md).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let raw = ingest::snapshot::RawPage {
        url: "https://www.gov.scot/publications/fuzz/".to_owned(),
        origin: "fuzz".to_owned(),
        body: data.to_vec(),
        fetched_at: chrono::Utc::now(),
        etag: None,
        last_modified: None,
    };
    let _ = ingest::pipeline::parse(&raw);
});
