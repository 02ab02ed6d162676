//! The reader that walks a report's blocks in order, one update at a time: which block starts a
//! milestone, which describes its activity, which is the update, its next steps and its status.

use super::UpdateFacts;
use super::label::{Label, Labelled};
use crate::kind::delivery_status;
use crate::page::Block;

/// Where a milestone was printed: in a label standing alone (a heading, a bold line), at its
/// depth in the page's outline, or in running text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Carrier {
    Label(u8),
    Text,
}

/// What the next text block is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    /// Before any milestone: a sentence starts one.
    Outside,
    /// The milestone's lines: the first is the milestone, the rest its activity.
    Describe,
    /// Activity lines.
    Activity,
    /// The update.
    Update,
    /// The next steps.
    NextSteps,
    /// The value of a "Status" label.
    Status,
    /// A status ended the update: a sentence starts the next milestone.
    Done,
}

/// An update being read.
struct Draft {
    facts: UpdateFacts,
    carrier: Carrier,
    /// Started by a milestone label, so later milestone-side labels describe the same block.
    labelled: bool,
    next_steps: String,
}

impl Draft {
    fn new(carrier: Carrier, labelled: bool, anchor: Option<String>) -> Self {
        Self {
            facts: UpdateFacts {
                anchor,
                ..UpdateFacts::default()
            },
            carrier,
            labelled,
            next_steps: String::new(),
        }
    }

    fn has_update(&self) -> bool {
        !self.facts.text.is_empty()
            || !self.next_steps.is_empty()
            || self.facts.status_text.is_some()
    }
}

fn push_line(target: &mut String, line: &str) {
    if !target.is_empty() {
        target.push('\n');
    }
    target.push_str(line);
}

/// Takes a trailing status sentence off the last line of `text`.
fn take_trailing_status(text: &mut String) -> Option<String> {
    let start = text.rfind('\n').map_or(0, |i| i + 1);
    let (head, tail) = delivery_status::split_trailing(&text[start..])?;
    let (head, tail) = (head.to_owned(), tail.to_owned());
    text.replace_range(start.., &head);
    Some(tail)
}

/// Reads the blocks in order, one draft at a time.
pub(super) struct Reader<'a> {
    url: &'a str,
    updates: Vec<UpdateFacts>,
    current: Option<Draft>,
    /// What the next text block is.
    pub(super) mode: Mode,
    warnings: Vec<String>,
}

impl<'a> Reader<'a> {
    /// A reader of the report at `url`, before its first block.
    pub(super) fn new(url: &'a str) -> Self {
        Self {
            url,
            updates: Vec::new(),
            current: None,
            mode: Mode::Outside,
            warnings: Vec::new(),
        }
    }

    /// The updates read, in page order, and warnings about statuses it did not know.
    pub(super) fn finish(mut self) -> (Vec<UpdateFacts>, Vec<String>) {
        self.flush();
        (self.updates, self.warnings)
    }

    fn has_update(&self) -> bool {
        self.current.as_ref().is_some_and(Draft::has_update)
    }

    pub(super) fn flush(&mut self) {
        let Some(mut d) = self.current.take() else {
            return;
        };
        if d.facts.status_text.is_none() {
            let trailing = if d.next_steps.is_empty() {
                take_trailing_status(&mut d.facts.text)
            } else {
                take_trailing_status(&mut d.next_steps)
            };
            if let Some(t) = trailing {
                self.set_status(&mut d, &t);
            }
        }
        if !d.has_update() {
            return;
        }
        d.facts.next_steps = (!d.next_steps.is_empty()).then_some(d.next_steps);
        self.updates.push(d.facts);
    }

    fn set_status(&mut self, d: &mut Draft, printed: &str) {
        let printed = printed.trim();
        d.facts.status = delivery_status::normalise(printed);
        if d.facts.status.is_none() {
            self.warnings.push(format!(
                "{}: unrecognised status {printed:?} of milestone {:?}; kept as printed",
                self.url, d.facts.milestone_heading
            ));
        }
        d.facts.status_text = Some(printed.to_owned());
    }

    fn status(&mut self, printed: &str) {
        if let Some(mut d) = self.current.take() {
            self.set_status(&mut d, printed);
            self.current = Some(d);
        }
        self.mode = Mode::Done;
    }

    fn start(&mut self, draft: Draft) {
        self.flush();
        self.current = Some(draft);
    }

    /// Starts an update on another activity of the current milestone.
    fn next_activity(&mut self, anchor: Option<String>) {
        let (heading, carrier, labelled) = self.current.as_ref().map_or_else(
            || (String::new(), Carrier::Text, false),
            |d| (d.facts.milestone_heading.clone(), d.carrier, d.labelled),
        );
        let mut draft = Draft::new(carrier, labelled, anchor);
        draft.facts.milestone_heading = heading;
        self.start(draft);
    }

