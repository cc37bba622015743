//! A small Wadler-style document algebra and its renderer. A [`Doc`] says
//! where a line may break; a group is printed on one line when it fits in
//! the width and broken at every one of its own line breaks otherwise.
//!
//! Line breaks are idempotent: a break at the start of a line only sets the
//! line's indentation. Comments rely on this: a comment can always end its
//! line without caring whether the layout breaks right after it anyway.
//! Indentation is written lazily (with the first text of a line), so no line
//! ends in white space.

#[derive(Clone, Debug)]
pub enum Doc {
    /// Text without line breaks (a multi-line block comment is the only
    /// exception; it forces its groups to break).
    Text(String),
    /// One space, dropped at the start of a line and after another space.
    Space,
    /// A space when the group is flat, a line break when it is broken.
    Line,
    /// Nothing when the group is flat, a line break when it is broken.
    SoftLine,
    /// Always a line break; the groups around it break.
    HardLine,
    /// A line break leaving one empty line (never more, never after an
    /// opening bracket); the groups around it break.
    BlankLine,
    /// Text printed only when the group is broken (a trailing comma).
    IfBreak(&'static str),
    /// Text printed only when the group is flat (the comma between the
    /// fields of a block on one line).
    IfFlat(&'static str),
    /// Its content one level deeper.
    Nest(Vec<Doc>),
    Group {
        breaks: bool,
        docs: Vec<Doc>,
    },
    Concat(Vec<Doc>),
}

pub fn text(s: impl Into<String>) -> Doc {
    Doc::Text(s.into())
}

pub fn concat(docs: Vec<Doc>) -> Doc {
    Doc::Concat(docs)
}

pub fn nest(docs: Vec<Doc>) -> Doc {
    Doc::Nest(docs)
}

/// A group; it must break when something inside it forces a break.
pub fn group(docs: Vec<Doc>) -> Doc {
    let breaks = docs.iter().any(Doc::forces_break);
    Doc::Group { breaks, docs }
}

impl Doc {
    fn forces_break(&self) -> bool {
        match self {
            Doc::HardLine | Doc::BlankLine => true,
            Doc::Text(t) => t.contains('\n'),
            Doc::Group { breaks, .. } => *breaks,
            Doc::Nest(docs) | Doc::Concat(docs) => docs.iter().any(Doc::forces_break),
            Doc::Space | Doc::Line | Doc::SoftLine | Doc::IfBreak(_) | Doc::IfFlat(_) => false,
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Flat,
    Break,
}

/// Renders `doc` in `width` columns, indenting by `indent` spaces a level.
/// The result ends with exactly one line break (none when empty).
pub fn render(doc: &Doc, width: usize, indent: usize) -> String {
    let mut out = Output { text: String::new(), pending: 0, pending_indent: 0, after_open: false, indent };
    let mut stack: Vec<(usize, Mode, &Doc)> = vec![(0, Mode::Break, doc)];
    while let Some((level, mode, doc)) = stack.pop() {
        match doc {
            Doc::Text(t) => out.write(t),
            Doc::Space => out.space(),
            Doc::Line if mode == Mode::Flat => out.space(),
            Doc::SoftLine if mode == Mode::Flat => {}
            Doc::Line | Doc::SoftLine | Doc::HardLine => out.newline(level),
            Doc::BlankLine => out.blank_line(level),
            Doc::IfBreak(t) => {
                if mode == Mode::Break {
                    out.write(t)
                }
            }
            Doc::IfFlat(t) => {
                if mode == Mode::Flat {
                    out.write(t)
                }
            }
            Doc::Nest(docs) => stack.extend(docs.iter().rev().map(|d| (level + 1, mode, d))),
            Doc::Concat(docs) => stack.extend(docs.iter().rev().map(|d| (level, mode, d))),
            Doc::Group { breaks, docs } => {
                let flat =
                    mode == Mode::Flat || (!breaks && fits(docs, &stack, width.saturating_sub(out.column()) as isize));
                let mode = if flat { Mode::Flat } else { Mode::Break };
                stack.extend(docs.iter().rev().map(|d| (level, mode, d)));
            }
        }
    }
    let end = out.text.trim_end_matches([' ', '\t']).len();
    out.text.truncate(end);
    if !out.text.is_empty() {
        out.text.push('\n');
    }
    out.text
}

/// Whether `docs`, flat, and what follows them up to the next line break
/// fit in `room` columns.
fn fits(docs: &[Doc], rest: &[(usize, Mode, &Doc)], mut room: isize) -> bool {
    let mut todo: Vec<(Mode, &Doc)> = docs.iter().rev().map(|d| (Mode::Flat, d)).collect();
    let mut rest = rest.iter().rev();
    loop {
        let (mode, doc) = match todo.pop() {
            Some(next) => next,
            None => match rest.next() {
                Some(&(_, mode, doc)) => (mode, doc),
                None => return true,
            },
        };
        match doc {
            Doc::Text(t) => room -= t.lines().next().map_or(0, |l| l.chars().count()) as isize,
            Doc::Space => room -= 1,
            Doc::Line | Doc::SoftLine if mode == Mode::Flat => room -= matches!(doc, Doc::Line) as isize,
            Doc::Line | Doc::SoftLine | Doc::HardLine | Doc::BlankLine => return true,
            Doc::IfBreak(t) => {
                if mode == Mode::Break {
                    room -= t.len() as isize
                }
            }
            Doc::IfFlat(t) => {
                if mode == Mode::Flat {
                    room -= t.len() as isize
                }
            }
            Doc::Nest(docs) | Doc::Concat(docs) => todo.extend(docs.iter().rev().map(|d| (mode, d))),
            Doc::Group { breaks, docs } => {
                let mode = if *breaks { Mode::Break } else { mode };
                todo.extend(docs.iter().rev().map(|d| (mode, d)));
            }
        }
        if room < 0 {
            return false;
        }
    }
}

struct Output {
    text: String,
    /// Line breaks owed before the next text (0, 1, or 2 for an empty line).
    pending: usize,
    pending_indent: usize,
    /// The last text written opens a bracket: no empty line may follow.
    after_open: bool,
    indent: usize,
}

impl Output {
    fn write(&mut self, t: &str) {
        if t.is_empty() {
            return;
        }
        if self.pending > 0 {
            let trimmed = self.text.trim_end_matches([' ', '\t']).len();
            self.text.truncate(trimmed);
            for _ in 0..self.pending {
                self.text.push('\n');
            }
            self.text.extend(std::iter::repeat_n(' ', self.pending_indent * self.indent));
            self.pending = 0;
        }
        self.text.push_str(t);
        self.after_open = matches!(t, "{" | "[" | "(");
    }

    fn space(&mut self) {
        let at_line_start = self.pending > 0 || self.text.is_empty() || self.text.ends_with('\n');
        if !at_line_start && !self.text.ends_with(' ') {
            self.text.push(' ');
        }
    }

    fn newline(&mut self, level: usize) {
        if !self.text.is_empty() {
            self.pending = self.pending.max(1);
            self.pending_indent = level;
        }
    }

    fn blank_line(&mut self, level: usize) {
        self.newline(level);
        if !self.text.is_empty() && !self.after_open {
            self.pending = 2;
        }
    }

    fn column(&self) -> usize {
        if self.pending > 0 {
            self.pending_indent * self.indent
        } else {
            self.text.rsplit('\n').next().map_or(0, |l| l.chars().count())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> Doc {
        let mut inner = vec![Doc::SoftLine];
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                inner.push(text(","));
                inner.push(Doc::Line);
            }
            inner.push(text(*item));
        }
        inner.push(Doc::IfBreak(","));
        group(vec![text("["), nest(inner), Doc::SoftLine, text("]")])
    }

    #[test]
    fn a_group_stays_flat_when_it_fits() {
        assert_eq!(render(&list(&["a", "b"]), 20, 2), "[a, b]\n");
    }

    #[test]
    fn a_group_breaks_one_item_a_line_with_a_trailing_comma() {
        assert_eq!(render(&list(&["alpha", "beta", "gamma"]), 12, 2), "[\n  alpha,\n  beta,\n  gamma,\n]\n");
    }

    #[test]
    fn a_hard_line_breaks_its_groups() {
        let doc = group(vec![text("a"), Doc::Line, text("// c"), Doc::HardLine, text("b")]);
        assert_eq!(render(&doc, 80, 2), "a\n// c\nb\n");
    }

    #[test]
    fn line_breaks_at_a_line_start_collapse_and_blank_lines_stay_single() {
        let doc = concat(vec![
            text("{"),
            Doc::BlankLine,
            nest(vec![Doc::HardLine, Doc::HardLine, text("x"), Doc::BlankLine, Doc::BlankLine, text("y")]),
            Doc::HardLine,
            text("}"),
        ]);
        assert_eq!(render(&doc, 80, 2), "{\n  x\n\n  y\n}\n");
    }

    #[test]
    fn spaces_collapse_and_vanish_at_line_starts() {
        let doc = concat(vec![text("a"), Doc::Space, Doc::Space, text("b"), Doc::HardLine, Doc::Space, text("c")]);
        assert_eq!(render(&doc, 80, 2), "a b\nc\n");
    }
}
