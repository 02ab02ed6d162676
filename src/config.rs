//! Command-line and environment configuration: one struct, parsed once, with defaults that
//! make `cargo run --release` work on a fresh machine.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// The default database: an SQLite file beside where caregraph runs.
pub const DEFAULT_DATABASE: &str = "sqlite://caregraph.db";

/// caregraph: the Scottish Government's health and social care policy pages as a GraphQL API.
#[derive(Debug, Parser)]
#[command(name = "caregraph", version, about, long_about = None)]
pub struct Cli {
    /// Database URL: `sqlite://FILE` (created when missing) or `postgres://USER@HOST/DB`.
    #[arg(long, global = true, env = "CAREGRAPH_DATABASE", default_value = DEFAULT_DATABASE)]
    pub database: String,

    /// What to do; `serve` when left out.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the GraphQL API (and GraphiQL) over HTTP.
    Serve(ServeArgs),
    /// Ingest a snapshot folder into the database, then exit.
    Ingest(IngestArgs),
    /// Print the GraphQL schema (SDL) to standard output.
    Schema,
}

/// Options of `caregraph serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "CAREGRAPH_BIND", default_value = "127.0.0.1:8000")]
    pub bind: SocketAddr,

    /// Snapshot to ingest when the database is empty (the bundled one by default).
    #[arg(long, env = "CAREGRAPH_SNAPSHOT")]
    pub snapshot: Option<PathBuf>,

    /// Do not ingest anything at start-up, even into an empty database.
    #[arg(long, env = "CAREGRAPH_NO_AUTO_INGEST")]
    pub no_auto_ingest: bool,
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8000)),
            snapshot: None,
            no_auto_ingest: false,
        }
    }
}

/// Options of `caregraph ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Snapshot folder (`wget -x` layout); the bundled snapshot by default.
    #[arg(long, env = "CAREGRAPH_SNAPSHOT")]
    pub snapshot: Option<PathBuf>,

    /// No progress bar (logs only).
    #[arg(long)]
    pub quiet: bool,
}