    fn ensure(&mut self, anchor: Option<String>) -> &mut Draft {
        self.current
            .get_or_insert_with(|| Draft::new(Carrier::Text, false, anchor))
    }

    /// A milestone-side line: the milestone if there is none yet, else an activity line.
    fn describe(&mut self, line: &str, anchor: Option<String>) {
        let d = self.ensure(anchor);
        if d.facts.milestone_heading.is_empty() {
            // A milestone leading into its activities may end in a colon; it is no part of it.
            let line = line.trim_end();
            d.facts.milestone_heading = line.strip_suffix(':').unwrap_or(line).to_owned();
        } else {
            push_line(&mut d.facts.activity, line);
        }
    }

    pub(super) fn label(
        &mut self,
        block: &Block,
        carrier: Carrier,
        Labelled { label, rest }: Labelled,
    ) {
        let anchor = block.anchor.clone();
        let rest = rest.as_deref();
        match label {
            Label::Milestone => {
                let same_block = self
                    .current
                    .as_ref()
                    .is_some_and(|d| d.labelled && !d.has_update());
                if !same_block {
                    self.start(Draft::new(carrier, true, anchor.clone()));
                }
                self.mode = Mode::Describe;
                if let Some(rest) = rest {
                    self.describe(rest, anchor);
                }
            }
            Label::Activity => {
                if self.current.is_none() || self.has_update() {
                    self.next_activity(anchor.clone());
                }
                self.mode = Mode::Activity;
                if let Some(rest) = rest {
                    push_line(&mut self.ensure(anchor).facts.activity, rest);
                }
            }
            Label::Update => {
                self.mode = Mode::Update;
                let d = self.ensure(anchor);
                if let Some(rest) = rest {
                    push_line(&mut d.facts.text, rest);
                }
            }
            Label::NextSteps => {
                self.mode = Mode::NextSteps;
                let d = self.ensure(anchor);
                if let Some(rest) = rest {
                    push_line(&mut d.next_steps, rest);
                }
            }
            Label::Status => {
                self.ensure(anchor);
                match rest {
                    Some(rest) => self.status(rest),
                    None => self.mode = Mode::Status,
                }
            }
        }
    }

    /// A heading or a bold line that is no label: a milestone, or an activity's title.
    pub(super) fn title(&mut self, block: &Block, carrier: Carrier) {
        let anchor = block.anchor.clone();
        let finished = self.has_update() || self.mode == Mode::Done;
        match &self.current {
            None => {
                self.start(Draft::new(carrier, false, anchor.clone()));
                self.describe(&block.text, anchor);
                self.mode = Mode::Describe;
            }
            Some(d) if finished => {
                // A label as high as the milestone's starts the next milestone; a lower one,
                // or a title line under a milestone printed as text, names its next activity.
                let next_milestone = match (d.carrier, carrier) {
                    (Carrier::Label(m), Carrier::Label(l)) => l <= m,
                    _ => false,
                };
                if next_milestone {
                    self.start(Draft::new(carrier, false, anchor.clone()));
                    self.describe(&block.text, anchor);
                    self.mode = Mode::Describe;
                } else {
                    self.next_activity(anchor.clone());
                    push_line(&mut self.ensure(anchor).facts.activity, &block.text);
                    self.mode = Mode::Activity;
                }
            }
            Some(_) if self.mode == Mode::Describe => self.describe(&block.text, anchor),
            Some(_) => push_line(&mut self.ensure(anchor).facts.activity, &block.text),
        }
    }

    pub(super) fn text(&mut self, block: &Block) {
        let (text, anchor) = (block.text.as_str(), block.anchor.clone());
        match self.mode {
            Mode::Outside | Mode::Done => {
                self.start(Draft::new(Carrier::Text, false, anchor.clone()));
                self.describe(text, anchor);
                self.mode = Mode::Describe;
            }
            Mode::Describe => self.describe(text, anchor),
            Mode::Activity => push_line(&mut self.ensure(anchor).facts.activity, text),
            Mode::Status => self.status(text),
            Mode::Update | Mode::NextSteps if delivery_status::is_bare(text) => self.status(text),
            Mode::Update | Mode::NextSteps
                if self
                    .current
                    .as_ref()
                    .is_some_and(|d| d.facts.milestone_heading == text) =>
            {
                // The same milestone again: its next activity follows.
                self.start(Draft::new(Carrier::Text, false, anchor.clone()));
                self.describe(text, anchor);
                self.mode = Mode::Describe;
            }
            Mode::Update => push_line(&mut self.ensure(anchor).facts.text, text),
            Mode::NextSteps => push_line(&mut self.ensure(anchor).next_steps, text),
        }
    }
}
