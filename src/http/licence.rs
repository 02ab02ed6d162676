//! The attribution the Open Government Licence v3.0 asks of whoever publishes its content, as
//! every surface prints it: HTML pages ([`ATTRIBUTION`]) and the Atom feed
//! ([`ATTRIBUTION_TEXT`]), from one wording and one link.

/// The licence's page; a macro, so the constants below are built from it at compile time.
macro_rules! ogl_url {
    () => {
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    };
}

/// The licence's page.
pub const OGL_URL: &str = ogl_url!();

/// The attribution as HTML, with the licence linked.
pub const ATTRIBUTION: &str = concat!(
    "Contains public sector information licensed under the <a href=\"",
    ogl_url!(),
    "\">Open Government Licence v3.0</a>."
);

/// The attribution as plain text, with the licence's address.
pub const ATTRIBUTION_TEXT: &str = concat!(
    "Contains public sector information licensed under the Open Government Licence v3.0 (",
    ogl_url!(),
    ")."
);
