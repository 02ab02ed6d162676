//! The Content-Security-Policy of the HTML pages (GraphiQL and the dashboard): a page may load
//! scripts, styles, images and fonts from this server only, and run no inline script or style
//! but its own, named by their SHA-256 digests. Text that a web page put into a title cannot
//! run, even were it to get past escaping.
//!
//! A page's policy is built once, from the inline code it carries ([`Policy::new`]), and sent
//! with every answer of that page ([`Policy::header`]).

use axum::http::HeaderValue;
use axum::http::header::CONTENT_SECURITY_POLICY;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// One page's policy.
#[derive(Clone, Debug)]
pub struct Policy(HeaderValue);

impl Policy {
    /// The policy of a page whose inline `<script>` and `<style>` elements hold exactly
    /// `scripts` and `styles`: everything else it loads comes from this server (`'self'`),
    /// it connects only to this server, posts forms only here and cannot be framed.
    pub fn new(scripts: &[&str], styles: &[&str]) -> Self {
        let sources = |inline: &[&str]| {
            let mut list = String::from("'self'");
            for code in inline {
                list.push_str(" 'sha256-");
                list.push_str(&STANDARD.encode(Sha256::digest(code.as_bytes())));
                list.push('\'');
            }
            list
        };
        let policy = format!(
            "default-src 'none'; script-src {}; style-src {}; img-src 'self' data:; \
             font-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; \
             frame-ancestors 'none'",
            sources(scripts),
            sources(styles)
        );
        // Built from fixed text and base64 digits only, so always a valid header value.
        Self(
            HeaderValue::from_str(&policy)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'")),
        )
    }

    /// Sets the policy on a page's answer.
    pub fn apply(&self, response: &mut Response) {
        response
            .headers_mut()
            .insert(CONTENT_SECURITY_POLICY, self.0.clone());
    }

    /// The header's text, for tests and logs.
    pub fn text(&self) -> &str {
        self.0.to_str().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_code_is_allowed_by_its_digest_and_nothing_else_is_inline() {
        // The digest of "alert(1)" as `openssl dgst -sha256 -binary | base64` gives it.
        let policy = Policy::new(&["alert(1)"], &[]);
        assert!(
            policy.text().contains(
                "script-src 'self' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
            ),
            "{}",
            policy.text()
        );
        assert!(policy.text().contains("style-src 'self';"));
        assert!(!policy.text().contains("unsafe-inline"));
        assert!(policy.text().starts_with("default-src 'none';"));
    }
}
