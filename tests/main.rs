//! The integration suite: the real ingest, router and binary, on real SQLite and PostgreSQL.
//!
//! Backend-parameterised tests run once per backend (`sqlite::name`, `postgres::name`). When no
//! PostgreSQL server answers, the PostgreSQL half is reported as ignored, with the reason
//! printed in a banner, rather than passing without having run. Set `CAREGRAPH_TEST_POSTGRES`
//! to a server URL to make its absence an error instead (CI does).

mod api;
mod browser;
mod changes;
mod cli;
mod connections;
mod conventions;
mod crawl;
mod export;
mod feed;
mod front_door;
mod graphiql;
mod hardening;
mod helpers;
mod ingest;
mod metamorphic;
mod organisations;
mod overviews;
mod plans;
mod protocol;
mod reports;
mod runs;
mod strategy2021;
mod versions;

use std::process::ExitCode;

use libtest_mimic::{Arguments, Failed, Trial};

use helpers::{Backend, Case};

fn trial(name: String, backend: Backend, case: &Case) -> Trial {
    let body = case.body;
    Trial::test(name, move || {
        helpers::runtime().block_on(body(backend));
        Ok::<(), Failed>(())
    })
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let admin = helpers::postgres_admin_url();
    let required = std::env::var_os("CAREGRAPH_TEST_POSTGRES").is_some();
    let postgres = helpers::postgres_reachable(&admin);
    if let Err(why) = &postgres {
        let line = "=".repeat(78);
        eprintln!(
            "\n{line}\nPOSTGRESQL TESTS DID NOT RUN: no server at {admin} ({why}).\n\
             They are listed below as ignored. Start PostgreSQL, or set CAREGRAPH_TEST_POSTGRES.\n{line}\n"
        );
    }

    let cases: Vec<Case> = ingest::cases()
        .into_iter()
        .chain(api::cases())
        .chain(crawl::cases())
        .chain(hardening::cases())
        .chain(reports::cases())
        .chain(versions::cases())
        .chain(feed::cases())
        .chain(organisations::cases())
        .chain(overviews::cases())
        .chain(strategy2021::cases())
        .chain(plans::cases())
        .chain(graphiql::cases())
        .chain(export::cases())
        .chain(front_door::cases())
        .chain(browser::cases())
        .chain(changes::cases())
        .chain(runs::cases())
        .chain(connections::cases())
        .chain(conventions::cases())
        .chain(protocol::cases())
        .collect();
    let mut trials = Vec::new();
    for case in &cases {
        trials.push(trial(
            format!("sqlite::{}", case.name),
            Backend::Sqlite,
            case,
        ));
        let pg = trial(
            format!("postgres::{}", case.name),
            Backend::Postgres(admin.clone()),
            case,
        );
        // Ignored only when PostgreSQL is optional; when it is required, the trial runs and
        // fails with the connection error.
        trials.push(pg.with_ignored_flag(postgres.is_err() && !required));
    }
    trials.extend(cli::trials());
    trials.extend(connections::trials());
    trials.extend(metamorphic::trials());
    libtest_mimic::run(&args, trials).exit_code()
}
