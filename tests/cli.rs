//! The `caregraph` binary itself.

use libtest_mimic::Trial;

pub fn trials() -> Vec<Trial> {
    vec![]
}
