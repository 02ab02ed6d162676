//! What a page's bytes must be before they are parsed: bounded in size and nesting, UTF-8 text,
//! not empty, not binary. A hostile or broken page is refused here, with its reason, so the HTML
//! parser only ever sees text it can get through quickly.

use crate::error::IngestError;

/// Pages larger than this are refused rather than parsed: no real page comes close.
pub const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// Markup nested deeper than this is refused before parsing: the HTML parser's work grows with
/// the square of the nesting, so a hostile page of nested tags could otherwise stall a run.
/// Real pages nest a few dozen deep.
pub const MAX_MARKUP_DEPTH: usize = 2048;

const VOID_ELEMENTS: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param",
    b"source", b"track", b"wbr",
];

/// How deep the tags of a page nest, roughly: opening tags count up (void and self-closing ones
/// do not), closing tags count down. One pass, no allocation.
pub fn markup_depth(html: &[u8]) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(offset) = html[i..].iter().position(|&b| b == b'<') {
        let start = i + offset + 1;
        i = start;
        match html.get(start) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(b) if b.is_ascii_alphabetic() => {
                let name_end = html[start..]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .map_or(html.len(), |p| start + p);
                let name = html[start..name_end].to_ascii_lowercase();
                let tag_end = html[name_end..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(html.len(), |p| name_end + p);
                let self_closing = tag_end > 0 && html.get(tag_end - 1) == Some(&b'/');
                if !self_closing && !VOID_ELEMENTS.contains(&name.as_slice()) {
                    depth += 1;
                    max = max.max(depth);
                }
                i = tag_end.min(html.len());
            }
            _ => {}
        }
    }
    max
}

/// The page's text, if its bytes are fit to parse.
///
/// # Errors
/// [`IngestError::BadInput`] naming `url` and what is wrong: too large, not UTF-8, empty, binary
/// or nested too deep.
pub fn checked_text<'a>(url: &str, body: &'a [u8]) -> Result<&'a str, IngestError> {
    let bad = |detail: String| IngestError::BadInput {
        url: url.to_owned(),
        detail,
    };
    if body.len() > MAX_PAGE_BYTES {
        return Err(bad(format!(
            "page is {} bytes, over the {MAX_PAGE_BYTES}-byte limit",
            body.len()
        )));
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        bad(format!(
            "page is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    if text.trim().is_empty() {
        return Err(bad("page is empty".to_owned()));
    }
    if text.contains('\0') {
        return Err(bad("page contains NUL bytes: binary, not HTML".to_owned()));
    }
    let depth = markup_depth(body);
    if depth > MAX_MARKUP_DEPTH {
        return Err(bad(format!(
            "markup nests {depth} deep, over the {MAX_MARKUP_DEPTH} limit"
        )));
    }
    Ok(text)
}
