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
    /// Falls back to `DATABASE_URL`, then to `sqlite://caregraph.db`.
    #[arg(long, global = true, env = "CAREGRAPH_DATABASE")]
    pub database: Option<String>,

    /// Do not run migrations on connect: for servers sharing a database whose schema a single
    /// `caregraph migrate` keeps up to date.
    #[arg(long, global = true, env = "CAREGRAPH_NO_MIGRATE")]
    pub no_migrate: bool,

    /// Most database connections to hold open (default: four per core, at least 4).
    #[arg(long, global = true, env = "CAREGRAPH_DB_POOL_SIZE")]
    pub db_pool_size: Option<u32>,

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
    /// Bring the database schema up to date, then exit.
    Migrate,
}

impl Cli {
    /// The subcommand to run: `serve`, with its flags' defaults (and environment), when none
    /// was given.
    ///
    /// # Errors
    /// An environment variable of `serve` holds a value its flag does not accept.
    pub fn command_or_serve(&mut self) -> Result<Command, clap::Error> {
        if let Some(command) = self.command.take() {
            return Ok(command);
        }
        let defaults = Self::try_parse_from(["caregraph", "serve"])?;
        defaults
            .command
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::MissingSubcommand))
    }

    /// The database to use: `--database`, `CAREGRAPH_DATABASE`, `DATABASE_URL`, or the default.
    pub fn database_url(&self) -> String {
        self.database
            .clone()
            .or_else(|| std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty()))
            .unwrap_or_else(|| DEFAULT_DATABASE.to_owned())
    }
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

    /// Deepest field nesting a query may have.
    #[arg(long, env = "CAREGRAPH_MAX_DEPTH", default_value_t = 12)]
    pub max_depth: usize,

    /// Highest cost a query may have (connections multiply by their `first`).
    #[arg(long, env = "CAREGRAPH_MAX_COST", default_value_t = 250_000)]
    pub max_cost: usize,

    /// A query running longer than this many seconds is stopped.
    #[arg(long, env = "CAREGRAPH_QUERY_TIMEOUT_SECS", default_value_t = 10)]
    pub query_timeout_secs: u64,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "CAREGRAPH_MAX_BODY_BYTES", default_value_t = 65_536)]
    pub max_body_bytes: usize,

    /// `max-age` of cacheable GET answers, in seconds.
    #[arg(long, env = "CAREGRAPH_CACHE_MAX_AGE_SECS", default_value_t = 60)]
    pub cache_max_age_secs: u64,

    /// GET answers kept in memory for reuse (0 turns the response cache off).
    #[arg(long, env = "CAREGRAPH_RESPONSE_CACHE_ENTRIES", default_value_t = 1024)]
    pub response_cache_entries: usize,

    /// How long, in microseconds, a batch loader waits for more keys before its statement
    /// runs: longer batches more requests into one statement, shorter answers sooner.
    #[arg(long, env = "CAREGRAPH_BATCH_WINDOW_US", default_value_t = 1000)]
    pub batch_window_us: u64,

    /// Bearer token enabling `POST /admin/ingest`; without it that route does not exist.
    #[arg(long, env = "CAREGRAPH_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
}

impl ServeArgs {
    /// The HTTP layer's settings.
    pub fn http_config(&self) -> crate::http::HttpConfig {
        crate::http::HttpConfig {
            limits: crate::graphql::limits::Limits {
                max_depth: self.max_depth,
                max_cost: self.max_cost,
            },
            query_timeout: std::time::Duration::from_secs(self.query_timeout_secs),
            max_body_bytes: self.max_body_bytes,
            cache_max_age: std::time::Duration::from_secs(self.cache_max_age_secs),
            admin_token: self.admin_token.clone().filter(|t| !t.is_empty()),
            snapshot: self.snapshot.clone(),
            response_cache_entries: self.response_cache_entries,
            batch_window: std::time::Duration::from_micros(self.batch_window_us),
        }
    }
}

/// Options of `caregraph ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Snapshot folder (`wget -x` layout); the bundled snapshot by default.
    #[arg(long, env = "CAREGRAPH_SNAPSHOT", conflicts_with = "live")]
    pub snapshot: Option<PathBuf>,

    /// Fetch the pages from the web instead of a snapshot, politely.
    #[arg(long)]
    pub live: bool,

    /// With --live: a publication root to crawl (repeatable); the bundled snapshot's
    /// publications by default.
    #[arg(long = "root", requires = "live")]
    pub roots: Vec<String>,

    /// With --live: folder to save the fetched pages to, as a replayable snapshot.
    #[arg(
        long,
        env = "CAREGRAPH_SAVE_SNAPSHOT",
        default_value = "caregraph-snapshot"
    )]
    pub save_to: PathBuf,

    /// With --live: the User-Agent sent with every request.
    #[arg(long, env = "CAREGRAPH_USER_AGENT")]
    pub user_agent: Option<String>,

    /// With --live: least time between two requests to one host, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    pub min_interval_ms: u64,

    /// With --live: a page's total time limit across its retries, in seconds.
    #[arg(long, default_value_t = 60)]
    pub page_timeout_secs: u64,

    /// With --live: retries of a page after its first attempt.
    #[arg(long, default_value_t = 3)]
    pub max_retries: u32,

    /// No progress bar (logs only).
    #[arg(long)]
    pub quiet: bool,
}
