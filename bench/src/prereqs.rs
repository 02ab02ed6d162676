//! What the bench needs on the machine, checked before anything else runs: a fresh machine
//! learns in its first second what is missing, not after minutes of ingest. A tool Debian
//! packages (`wrk`, `curl`) is installed with `apt-get` when the bench runs as root, as
//! `.ci/run` installs chromium; `npm` (for PostGraphile, with `--postgres`) is only checked.

use std::process::{Command, Stdio};

use anyhow::{Result, bail};

/// Whether `tool` can be started.
fn found(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// Installs a Debian package, quietly; whether it worked.
fn apt_install(package: &str) -> bool {
    eprintln!("bench: `{package}` is missing; installing it with apt-get");
    let install = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    install(&["install", "-y", "-qq", package])
        || (install(&["update", "-qq"]) && install(&["install", "-y", "-qq", package]))
}

/// Checks (and where it can, installs) every tool the run will use.
///
/// # Errors
/// The tools still missing, each with how to get it.
pub fn check(with_peer: bool) -> Result<()> {
    let mut missing = Vec::new();
    for (tool, package) in [("wrk", "wrk"), ("curl", "curl")] {
        if !found(tool) && !(apt_install(package) && found(tool)) {
            missing.push(format!("`{tool}` (Debian: apt-get install {package})"));
        }
    }
    if with_peer && !found("npm") {
        missing.push("`npm` (for PostGraphile; Debian: apt-get install npm)".to_owned());
    }
    if missing.is_empty() {
        Ok(())
    } else {
        bail!("the bench needs {} on the PATH", missing.join(", "))
    }
}
