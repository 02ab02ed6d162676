//! The `caregraph` binary itself, and the schema it serves against the public contract.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use async_graphql_parser::types::{TypeKind, TypeSystemDefinition};
use libtest_mimic::{Failed, Trial};

use crate::helpers::{OVERVIEW, add_november_report, edit_page, runtime, snapshot_copy};

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
/// `sdl` with each quoted string that spans lines put on one line. The contract files, copied
/// as published, write some descriptions that way, which GraphQL's grammar does not allow; a
/// description's words are not what the contract test compares.
fn one_line_strings(sdl: &str) -> String {
    let mut out = String::with_capacity(sdl.len());
    let mut chars = sdl.chars();
    let (mut in_string, mut in_block, mut in_comment) = (false, false, false);
    while let Some(c) = chars.next() {
        match c {
            '\n' if in_string => {
                out.push(' ');
                continue;
            }
            '\n' => in_comment = false,
            '#' if !in_string && !in_block => in_comment = true,
            '\\' if in_string => {
                out.push(c);
                if let Some(escaped) = chars.next() {
                    out.push(escaped);
                }
                continue;
            }
            '"' if !in_comment => {
                let rest: String = chars.clone().take(2).collect();
                if !in_string && rest == "\"\"" {
                    in_block = !in_block;
                    out.push_str("\"\"\"");
                    chars.nth(1);
                    continue;
                }
                if !in_block {
                    in_string = !in_string;
                }
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

fn shape(sdl: &str) -> Result<BTreeMap<String, BTreeMap<String, String>>, Failed> {
    let doc = async_graphql_parser::parse_schema(one_line_strings(sdl))?;
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
        // `extend type Query { ... }` may come more than once: its members add up.
        types
            .entry(t.name.node.to_string())
            .or_insert_with(BTreeMap::new)
            .extend(members);
    }
    Ok(types)
}

/// A type of a contract, with the members checked (all of them when `None`).
type Served = (&'static str, Option<&'static [&'static str]>);

/// The names of `delivery-schema.graphql`, type by type: all of them (its `extend`s are listed
/// by member, since the kind of an extended type is the core contract's).
const DELIVERY_SERVED: &[Served] = &[
    ("DeliveryStatus", None),
    ("StatusReport", None),
    (
        "ProgressUpdate",
        Some(&["activity", "nextSteps", "status", "statusText"]),
    ),
    ("Milestone", Some(&["status", "statusHistory"])),
    ("Organisation", Some(&["aliases"])),
    ("DocumentKind", Some(&["CO_CREATION"])),
    ("PriorityArea", Some(&["number", "sources", "workstreams"])),
    ("Aim", Some(&["sources"])),
    ("OrganisationRole", Some(&["WORKSTREAM_LEAD"])),
    ("Query", Some(&["workstreams", "events"])),
    ("EventFilter", None),
    ("EventConnection", None),
    ("EventEdge", None),
    ("WorkstreamFilter", None),
    ("Workstream", None),
    ("WorkstreamConnection", None),
    ("WorkstreamEdge", None),
    ("StrategyCommitment", None),
    (
        "Strategy",
        Some(&["commitments", "supersedes", "supersededBy"]),
    ),
    ("TimelineEvent", Some(&["status"])),
];

/// The names of `changes-schema.graphql`: all of them, its `extend`s by member.
const CHANGES_SERVED: &[Served] = &[
    ("ChangeAction", None),
    ("SubjectType", None),
    ("Change", None),
    ("FieldChange", None),
    ("ChangeFilter", None),
    ("ChangeConnection", None),
    ("ChangeEdge", None),
    ("Query", Some(&["changes"])),
    ("Milestone", Some(&["changes"])),
    ("Workstream", Some(&["changes"])),
    ("Document", Some(&["changes"])),
    (
        "IngestRun",
        Some(&[
            "id",
            "number",
            "startedAt",
            "finishedAt",
            "failures",
            "warnings",
            "changes",
        ]),
    ),
];

/// The names of `contract` (restricted to `only`, type by type, when given) that `ours` lacks or
/// types differently.
fn missing_names(
    contract: &BTreeMap<String, BTreeMap<String, String>>,
    ours: &BTreeMap<String, BTreeMap<String, String>>,
    only: Option<&[Served]>,
) -> BTreeSet<String> {
    let mut missing = BTreeSet::new();
    for (name, members) in contract {
        let wanted = match only {
            None => None,
            Some(only) => match only.iter().find(|(t, _)| t == name) {
                Some((_, fields)) => *fields,
                None => continue,
            },
        };
        let Some(mine) = ours.get(name) else {
            missing.insert(format!("type {name}"));
            continue;
        };
        for (member, ty) in members {
            if member == "(kind)" && wanted.is_some() {
                // An `extend type` of the contract leaves the kind to the core contract.
                continue;
            }
            if wanted.is_some_and(|w| !w.contains(&member.as_str())) {
                continue;
            }
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
    missing
}

fn the_schema_keeps_every_name_of_the_contract() -> Result<(), Failed> {
    let core = shape(&std::fs::read_to_string(repo_file(
        "tests/contract/core-schema.graphql",
    ))?)?;
    let delivery = shape(&std::fs::read_to_string(repo_file(
        "tests/contract/delivery-schema.graphql",
    ))?)?;
    let changes = shape(&std::fs::read_to_string(repo_file(
        "tests/contract/changes-schema.graphql",
    ))?)?;
    let ours = shape(&std::fs::read_to_string(repo_file("schema.graphql"))?)?;
    let mut missing = missing_names(&core, &ours, None);
    for (part, file, served) in [
        (&delivery, "delivery-schema.graphql", DELIVERY_SERVED),
        (&changes, "changes-schema.graphql", CHANGES_SERVED),
    ] {
        missing.extend(missing_names(part, &ours, Some(served)));
        // Every name of the served subset is in the contract: a typo here checks nothing.
        for (name, fields) in served {
            let Some(members) = part.get(*name) else {
                missing.insert(format!("{name}: not in {file}"));
                continue;
            };
            for f in fields.unwrap_or_default() {
                if !members.contains_key(*f) {
                    missing.insert(format!("{name}.{f}: not in {file}"));
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

fn ingest_command_reports_a_drifted_page_and_stores_the_rest() -> Result<(), Failed> {
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

    // A drifted page fails alone (it used to fail the whole run): the command names it and
    // what was missing, stores the rest of the snapshot (a new page among it), removes nothing,
    // and exits non-zero.
    let snapshot = snapshot_copy();
    edit_page(snapshot.path(), OVERVIEW, |html| {
        html.replace(">Commitment title</h3>", ">Heading nobody expects</h3>")
    });
    add_november_report(snapshot.path());
    let out = Command::new(BIN)
        .args(["--database", &db, "ingest", "--quiet", "--snapshot"])
        .arg(snapshot.path())
        .output()?;
    let stdout = String::from_utf8(out.stdout)?;
    let stderr = String::from_utf8(out.stderr)?;
    assert!(!out.status.success(), "a drifted page makes the run fail");
    assert!(
        stdout.contains(
            "5 pages seen, 1 added, 0 changed, 4 unchanged, 0 removed, 0 warnings, 0 unread sections, 1 failed"
        ),
        "{stdout}"
    );
    let failed: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("failed: "))
        .collect();
    assert_eq!(failed.len(), 1, "{stdout}");
    assert!(
        failed[0].starts_with("failed: https://www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-2-health-and-social-care/: commitment title"),
        "{stdout}"
    );
    assert!(
        stderr.contains("1 pages could not be fetched or parsed"),
        "{stderr}"
    );

    // A run over the bundled snapshot again: the overview was kept, so it is unchanged, and
    // the page the drifted run added is removed.
    let out = Command::new(BIN)
        .args(["--database", &db, "ingest", "--quiet"])
        .output()?;
    let stdout = String::from_utf8(out.stdout)?;
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains(
            "5 pages seen, 0 added, 0 changed, 5 unchanged, 1 removed, 0 warnings, 0 unread sections, 0 failed"
        ),
        "{stdout}"
    );
    Ok(())
}

/// Starts `caregraph serve` on `db` and waits until it prints its URL.
fn start_server(db: &str) -> Result<(std::process::Child, String), Failed> {
    let mut child = Command::new(BIN)
        .args(["--database", db, "serve", "--bind", "127.0.0.1:0"])
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
            let _ = child.kill();
            return Err("server did not start within 60 s".into());
        }
    };
    // Keep reading: a closed pipe would fail the server's next log line, a full one block it.
    std::thread::spawn(move || lines.for_each(drop));
    Ok((child, url))
}

/// Sends SIGTERM and checks that the server exits 0 within 10 s.
fn stop_server(mut child: std::process::Child) -> Result<(), Failed> {
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

fn post_query(url: &str, query: &str) -> Result<serde_json::Value, Failed> {
    Ok(runtime().block_on(async {
        reqwest::Client::new()
            .post(url)
            .json(&serde_json::json!({ "query": query }))
            .send()
            .await?
            .json::<serde_json::Value>()
            .await
    })?)
}

fn serve_ingests_an_empty_database_and_stops_on_sigterm() -> Result<(), Failed> {
    let dir = tempfile::tempdir()?;
    let db = format!("sqlite://{}", dir.path().join("serve.db").display());
    let (child, url) = start_server(&db)?;
    let body = post_query(&url, "{ documents { totalCount } }")?;
    assert_eq!(
        body["data"]["documents"]["totalCount"], 5,
        "the bundled snapshot was ingested at start-up"
    );
    stop_server(child)
}

/// The SQLite search index lives beside the database file; a server that finds it gone builds
/// it again from the database before it answers.
fn serve_rebuilds_a_missing_search_index() -> Result<(), Failed> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("heal.db");
    let db = format!("sqlite://{}", file.display());
    let out = Command::new(BIN)
        .args(["--database", &db, "ingest", "--quiet"])
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let index = dir.path().join("heal.db.search");
    assert!(index.is_dir(), "the ingest made the index beside the file");
    std::fs::remove_dir_all(&index)?;

    let (child, url) = start_server(&db)?;
    // The commitment overview's milestone and the August 2022 report's activity both name the
    // civil society group.
    let body = post_query(
        &url,
        r#"{ search(query: "civil society group", first: 2) { totalCount nodes { passage { text } } } }"#,
    )?;
    let total = body["data"]["search"]["totalCount"].as_i64().unwrap_or(0);
    let texts: Vec<String> = body["data"]["search"]["nodes"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .filter_map(|h| h["passage"]["text"].as_str())
                .map(str::to_lowercase)
                .collect()
        })
        .unwrap_or_default();
    let stopped = stop_server(child);
    assert!(total >= 2, "{body}");
    assert_eq!(texts.len(), 2, "{body}");
    assert!(
        texts.iter().all(|t| t.contains("civil society group")),
        "{texts:?}"
    );
    assert!(index.is_dir(), "the server made the index again");
    stopped
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

/// Log lines are plain text where they are kept as text (a file, a pipe, journald): ANSI
/// colour only on a terminal, and not there either under `NO_COLOR` (no-color.org). `script`
/// (util-linux) gives the command a terminal.
fn logs_carry_colour_only_on_a_terminal_without_no_color() -> Result<(), Failed> {
    const ESCAPE: &str = "\x1b[";
    let dir = tempfile::tempdir()?;
    let db = |name: &str| format!("sqlite://{}", dir.path().join(name).display());

    let log = dir.path().join("stderr.log");
    let out = Command::new(BIN)
        .args(["--database", &db("file.db"), "ingest", "--quiet"])
        .env_remove("NO_COLOR")
        .stderr(std::fs::File::create(&log)?)
        .output()?;
    assert!(out.status.success(), "ingest with stderr to a file failed");
    let written = std::fs::read_to_string(&log)?;
    assert!(
        written.contains(" INFO ingest::pipeline: ingested 5 pages"),
        "{written:?}"
    );
    assert!(!written.contains(ESCAPE), "{written:?}");

    let on_terminal = |name: &str, no_color: Option<&str>| -> Result<String, Failed> {
        let mut command = Command::new("script");
        let line = format!("'{BIN}' --database '{}' ingest --quiet", db(name));
        command.args(["--quiet", "--return", "--command", &line, "/dev/null"]);
        match no_color {
            Some(v) => command.env("NO_COLOR", v),
            None => command.env_remove("NO_COLOR"),
        };
        let out = command.stdin(Stdio::null()).output()?;
        assert!(out.status.success(), "ingest on a terminal failed: {out:?}");
        Ok(String::from_utf8(out.stdout)?)
    };
    // The control: on a terminal the level is coloured, so the file's plain text is the rule's.
    let coloured = on_terminal("tty.db", None)?;
    assert!(coloured.contains(ESCAPE), "{coloured:?}");
    // An empty NO_COLOR is unset, by no-color.org's definition.
    assert!(on_terminal("empty.db", Some(""))?.contains(ESCAPE));
    let plain = on_terminal("no-color.db", Some("1"))?;
    assert!(
        plain.contains(" INFO ingest::pipeline: ingested 5 pages"),
        "{plain:?}"
    );
    assert!(!plain.contains(ESCAPE), "{plain:?}");
    Ok(())
}

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "cli::logs_carry_colour_only_on_a_terminal_without_no_color",
            logs_carry_colour_only_on_a_terminal_without_no_color,
        ),
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
            "cli::ingest_command_reports_a_drifted_page_and_stores_the_rest",
            ingest_command_reports_a_drifted_page_and_stores_the_rest,
        ),
        Trial::test(
            "cli::serve_ingests_an_empty_database_and_stops_on_sigterm",
            serve_ingests_an_empty_database_and_stops_on_sigterm,
        ),
        Trial::test(
            "cli::serve_rebuilds_a_missing_search_index",
            serve_rebuilds_a_missing_search_index,
        ),
    ]
}
