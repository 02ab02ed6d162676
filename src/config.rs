//! Command-line and environment configuration: one struct, parsed once, with defaults that
//! make `cargo run --release` work on a fresh machine.
//!
//! Every default is a constant written once, beside the setting it is for, and used both by
//! clap and by `Default`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use ingest::crawl::CrawlConfig;

use crate::graphql::limits::Limits;
use crate::graphql::loader::DEFAULT_BATCH_WINDOW;

/// The default database: an SQLite file beside where caregraph runs.
pub const DEFAULT_DATABASE: &str = "sqlite://caregraph.db";

/// caregraph: the Scottish Government's health and social care policy pages as a GraphQL API.
///
/// With no subcommand it serves, taking `serve`'s options: clap's default-subcommand pattern, a
/// flattened copy of the default's arguments. (Not with `args_conflicts_with_subcommands`,
/// which would also refuse the global `--database` before a subcommand.)
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

    /// `serve`'s options, for when no subcommand is given.
    #[command(flatten)]
    pub serve: ServeArgs,
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
    /// The subcommand to run: `serve` with the top-level options when none was given.
    pub fn into_command(self) -> Command {
        self.command.unwrap_or(Command::Serve(self.serve))
    }

    /// The database to use: `--database`, `CAREGRAPH_DATABASE`, `DATABASE_URL`, or the default.
    pub fn database_url(&self) -> String {
        self.database
            .clone()
            .or_else(|| std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty()))
            .unwrap_or_else(|| DEFAULT_DATABASE.to_owned())
    }
}

/// The address `serve` listens on unless told otherwise.
pub const DEFAULT_BIND: &str = "127.0.0.1:8000";
/// A query running longer than this is stopped.
pub const DEFAULT_QUERY_TIMEOUT_SECS: u64 = 10;
/// Largest request body accepted.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;
/// `max-age` of cacheable GET answers.
pub const DEFAULT_CACHE_MAX_AGE_SECS: u64 = 60;
/// GET answers kept in memory for reuse.
pub const DEFAULT_RESPONSE_CACHE_ENTRIES: usize = 1024;
/// Query text whose parsed documents are kept: clients send the same few queries over and over
/// (a dashboard, an app's screens), and a parse took about a tenth of the CPU time of a small
/// linked query.
pub const DEFAULT_PARSED_QUERY_BYTES: u64 = 1024 * 1024;
/// How long a server trusts its last look at the dataset version: the longest another
/// process's ingest can go unseen.
pub const DEFAULT_VERSION_TTL_MS: u64 = 1000;

/// A client has this long to send a request's head (its request line and headers), from
/// connecting, or from the head's first byte on a kept-alive connection; then it is disconnected.
/// Slowloris clients hold connections by never finishing a head. A head is a few KiB at most,
/// so ten seconds is ample even over a poor mobile link, and short enough that a flood of them
/// frees its slots quickly.
pub const DEFAULT_HEADER_TIMEOUT_SECS: u64 = 10;
/// A request's whole body must arrive within this long of its head, or it is answered 408. Bodies
/// are at most 64 KiB (`--max-body-bytes`): 30 seconds lets one arrive at 2 KiB/s, slower than
/// any real link, while a client trickling a byte now and then is cut after 30 seconds in all
/// (the deadline is for the whole body, not between its pieces).
pub const DEFAULT_BODY_TIMEOUT_SECS: u64 = 30;
/// A kept-alive connection with no request under way is closed after this long. A minute keeps
/// a dashboard or script polling each minute on one connection (nginx keeps 75 seconds), and an
/// idle connection costs only a few KiB; while a new client waits for a slot (the connection cap
/// is reached), an idle connection gets no longer than the header timeout, so idle clients
/// cannot hold slots that new ones need.
pub const DEFAULT_IDLE_TIMEOUT_SECS: u64 = 60;
/// Most connections served at once; past it, the next one waits accepted and the rest wait in
/// the listen backlog until a slot frees. 512 is nginx's default per worker: far more than two cores need to keep busy
/// (requests queue for a handful of database connections anyway), while each open connection
/// costs a task and tens of KiB of buffers. It also fits under the 1,024 open files many
/// systems allow a process, with room for the database pool and the search index; when the
/// open-file limit (raised at start-up to its hard limit) is lower, the default is half of it.
pub const DEFAULT_MAX_CONNECTIONS: u32 = 512;

