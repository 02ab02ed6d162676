//! The bench's command line: which corpora, how long and how hard to load each query, which
//! backends, and which steps to run. Every step reads its settings from [`Args`].

use std::path::PathBuf;

use clap::Parser;

#[derive(Debug, Parser)]
#[command(about = "caregraph benchmarks: ingest at scale and query throughput against a ceiling")]
pub struct Args {
    /// Corpus sizes, in pages.
    #[arg(long, value_delimiter = ',', default_value = "100,1000,10000")]
    pub sizes: Vec<usize>,
    /// Seconds of load per query.
    #[arg(long, default_value_t = 10)]
    pub duration_secs: u64,
    /// Concurrent connections of the load generator.
    #[arg(long, default_value_t = 32)]
    pub connections: u32,
    /// A PostgreSQL server (admin URL) to run the same benchmarks on.
    #[arg(long, env = "CAREGRAPH_BENCH_POSTGRES")]
    pub postgres: Option<String>,
    /// Skip the query benchmarks (ingest only).
    #[arg(long)]
    pub skip_queries: bool,
    /// Rounds of the comparison with PostGraphile: each round measures both, back to back.
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
    /// Skip the peer (PostGraphile) on PostgreSQL.
    #[arg(long)]
    pub no_peers: bool,
    /// Pages of the corpus `search` is measured on at scale, on SQLite (about 20 passages a
    /// page: 50,000 pages make a million passages); 0 skips it.
    #[arg(long, default_value_t = 50_000)]
    pub search_pages: usize,
    /// Measure only what each reuse layer is worth (step 7), on the real corpus.
    #[arg(long)]
    pub layers_only: bool,
    /// In step 7, only the layers whose name contains this (e.g. `parsed`).
    #[arg(long)]
    pub layer: Option<String>,
    /// Measure only the export files (step 3's downloads, and whether their memory depends on
    /// their size), on the largest size's databases a full run left in the work folder.
    #[arg(long)]
    pub exports_only: bool,
    /// Where corpora and databases are made.
    #[arg(long, default_value = "target/bench")]
    pub work_dir: PathBuf,
}
