//! Reading a saved snapshot: a folder laid out as `wget -x` saves a site.
//!
//! `www.gov.scot/publications/<slug>/pages/<page>/index.html` is the page
//! `https://www.gov.scot/publications/<slug>/pages/<page>/`. A page's own canonical link, when
//! it has one on the same host and in the same publication, wins over the address worked out
//! from its path (see [`crate::page::parse_page`]). A file over [`MAX_PAGE_BYTES`] is refused
//! by its size, unread.

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::error::IngestError;
use crate::page::MAX_PAGE_BYTES;

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
    /// The `ETag` the server sent, for live fetches.
    pub etag: Option<String>,
    /// The `Last-Modified` the server sent, for live fetches.
    pub last_modified: Option<String>,
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

/// Reads one snapshot file, refusing one over [`MAX_PAGE_BYTES`] without reading it.
///
/// # Errors
/// An unreadable file, or one over the limit, is [`IngestError::Io`] naming the file.
pub fn read_page(dir: &Path, path: &Path) -> Result<RawPage, IngestError> {
    let (body, metadata) = read_bounded(path)?;
    let fetched_at = metadata
        .modified()
        .map(DateTime::<Utc>::from)
        .map_err(|source| IngestError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(RawPage {
        url: url_for(dir, path),
        origin: path.display().to_string(),
        body,
        fetched_at,
        etag: None,
        last_modified: None,
    })
}

/// A saved page's bytes, refusing a file over [`MAX_PAGE_BYTES`] without reading it.
///
/// # Errors
/// An unreadable file, or one over the limit, is [`IngestError::Io`] naming the file.
pub fn read_file(path: &Path) -> Result<Vec<u8>, IngestError> {
    read_bounded(path).map(|(body, _)| body)
}

/// The file's bytes and metadata. Its size is checked before anything is read, and the read
/// stops one byte past the limit, so a file that grows meanwhile costs no more than that.
fn read_bounded(path: &Path) -> Result<(Vec<u8>, std::fs::Metadata), IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    };
    let too_large = |bytes: u64| {
        io(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!(
                "file of {bytes} bytes is over the {MAX_PAGE_BYTES}-byte page limit, so it was not read"
            ),
        ))
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    if metadata.len() > MAX_PAGE_BYTES as u64 {
        return Err(too_large(metadata.len()));
    }
    let expected = usize::try_from(metadata.len()).unwrap_or(MAX_PAGE_BYTES);
    let mut body = Vec::with_capacity(expected.min(MAX_PAGE_BYTES));
    file.take(MAX_PAGE_BYTES as u64 + 1)
        .read_to_end(&mut body)
        .map_err(io)?;
    if body.len() > MAX_PAGE_BYTES {
        return Err(too_large(body.len() as u64));
    }
    Ok((body, metadata))
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

/// Where a page of `url` goes in a snapshot folder: the inverse of [`url_for`]. `None` for
/// addresses that cannot be a snapshot path (no host, or a host that is not a plain name).
pub fn path_for(dir: &Path, url: &str) -> Option<PathBuf> {
    let parsed = reqwest::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    if host.is_empty() || host.contains(['/', '\\']) || host.starts_with('.') {
        return None;
    }
    let mut path = dir.join(host);
    // `Url` has already resolved any `..`; empty segments and dot segments are skipped anyway.
    let segments: Vec<&str> = parsed
        .path_segments()?
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .collect();
    for segment in &segments {
        path.push(segment);
    }
    if parsed.path().ends_with('/') || segments.is_empty() {
        path.push("index.html");
    }
    Some(path)
}

/// Saves a fetched page into a snapshot folder at [`path_for`] its URL.
///
/// # Errors
/// A URL with no place in a snapshot, or a write that failed.
pub fn save_page(dir: &Path, url: &str, body: &[u8]) -> Result<PathBuf, IngestError> {
    let path = path_for(dir, url).ok_or_else(|| IngestError::BadInput {
        url: url.to_owned(),
        detail: "no snapshot path for this address".to_owned(),
    })?;
    let io = |source| IngestError::Io {
        path: path.clone(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(&path, body).map_err(io)?;
    Ok(path)
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

    #[test]
    fn a_file_over_the_page_limit_is_refused_by_its_size_unread() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("www.gov.scot/publications/p/index.html");
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        // Sparse: the size says 8 MiB and a byte, and no byte of it is on disk. Reading it
        // would give 8 MiB of zeros; the error below says it was refused before that.
        let file = std::fs::File::create(&path).expect("create");
        file.set_len(MAX_PAGE_BYTES as u64 + 1).expect("set_len");
        drop(file);
        let err = read_page(dir.path(), &path).err().map(|e| e.to_string());
        assert_eq!(
            err,
            Some(format!(
                "reading {}: file of 8388609 bytes is over the 8388608-byte page limit, so it was not read",
                path.display()
            ))
        );
        assert!(read_file(&path).is_err());

        // The size named is the file's, not what a read got: a read stops a byte past the
        // limit, so a gibibyte could only be known without reading.
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .expect("open");
        file.set_len(1 << 30).expect("set_len");
        drop(file);
        let err = read_file(&path).err().map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.contains("file of 1073741824 bytes")),
            "{err:?}"
        );

        // At the limit exactly, the file is read.
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .expect("open");
        file.set_len(MAX_PAGE_BYTES as u64).expect("set_len");
        drop(file);
        let page = read_page(dir.path(), &path).expect("a page at the limit is read");
        assert_eq!(page.body.len(), 8 * 1024 * 1024);
        assert_eq!(page.url, "https://www.gov.scot/publications/p/");
    }

    #[test]
    fn urls_map_back_to_wget_paths() {
        let dir = Path::new("/snap");
        let url = "https://www.gov.scot/publications/a/pages/b/";
        let path = path_for(dir, url).expect("a path");
        assert_eq!(
            path,
            Path::new("/snap/www.gov.scot/publications/a/pages/b/index.html")
        );
        assert_eq!(url_for(dir, &path), url);
        assert_eq!(
            path_for(dir, "https://www.gov.scot/a/../../etc/passwd"),
            Some(Path::new("/snap/www.gov.scot/etc/passwd").to_path_buf())
        );
        assert_eq!(path_for(dir, "not a url"), None);
    }
}