/// The connection cap when none is given: [`DEFAULT_MAX_CONNECTIONS`], or half the open-file
/// limit when that is lower, leaving the other half to the database pool, the search index and
/// the rest; at least 1.
pub fn default_max_connections(open_files: Option<u64>) -> u32 {
    let half = open_files.map_or(u64::MAX, |files| files / 2);
    u32::try_from(half)
        .unwrap_or(u32::MAX)
        .clamp(1, DEFAULT_MAX_CONNECTIONS)
}

/// Options of `caregraph serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "CAREGRAPH_BIND", default_value = DEFAULT_BIND)]
    pub bind: SocketAddr,

    /// Snapshot to ingest when the database is empty (the bundled one by default).
    #[arg(long, env = "CAREGRAPH_SNAPSHOT")]
    pub snapshot: Option<PathBuf>,

    /// Do not ingest anything at start-up, even into an empty database.
    #[arg(long, env = "CAREGRAPH_NO_AUTO_INGEST")]
    pub no_auto_ingest: bool,

    /// Deepest field nesting a query may have.
    #[arg(long, env = "CAREGRAPH_MAX_DEPTH", default_value_t = Limits::default().max_depth)]
    pub max_depth: usize,

    /// Highest cost a query may have (connections multiply by their `first`).
    #[arg(long, env = "CAREGRAPH_MAX_COST", default_value_t = Limits::default().max_cost)]
    pub max_cost: usize,

    /// A query running longer than this many seconds is stopped.
    #[arg(long, env = "CAREGRAPH_QUERY_TIMEOUT_SECS", default_value_t = DEFAULT_QUERY_TIMEOUT_SECS)]
    pub query_timeout_secs: u64,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "CAREGRAPH_MAX_BODY_BYTES", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,

    /// `max-age` of cacheable GET answers, in seconds.
    #[arg(long, env = "CAREGRAPH_CACHE_MAX_AGE_SECS", default_value_t = DEFAULT_CACHE_MAX_AGE_SECS)]
    pub cache_max_age_secs: u64,

    /// GET answers kept in memory for reuse (0 turns the response cache off).
    #[arg(long, env = "CAREGRAPH_RESPONSE_CACHE_ENTRIES", default_value_t = DEFAULT_RESPONSE_CACHE_ENTRIES)]
    pub response_cache_entries: usize,

    /// Bytes of query text whose parsed documents are kept (0 parses every request afresh).
    #[arg(long, env = "CAREGRAPH_PARSED_QUERY_BYTES", default_value_t = DEFAULT_PARSED_QUERY_BYTES)]
    pub parsed_query_bytes: u64,

    /// Do not let requests for the same root page at the same moment share its statements.
    #[arg(long, env = "CAREGRAPH_NO_SHARED_READS")]
    pub no_shared_reads: bool,

    /// How long, in milliseconds, the dataset version read is trusted (0 reads it for every
    /// GET): the longest an ingest by another process goes unseen.
    #[arg(long, env = "CAREGRAPH_VERSION_TTL_MS", default_value_t = DEFAULT_VERSION_TTL_MS)]
    pub version_ttl_ms: u64,

    /// How long, in microseconds, a batch loader waits for more keys before its statement
    /// runs: longer batches more requests into one statement, shorter answers sooner.
    #[arg(long, env = "CAREGRAPH_BATCH_WINDOW_US", default_value_t = micros(DEFAULT_BATCH_WINDOW))]
    pub batch_window_us: u64,

    /// Seconds a client has to send a request's head, from connecting or from the head's first
    /// byte on a kept-alive connection; it is disconnected after.
    #[arg(long, env = "CAREGRAPH_HEADER_TIMEOUT_SECS", default_value_t = DEFAULT_HEADER_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout_secs: u64,

    /// Seconds a request's whole body has to arrive after its head; it is answered 408 after.
    #[arg(long, env = "CAREGRAPH_BODY_TIMEOUT_SECS", default_value_t = DEFAULT_BODY_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub body_timeout_secs: u64,

    /// Seconds a kept-alive connection may sit with no request before it is closed (no longer
    /// than the header timeout while a new client waits for a slot).
    #[arg(long, env = "CAREGRAPH_IDLE_TIMEOUT_SECS", default_value_t = DEFAULT_IDLE_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout_secs: u64,

    /// Most connections served at once; more wait for a slot (512 by default, or half the
    /// open-file limit when that is lower).
    #[arg(long, env = "CAREGRAPH_MAX_CONNECTIONS", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: Option<u32>,

    /// Bearer token enabling `POST /admin/ingest`; without it that route does not exist.
    #[arg(long, env = "CAREGRAPH_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
}

