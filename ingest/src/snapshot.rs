//! Reading a saved snapshot: a folder laid out as `wget -x` saves a site.
//!
//! `www.gov.scot/publications/<slug>/pages/<page>/index.html` is the page
//! `https://www.gov.scot/publications/<slug>/pages/<page>/`. A page's own canonical link, when
//! it has one, wins over the address worked out from its path.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::error::IngestError;

/// A page as read from disk or the web, before parsing.
#[derive(Clone, Debug)]
pub struct RawPage {
    /// The page's address as the snapshot layout gives it.
    pub url: String,
    /// Where it was read from (a file path, or the URL for live fetches).
    pub origin: String,
    /// The body, as bytes: decoding is the parser's job, so bad bytes get a clear error.
    pub body: Vec<u8>,
    /// When this copy was fetched (for a snapshot file, its modification time).
    pub fetched_at: DateTime<Utc>,
}

/// The HTML files below `dir`, sorted by path so runs are repeatable.
///
/// # Errors
/// An unreadable folder or file is [`IngestError::Io`]; a folder without pages is
/// [`IngestError::EmptySnapshot`].
pub fn list_pages(dir: &Path) -> Result<Vec<PathBuf>, IngestError> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| IngestError::Io {
            path: e
                .path()
                .map_or_else(|| dir.to_path_buf(), Path::to_path_buf),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("walk error")),
        })?;
        let is_html = entry
            .path()
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
        if entry.file_type().is_file() && is_html {
            files.push(entry.into_path());
        }
    }
    if files.is_empty() {
        return Err(IngestError::EmptySnapshot(dir.to_path_buf()));
    }
    Ok(files)
}

/// Reads one snapshot file.
///
/// # Errors
/// An unreadable file is [`IngestError::Io`].
pub fn read_page(dir: &Path, path: &Path) -> Result<RawPage, IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    };
    let body = std::fs::read(path).map_err(io)?;
    let fetched_at = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map(DateTime::<Utc>::from)
        .map_err(io)?;
    Ok(RawPage {
        url: url_for(dir, path),
        origin: path.display().to_string(),
        body,
        fetched_at,
    })
}

/// The address a `wget -x` path stands for.
pub fn url_for(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts
        .last()
        .is_some_and(|f| f.eq_ignore_ascii_case("index.html"))
    {
        parts.pop();
        return format!("https://{}/", parts.join("/"));
    }
    format!("https://{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wget_paths_map_to_urls() {
        let dir = Path::new("/snap");
        assert_eq!(
            url_for(
                dir,
                Path::new("/snap/www.gov.scot/publications/a/pages/b/index.html")
            ),
            "https://www.gov.scot/publications/a/pages/b/"
        );
        assert_eq!(
            url_for(dir, Path::new("/snap/example.org/x.html")),
            "https://example.org/x.html"
        );
    }
}
