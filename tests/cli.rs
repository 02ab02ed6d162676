//! The `caregraph` binary itself, and the schema it serves against the public contract.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use async_graphql_parser::types::{TypeKind, TypeSystemDefinition};
use libtest_mimic::{Failed, Trial};

use crate::helpers::{OVERVIEW, edit_page, runtime, snapshot_copy};

const BIN: &str = env!("CARGO_BIN_EXE_caregraph");

fn repo_file(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

fn schema_command_prints_the_checked_in_schema() -> Result<(), Failed> {
    let out = Command::new(BIN).arg("schema").output()?;
    assert!(out.status.success(), "caregraph schema failed: {out:?}");
    let printed = String::from_utf8(out.stdout)?;
    let checked_in = std::fs::read_to_string(repo_file("schema.graphql"))?;
    if printed != checked_in {
        return Err("schema.graphql is stale: run `cargo run -- schema > schema.graphql`".into());
    }
    Ok(())
}

/// Every type, field, argument and enum value of a schema, as `name -> type` strings.
fn shape(sdl: &str) -> Result<BTreeMap<String, BTreeMap<String, String>>, Failed> {
    let doc = async_graphql_parser::parse_schema(sdl)?;
    let mut types = BTreeMap::new();
    for def in doc.definitions {
        let TypeSystemDefinition::Type(t) = def else {
            continue;
        };
        let t = t.node;
        let mut members = BTreeMap::new();
        let mut field = |name: &str, ty: String, args: Vec<(String, String)>| {
            members.insert(name.to_owned(), ty);
            for (arg, arg_ty) in args {
                members.insert(format!("{name}({arg})"), arg_ty);
            }
        };
        let kind = match t.kind {
            TypeKind::Scalar => "scalar",
            TypeKind::Object(o) => {
                for i in o.implements {
                    field(&format!("implements {}", i.node), String::new(), vec![]);
                }
                for f in o.fields {
                    let f = f.node;
                    let args = f
                        .arguments
                        .iter()
                        .map(|a| (a.node.name.node.to_string(), a.node.ty.node.to_string()))
                        .collect();
                    field(&f.name.node, f.ty.node.to_string(), args);
                }
                "type"
            }
            TypeKind::Interface(o) => {
                for f in o.fields {
                    let f = f.node;
                    field(&f.name.node, f.ty.node.to_string(), vec![]);
                }
                "interface"
            }
            TypeKind::Union(_) => "union",
            TypeKind::Enum(e) => {
                for v in e.values {
                    field(&v.node.value.node, String::new(), vec![]);
                }
                "enum"
            }
            TypeKind::InputObject(o) => {
                for f in o.fields {
                    field(&f.node.name.node, f.node.ty.node.to_string(), vec![]);
                }
                "input"
            }
        };
        members.insert("(kind)".to_owned(), kind.to_owned());
        types.insert(t.name.node.to_string(), members);
    }
    Ok(types)
}

fn the_schema_keeps_every_name_of_the_contract() -> Result<(), Failed> {
    let contract = shape(&std::fs::read_to_string(repo_file(
        "tests/contract/core-schema.graphql",
    ))?)?;
    let ours = shape(&std::fs::read_to_string(repo_file("schema.graphql"))?)?;
    let mut missing = BTreeSet::new();
    for (name, members) in &contract {
        let Some(mine) = ours.get(name) else {
            missing.insert(format!("type {name}"));
            continue;
        };
        for (member, ty) in members {
            match mine.get(member) {
                Some(t) if t == ty => {}
                Some(t) => {
                    missing.insert(format!("{name}.{member}: contract {ty}, ours {t}"));
                }
                None => {
                    missing.insert(format!("{name}.{member}"));
                }
            }
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("the schema breaks the contract: {missing:#?}").into())
    }
}

fn ingest_command_reports_runs_and_fails_on_a_drifted_page() -> Result<(), Failed> {
    let dir = tempfile::tempdir()?;
    let db = format!("sqlite://{}", dir.path().join("cli.db").display());
    // One pooled connection: an ingest must never need two at once.
    let out = Command::new(BIN)
        .args([
            "--database",
            &db,
            "--db-pool-size",
            "1",
            "ingest",
            "--quiet",
        ])
        .output()?;
    let stdout = String::from_utf8(out.stdout)?;
    assert!(
        out.status.success(),
        "ingest failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("5 pages seen, 5 added, 0 changed, 0 unchanged, 0 removed"),
        "{stdout}"
    );

    let snapshot = snapshot_copy();
    edit_page(snapshot.path(), OVERVIEW, |html| {
        html.replace(">Commitment title</h3>", ">Heading nobody expects</h3>")
    });
    let out = Command::new(BIN)
        .args(["--database", &db, "ingest", "--quiet", "--snapshot"])
        .arg(snapshot.path())
        .output()?;
    let stderr = String::from_utf8(out.stderr)?;
    assert!(!out.status.success(), "a drifted page must fail the run");
    assert!(
        stderr.contains("commitment-2-health-and-social-care/"),
        "{stderr}"
    );
    assert!(stderr.contains("commitment title"), "{stderr}");
    Ok(())
}

fn serve_ingests_an_empty_database_and_stops_on_sigterm() -> Result<(), Failed> {
    let dir = tempfile::tempdir()?;
    let db = format!("sqlite://{}", dir.path().join("serve.db").display());
    let mut child = Command::new(BIN)
        .args(["--database", &db, "serve", "--bind", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let mut lines = BufReader::new(stderr).lines();
    let started = Instant::now();
    let url = loop {
        let line = lines.next().ok_or("server exited before listening")??;
        if let Some(i) = line.find("http://") {
            break line[i..].trim().to_owned();
        }
        if started.elapsed() > Duration::from_secs(60) {
            return Err("server did not start within 60 s".into());
        }
    };
    let total = runtime().block_on(async {
        let body: serde_json::Value = reqwest::Client::new()
            .post(&url)
            .json(&serde_json::json!({ "query": "{ documents { totalCount } }" }))
            .send()
            .await?
            .json()
            .await?;
        Ok::<_, reqwest::Error>(body["data"]["documents"]["totalCount"].clone())
    })?;
    assert_eq!(total, 5, "the bundled snapshot was ingested at start-up");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()?;
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(exit) = child.try_wait()? {
            assert!(exit.success(), "graceful shutdown exits 0, got {exit}");
            return Ok(());
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err("server did not stop within 10 s of SIGTERM".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn migrate_once_then_run_without_migrating_using_database_url() -> Result<(), Failed> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("deploy.db");
    let db = format!("sqlite://{}", file.display());
    let out = Command::new(BIN)
        .arg("migrate")
        .env_remove("CAREGRAPH_DATABASE")
        .env("DATABASE_URL", &db)
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8(out.stdout)?.contains("is up to date"));
    assert!(file.exists(), "DATABASE_URL chose the database");
    let out = Command::new(BIN)
        .args(["--no-migrate", "ingest", "--quiet"])
        .env_remove("CAREGRAPH_DATABASE")
        .env("DATABASE_URL", &db)
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8(out.stdout)?.contains("5 added"));

    // Without migrations, a database that was never migrated fails with a clear error.
    let empty = format!("sqlite://{}", dir.path().join("empty.db").display());
    let out = Command::new(BIN)
        .args(["--database", &empty, "--no-migrate", "ingest", "--quiet"])
        .output()?;
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr)?.contains("ingesting"));
    Ok(())
}

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "cli::migrate_once_then_run_without_migrating_using_database_url",
            migrate_once_then_run_without_migrating_using_database_url,
        ),
        Trial::test(
            "cli::schema_command_prints_the_checked_in_schema",
            schema_command_prints_the_checked_in_schema,
        ),
        Trial::test(
            "cli::the_schema_keeps_every_name_of_the_contract",
            the_schema_keeps_every_name_of_the_contract,
        ),
        Trial::test(
            "cli::ingest_command_reports_runs_and_fails_on_a_drifted_page",
            ingest_command_reports_runs_and_fails_on_a_drifted_page,
        ),
        Trial::test(
            "cli::serve_ingests_an_empty_database_and_stops_on_sigterm",
            serve_ingests_an_empty_database_and_stops_on_sigterm,
        ),
    ]
}