impl IngestArgs {
    /// How a live crawl behaves: the options given, the crawler's defaults for the rest.
    pub fn crawl_config(&self) -> CrawlConfig {
        let mut crawl = CrawlConfig {
            min_interval: Duration::from_millis(self.min_interval_ms),
            page_timeout: Duration::from_secs(self.page_timeout_secs),
            max_retries: self.max_retries,
            ..CrawlConfig::default()
        };
        if let Some(agent) = &self.user_agent {
            crawl.user_agent.clone_from(agent);
        }
        crawl
    }
}

impl ServeArgs {
    /// The server's settings.
    pub fn http_config(&self) -> HttpConfig {
        HttpConfig {
            limits: Limits {
                max_depth: self.max_depth,
                max_cost: self.max_cost,
            },
            query_timeout: Duration::from_secs(self.query_timeout_secs),
            max_body_bytes: self.max_body_bytes,
            cache_max_age: Duration::from_secs(self.cache_max_age_secs),
            admin_token: self.admin_token.clone().filter(|t| !t.is_empty()),
            snapshot: self.snapshot.clone(),
            layers: Layers {
                response_cache_entries: self.response_cache_entries,
                parsed_query_bytes: self.parsed_query_bytes,
                shared_reads: !self.no_shared_reads,
                version_ttl: Duration::from_millis(self.version_ttl_ms),
            },
            batch_window: Duration::from_micros(self.batch_window_us),
            connections: Connections {
                header_timeout: Duration::from_secs(self.header_timeout_secs),
                body_timeout: Duration::from_secs(self.body_timeout_secs),
                idle_timeout: Duration::from_secs(self.idle_timeout_secs),
                max_connections: self.max_connections.unwrap_or(DEFAULT_MAX_CONNECTIONS),
            },
        }
    }
}

/// Settings of the server: limits, the HTTP surface and the reuse layers.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// Depth and cost limits of queries.
    pub limits: Limits,
    /// A query running longer is stopped.
    pub query_timeout: Duration,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
    /// `max-age` of cacheable GET answers.
    pub cache_max_age: Duration,
    /// Bearer token for `POST /admin/ingest`; the route does not exist without one.
    pub admin_token: Option<String>,
    /// The snapshot `POST /admin/ingest` reads (the bundled one when `None`).
    pub snapshot: Option<PathBuf>,
    /// Which reuse layers run, and how large (see [`crate::executor`]).
    pub layers: Layers,
    /// How long a batch loader waits for more keys (more batching against more latency).
    pub batch_window: Duration,
    /// Deadlines of connections and their cap, so slow and idle clients cannot lock others out.
    pub connections: Connections,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            query_timeout: Duration::from_secs(DEFAULT_QUERY_TIMEOUT_SECS),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            cache_max_age: Duration::from_secs(DEFAULT_CACHE_MAX_AGE_SECS),
            admin_token: None,
            snapshot: None,
            layers: Layers::default(),
            batch_window: DEFAULT_BATCH_WINDOW,
            connections: Connections::default(),
        }
    }
}

/// Deadlines of connections and their cap (see [`crate::http::server`]).
#[derive(Clone, Copy, Debug)]
pub struct Connections {
    /// A client must send a request's head within this, from connecting or from the head's
    /// first byte.
    pub header_timeout: Duration,
    /// A request's whole body must arrive within this of its head, or it is answered 408.
    pub body_timeout: Duration,
    /// A connection with no request under way is closed after this (after the header timeout
    /// at most while a new client waits for a slot).
    pub idle_timeout: Duration,
    /// Most connections served at once.
    pub max_connections: u32,
}

