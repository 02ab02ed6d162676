//! Synthetic corpora in the real page templates: commitment overviews, progress reports,
//! delivery plans, strategy pages and development pages, made from the bundled snapshot by
//! changing what differs between publications (addresses, titles, numbers, dates, topics and
//! partners).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

const SLUG2: &str = "open-government-action-plan-2021-to-2025-commitment-2-health-and-social-care";
const PLAN: &str = "care-digital-age-delivery-plan-2023-24";
const STRATEGY: &str = "scotlands-digital-health-care-strategy-enabling-connecting-empowering";
const DEV: &str = "the-person-centred-ehealth-strategy-and-delivery-plan-stage-one";

pub struct Templates {
    overview: String,
    report: String,
    plan: String,
    strategy: String,
    dev: String,
}

pub fn read(path: PathBuf) -> Result<String> {
    std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
}

impl Templates {
    pub fn load() -> Result<Self> {
        let snap = ingest::bundled_snapshot();
        let gov = snap.join("www.gov.scot/publications");
        Ok(Self {
            overview: read(gov.join(SLUG2).join("index.html"))?,
            report: read(
                gov.join(SLUG2)
                    .join("pages/progress-to-august-2022/index.html"),
            )?,
            plan: read(gov.join(PLAN).join("index.html"))?,
            strategy: read(gov.join(STRATEGY).join("pages/5/index.html"))?,
            dev: read(
                snap.join("www.ehealth.nhs.scot/strategies")
                    .join(DEV)
                    .join("index.html"),
            )?,
        })
    }
}

fn write(root: &Path, rel: &str, body: &str) -> Result<()> {
    let path = root.join(rel).join("index.html");
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&path, body).with_context(|| format!("writing {}", path.display()))
}

/// Writes `pages` pages in the real templates: each group of five is a commitment overview,
/// its progress report, a delivery plan, a strategy page and a development page, all with
/// their own addresses, titles and numbers.
pub fn generate(t: &Templates, root: &Path, pages: usize) -> Result<()> {
    for i in 0..pages {
        let n = i / 5 + 3;
        let slug = format!("open-government-action-plan-2021-to-2025-commitment-{n}-synthetic-{n}");
        // Each commitment's dates move by up to seven years, so timelines spread as a real
        // archive's would instead of stacking every commitment on the same days.
        let years = n % 8;
        // And each is about its own topic, with its own partners, so a phrase like "civil
        // society group" is as rare in a large corpus as in a real archive, not on every page.
        let topic = TOPICS[n % TOPICS.len()];
        let partners = PARTNERS[(n / TOPICS.len()) % PARTNERS.len()];
        let as_commitment = |html: &str| {
            let html = shift_years(&html.replace(SLUG2, "\u{1}"), years)
                .replace('\u{1}', &slug)
                .replace(
                    "commitment 2: health and social care",
                    &format!("commitment {n}: {topic} {n}"),
                );
            respell(
                &respell(&html, "health and social care", topic),
                "civil society",
                partners,
            )
        };
        match i % 5 {
            0 => write(
                root,
                &format!("www.gov.scot/publications/{slug}"),
                &as_commitment(&t.overview),
            )?,
            1 => write(
                root,
                &format!("www.gov.scot/publications/{slug}/pages/progress-to-august-2022"),
                &as_commitment(&t.report),
            )?,
            2 => {
                let plan = format!("{PLAN}-{n}");
                let body = shift_years(&t.plan.replace(PLAN, "\u{1}"), years)
                    .replace('\u{1}', &plan)
                    .replace(
                        "Scotland’s Digital Health and Care Strategy",
                        &format!("Scotland’s Digital Health and Care Strategy {n}"),
                    );
                write(root, &format!("www.gov.scot/publications/{plan}"), &body)?;
            }
            3 => {
                let s = format!("{STRATEGY}-{n}");
                let body = t.strategy.replace(STRATEGY, &s).replace(
                    "enabling, connecting and empowering",
                    &format!("enabling, connecting and empowering {n}"),
                );
                write(
                    root,
                    &format!("www.gov.scot/publications/{s}/pages/5"),
                    &body,
                )?;
            }
            _ => {
                let d = format!("{DEV}-{n}");
                let body = t
                    .dev
                    .replace(DEV, &d)
                    .replace("Strategy 2017-22", &format!("Strategy 2017-22 edition {n}"));
                write(root, &format!("www.ehealth.nhs.scot/strategies/{d}"), &body)?;
            }
        }
    }
    Ok(())
}

/// What synthetic commitments are about (the first is the real one's).
const TOPICS: [&str; 30] = [
    "health and social care",
    "financial transparency",
    "climate change",
    "justice",
    "education",
    "housing",
    "transport",
    "digital public services",
    "procurement",
    "local democracy",
    "land reform",
    "fisheries",
    "public health",
    "policing",
    "fair work",
    "social security",
    "culture",
    "tourism",
    "energy",
    "water",
    "agriculture",
    "planning",
    "data sharing",
    "open contracting",
    "participatory budgeting",
    "child poverty",
    "mental health",
    "immigration",
    "equalities",
    "community empowerment",
];

/// Who synthetic commitments work with (the first is the real one's).
const PARTNERS: [&str; 20] = [
    "civil society",
    "third sector",
    "community councils",
    "young people",
    "disabled people",
    "unpaid carers",
    "local authorities",
    "trade unions",
    "faith communities",
    "older people",
    "rural communities",
    "island communities",
    "service users",
    "patient forums",
    "housing associations",
    "social enterprises",
    "universities",
    "employers",
    "veterans",
    "volunteers",
];

/// The page with `phrase` replaced by `with` in lower case, at the start of a sentence and in
/// a title ("health and social care", "Health and social care", "Health and Social Care").
fn respell(html: &str, phrase: &str, with: &str) -> String {
    fn upper_first(s: &str) -> String {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    }
    fn title(s: &str) -> String {
        s.split(' ')
            .map(|w| {
                if w.len() > 3 {
                    upper_first(w)
                } else {
                    w.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
    html.replace(phrase, with)
        .replace(&upper_first(phrase), &upper_first(with))
        .replace(&title(phrase), &title(with))
}

/// The page with every year from 2000 to 2039 moved `by` years later (latest first, so no year
/// is moved twice).
fn shift_years(html: &str, by: usize) -> String {
    let mut out = html.to_owned();
    if by == 0 {
        return out;
    }
    for year in (2000..2040).rev() {
        out = out.replace(&year.to_string(), &(year + by).to_string());
    }
    out
}
