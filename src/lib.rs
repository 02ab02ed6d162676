//! caregraph: the Scottish Government's published health and social care policy pages as a
//! linked GraphQL API.
//!
//! # Layout
//! - [`config`]: the command line and environment, and every default;
//! - [`db`]: connecting to SQLite or PostgreSQL and migrating;
//! - [`read`]: the read layer every surface reads through (IDs, date windows, source links,
//!   history), with no GraphQL or HTTP in it;
//! - [`graphql`]: the schema, its types, loaders, search and timeline;
//! - [`executor`]: runs requests on the schema, with every layer that reuses work (the
//!   response cache, the dataset version, parsed documents, shared reads) and their freshness
//!   rules;
//! - [`http`]: the axum router and server, a thin adapter over the executor;
//! - [`run`]: what each subcommand does.
//!
//! The ingest (fetch, parse, normalise, store) is the `ingest` crate; the storage shapes are the
//! `entity` crate; the schema's migrations are the `migration` crate.
#![warn(missing_docs)]

pub mod config;
pub mod db;
pub mod executor;
pub mod graphql;
pub mod http;
#[cfg(test)]
mod layout;
pub mod read;

use std::path::PathBuf;

use anyhow::Context as _;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use tokio::net::TcpListener;

use config::{Cli, Command, IngestArgs, ServeArgs};

/// Runs the command the user asked for.
///
/// # Errors
/// Anything that stops the command, with context saying what it was doing.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let url = cli.database_url();
    let migrate = !cli.no_migrate;
    let pool = cli.db_pool_size.unwrap_or_else(db::default_pool_size);
    match cli.into_command() {
        Command::Schema => {
            print!("{}", sdl());
            Ok(())
        }
        Command::Migrate => {
            open(&url, true, pool).await?;
            println!("database {} is up to date", redact(&url));
            Ok(())
        }
        Command::Ingest(args) => {
            let db = open(&url, migrate, pool).await?;
            ingest(&db, &args).await
        }
        Command::Serve(args) => {
            let db = open(&url, migrate, pool).await?;
            serve(db, &args).await
        }
    }
}

/// The schema's SDL, as `caregraph schema` prints it and `schema.graphql` holds it.
pub fn sdl() -> String {
    // The SDL does not depend on the connection; a disconnected handle builds the schema.
    // `@specifiedBy` is left out by default; `Date` has one.
    let options = async_graphql::SDLExportOptions::new().include_specified_by();
    graphql::build_schema(DatabaseConnection::default()).sdl_with_options(options)
}

async fn open(url: &str, migrate: bool, pool: u32) -> anyhow::Result<DatabaseConnection> {
    let db = if migrate {
        db::connect_with(url, pool).await
    } else {
        db::connect_only_with(url, pool).await
    };
    db.with_context(|| format!("opening the database {}", redact(url)))
}

/// A database URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

fn snapshot_dir(arg: Option<&PathBuf>) -> PathBuf {
    arg.cloned().unwrap_or_else(ingest::bundled_snapshot)
}

async fn ingest(db: &DatabaseConnection, args: &IngestArgs) -> anyhow::Result<()> {
    let settings = ingest::RunSettings {
        progress: if args.quiet {
            ingest::Progress::Quiet
        } else {
            ingest::Progress::Bar
        },
        on_busy: if args.wait {
            ingest::OnBusy::Wait
        } else {
            ingest::OnBusy::Fail
        },
    };
    let summary = if args.live {
        let roots = if args.roots.is_empty() {
            ingest::crawl::DEFAULT_ROOTS
                .iter()
                .map(|r| (*r).to_owned())
                .collect()
        } else {
            args.roots.clone()
        };
        let options = ingest::LiveOptions {
            roots,
            save_to: args.save_to.clone(),
            crawl: args.crawl_config(),
        };
        ingest::ingest_live(db, options, settings)
            .await
            .context("crawling the live site")?
    } else {
        let dir = snapshot_dir(args.snapshot.as_ref());
        ingest::ingest_snapshot(db, &dir, settings)
            .await
            .with_context(|| format!("ingesting {}", dir.display()))?
    };
    println!(
        "run {}: {} pages seen, {} added, {} changed, {} unchanged, {} removed, {} warnings, {} unread sections, {} failed; {} entity changes recorded",
        summary.run_id,
        summary.pages_seen,
        summary.added,
        summary.changed,
        summary.unchanged,
        summary.removed,
        summary.warnings.len(),
        summary.unread_sections,
        summary.failures.len(),
        summary.changes
    );
    for w in &summary.warnings {
        println!("warning: {w}");
    }
    for f in &summary.failures {
        println!("failed: {f}");
    }
    if summary.failures.is_empty() {
        Ok(())
    } else {
        anyhow::bail!(
            "{} pages could not be fetched or parsed; their earlier data is still served",
            summary.failures.len()
        )
    }
}

async fn serve(db: DatabaseConnection, args: &ServeArgs) -> anyhow::Result<()> {
    let empty = entity::document::Entity::find().count(&db).await? == 0;
    if empty && !args.no_auto_ingest {
        let dir = snapshot_dir(args.snapshot.as_ref());
        tracing::info!("empty database: ingesting {}", dir.display());
        // A second server starting on the same empty database waits for the first's ingest.
        let settings = ingest::RunSettings {
            progress: ingest::Progress::Quiet,
            on_busy: ingest::OnBusy::Wait,
        };
        let run = ingest::ingest_snapshot(&db, &dir, settings)
            .await
            .with_context(|| format!("ingesting {} into the empty database", dir.display()))?;
        for f in &run.failures {
            tracing::warn!("not ingested: {f}");
        }
    }
    // An index deleted, left behind by a crash or built by an older caregraph is rebuilt from
    // the database; a server whose index cannot be written still serves everything else.
    match ingest::search_index::sync(&db).await {
        Ok(s) if s.indexed + s.dropped > 0 => tracing::info!(
            indexed = s.indexed,
            dropped = s.dropped,
            "search index caught up with the database"
        ),
        Ok(_) => {}
        Err(e) => tracing::error!("{e}; search may miss recent changes"),
    }
    let mut config = args.http_config();
    let open_files = http::server::raise_open_file_limit();
    let cap = &mut config.connections.max_connections;
    match (args.max_connections, open_files) {
        (None, _) => *cap = config::default_max_connections(open_files),
        (Some(chosen), Some(files)) if u64::from(chosen) >= files => tracing::warn!(
            max_connections = chosen,
            open_files = files,
            "the connection cap is not below the open-file limit: accepts will fail (and be \
             retried) before the cap is reached"
        ),
        (Some(_), _) => {}
    }
    let limits = config.connections;
    tracing::info!(
        max_connections = limits.max_connections,
        header_timeout_secs = limits.header_timeout.as_secs(),
        body_timeout_secs = limits.body_timeout.as_secs(),
        idle_timeout_secs = limits.idle_timeout.as_secs(),
        "connection limits"
    );
    let listener = TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("binding {}", args.bind))?;
    let addr = listener.local_addr()?;
    tracing::info!("serving GraphiQL at http://{addr}/graphql");
    eprintln!("caregraph: GraphiQL at http://{addr}/graphql");
    let state = http::AppState::with_config(db, config);
    if state.config.admin_token.is_some() {
        tracing::info!("POST /admin/ingest is enabled (bearer token set)");
    }
    http::serve(listener, state, shutdown_signal())
        .await
        .context("serving HTTP")
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://caregraph.db"), "sqlite://caregraph.db");
    }
}
