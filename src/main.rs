//! The caregraph command: parse the configuration, set up logging, hand off to the library.

use std::io::IsTerminal;

use clap::Parser;
use tracing_subscriber::EnvFilter;

// A deep query allocates and frees thousands of small values (rows, GraphQL values, JSON) on
// both worker threads; glibc's allocator spent over a quarter of the CPU time there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("caregraph=info,ingest=info,tower_http=warn")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(colour_logs())
        .init();
    match caregraph::run(caregraph::config::Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("caregraph: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Whether log lines carry ANSI colour: only on a terminal, and not when `NO_COLOR` is set to
/// anything but empty (no-color.org). A file, a pipe or journald would keep the escape codes
/// as text.
fn colour_logs() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