impl Default for Connections {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(DEFAULT_HEADER_TIMEOUT_SECS),
            body_timeout: Duration::from_secs(DEFAULT_BODY_TIMEOUT_SECS),
            idle_timeout: Duration::from_secs(DEFAULT_IDLE_TIMEOUT_SECS),
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// The reuse layers of [`crate::executor`]; each can be switched off.
#[derive(Clone, Copy, Debug)]
pub struct Layers {
    /// GET answers kept in memory, keyed by their ETag; 0 turns the cache off.
    pub response_cache_entries: usize,
    /// Bytes of query text whose parsed documents are kept; 0 turns the cache off.
    pub parsed_query_bytes: u64,
    /// Whether identical root reads under way are shared.
    pub shared_reads: bool,
    /// How long the dataset version read is trusted; zero reads it for every GET.
    pub version_ttl: Duration,
}

impl Default for Layers {
    fn default() -> Self {
        Self {
            response_cache_entries: DEFAULT_RESPONSE_CACHE_ENTRIES,
            parsed_query_bytes: DEFAULT_PARSED_QUERY_BYTES,
            shared_reads: true,
            version_ttl: Duration::from_millis(DEFAULT_VERSION_TTL_MS),
        }
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
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
    #[arg(long, default_value_t = millis(CrawlConfig::default().min_interval))]
    pub min_interval_ms: u64,

    /// With --live: a page's total time limit across its retries, in seconds.
    #[arg(long, default_value_t = CrawlConfig::default().page_timeout.as_secs())]
    pub page_timeout_secs: u64,

    /// With --live: retries of a page after its first attempt.
    #[arg(long, default_value_t = CrawlConfig::default().max_retries)]
    pub max_retries: u32,

    /// No progress bar (logs only).
    #[arg(long)]
    pub quiet: bool,

    /// When another ingest of this database is running, wait for it to end instead of failing
    /// at once.
    #[arg(long)]
    pub wait: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        <Cli as CommandFactory>::command().debug_assert();
    }

    #[test]
    fn no_subcommand_serves_with_the_top_level_options() {
        let cli = Cli::try_parse_from(["caregraph", "--bind", "127.0.0.1:9"]).expect("parses");
        match cli.into_command() {
            Command::Serve(args) => assert_eq!(args.bind.port(), 9),
            other => panic!("expected serve, got {other:?}"),
        }
        let cli = Cli::try_parse_from(["caregraph", "--database", "sqlite://x.db", "schema"])
            .expect("parses");
        assert_eq!(cli.database_url(), "sqlite://x.db");
        assert!(matches!(cli.into_command(), Command::Schema));
    }

    #[test]
    fn the_connection_cap_defaults_below_the_open_file_limit() {
        assert_eq!(default_max_connections(None), DEFAULT_MAX_CONNECTIONS);
        assert_eq!(default_max_connections(Some(1_048_576)), 512);
        assert_eq!(default_max_connections(Some(1024)), 512);
        assert_eq!(default_max_connections(Some(256)), 128);
        assert_eq!(default_max_connections(Some(1)), 1);
        assert_eq!(default_max_connections(Some(u64::MAX)), 512);
    }

    #[test]
    fn connection_timeouts_cannot_be_switched_off() {
        for flag in [
            "--header-timeout-secs",
            "--body-timeout-secs",
            "--idle-timeout-secs",
            "--max-connections",
        ] {
            assert!(
                Cli::try_parse_from(["caregraph", "serve", flag, "0"]).is_err(),
                "{flag} 0 was accepted"
            );
        }
    }

    #[test]
    fn defaults_agree_between_the_command_line_and_code() {
        let cli = Cli::try_parse_from(["caregraph", "serve"]).expect("parses");
        let Command::Serve(args) = cli.into_command() else {
            panic!("expected serve");
        };
        let parsed = args.http_config();
        let default = HttpConfig::default();
        assert_eq!(format!("{parsed:?}"), format!("{default:?}"));
    }
}
