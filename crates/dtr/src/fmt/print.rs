//! AST → [`Doc`]. The printer emits the file's tokens in source order (so it
//! never reorders anything); literals are printed as written, read back
//! from their spans; the [`Cursor`] supplies the comments between tokens.

use super::comments::{Cursor, Found, normalized};
use super::doc::{Doc, concat, group, nest, text};
use crate::source::Span;
use crate::syntax::ast::*;

/// The document of `file`, whose source is `source`; `None` when the printer
/// and the source disagree on a token (a printer bug: nothing is written).
pub fn file(source: &str, file: &File) -> Option<Doc> {
    let mut p = Printer { source, cursor: Cursor::new(source, &file.comments), in_step: true };
    let mut docs = Vec::new();
    for item in &file.items {
        docs.push(Doc::HardLine);
        docs.push(p.line_start());
        docs.push(p.item(item));
        docs.extend(p.trailing());
    }
    docs.extend(p.leading());
    (p.in_step && p.cursor.at_end()).then(|| concat(docs))
}

struct Printer<'s> {
    source: &'s str,
    cursor: Cursor<'s>,
    /// Every token so far matched the source.
    in_step: bool,
}

/// Lays out one comment; `own_line` comments keep their line (and the empty
/// line above them), line comments end theirs.
fn comment(found: Found) -> Doc {
    let mut docs = Vec::new();
    docs.push(match (found.own_line, found.blank_before) {
        (true, true) => Doc::BlankLine,
        (true, false) => Doc::HardLine,
        (false, _) => Doc::Space,
    });
    let line_comment = found.kind != CommentKind::Block;
    docs.push(text(normalized(&found.kind, found.text)));
    docs.push(if line_comment || (found.own_line && found.newline_after) { Doc::HardLine } else { Doc::Space });
    concat(docs)
}

/// A group preceded by the comments before its first token: kept outside,
/// they cannot break it (a comment that starts a line would otherwise break
/// the group it leads, and formatting would not be idempotent).
fn outside(lead: Vec<Doc>, docs: Vec<Doc>) -> Doc {
    concat(vec![concat(lead), group(docs)])
}

impl Printer<'_> {
    // ------------------------------------------------------------ tokens and comments

    /// The comments before the next token.
    fn leading(&mut self) -> Vec<Doc> {
        self.cursor.leading().into_iter().map(comment).collect()
    }

    /// The comments ending the current line.
    fn trailing(&mut self) -> Vec<Doc> {
        self.cursor.trailing().into_iter().map(comment).collect()
    }

    /// What comes before a declaration, field or opening that starts a
    /// line: its comments, and the empty line above it if there was one.
    fn line_start(&mut self) -> Doc {
        let mut docs = self.leading();
        if self.cursor.blank_before_token() {
            docs.push(Doc::BlankLine);
        }
        concat(docs)
    }

    /// The next token, which reads `expected`, with the comments before it.
    fn tok(&mut self, expected: &str) -> Doc {
        let mut docs = self.leading();
        self.in_step &= self.cursor.token(expected);
        docs.push(text(expected));
        concat(docs)
    }

    /// A literal as written.
    fn lit(&mut self, span: Span) -> Doc {
        let source = self.source;
        match source.get(span.range()) {
            Some(written) => self.tok(written),
            None => {
                self.in_step = false;
                concat(Vec::new())
            }
        }
    }

    /// A name: as written, like a literal.
    fn ident(&mut self, ident: &Ident) -> Doc {
        self.lit(ident.span)
    }

    /// `key:` and the space after it.
    fn key(&mut self, key: &str) -> Doc {
        concat(vec![self.tok(key), self.tok(":"), Doc::Space])
    }

    fn label(&mut self, label: Option<&Str>) -> Doc {
        match label {
            Some(s) => concat(vec![Doc::Space, self.lit(s.span)]),
            None => concat(Vec::new()),
        }
    }

    // ------------------------------------------------------------ blocks and lists

    /// `{ … }` with one field a line (`{}` when empty). A block written on
    /// one line, without comments, stays on one line when it fits, its
    /// fields separated by commas (`{ region: baltic, resolve: 90% }`): a
    /// short declaration keeps the shape its author gave it, and one broken
    /// over lines (or too long) stays broken, so formatting is idempotent.
    fn block<T>(&mut self, fields: &[T], mut each: impl FnMut(&mut Self, &T) -> Doc) -> Doc {
        let open = self.tok("{");
        let start = self.cursor.mark();
        let mut inner = self.trailing();
        let mut flat = Vec::new();
        for (i, field) in fields.iter().enumerate() {
            let lead = self.line_start();
            let field = each(self, field);
            // On one line there is no comment: `lead` and the trailing
            // comments are empty, so both layouts hold the same field.
            if i > 0 {
                flat.push(Doc::IfFlat(","));
            }
            flat.extend([Doc::Line, field.clone()]);
            inner.extend([Doc::HardLine, lead, field]);
            inner.extend(self.trailing());
        }
        inner.extend(self.leading());
        let empty = inner.is_empty();
        let close = self.tok("}");
        if empty {
            concat(vec![open, close])
        } else if self.cursor.one_line_between(start, self.cursor.mark()) {
            group(vec![open, nest(flat), Doc::Line, close])
        } else {
            concat(vec![open, nest(inner), Doc::HardLine, close])
        }
    }

    /// `[a, b]` or `{ a: 1, b: 2 }` (`padded`) on one line when it fits,
    /// else one item a line with a trailing comma.
    fn seq<T>(
        &mut self,
        open: &str,
        close: &str,
        padded: bool,
        items: &[T],
        mut each: impl FnMut(&mut Self, &T) -> Doc,
    ) -> Doc {
        let pad = if padded { Doc::Line } else { Doc::SoftLine };
        let lead = self.leading();
        let open = self.tok(open);
        let mut inner = self.trailing();
        for (i, item) in items.iter().enumerate() {
            inner.push(if i == 0 { pad.clone() } else { Doc::Line });
            inner.push(each(self, item));
            inner.push(if i + 1 == items.len() { Doc::IfBreak(",") } else { text(",") });
            inner.extend(self.trailing());
        }
        inner.extend(self.leading());
        let empty = inner.is_empty();
        let close = self.tok(close);
        if empty { concat(vec![concat(lead), open, close]) } else { outside(lead, vec![open, nest(inner), pad, close]) }
    }

    fn names(&mut self, names: &Names) -> Doc {
        if names.bracketed {
            self.seq("[", "]", false, &names.items, Self::ident)
        } else {
            concat(names.items.iter().map(|i| self.ident(i)).collect())
        }
    }

    // ------------------------------------------------------------ declarations

    fn item(&mut self, item: &Item) -> Doc {
        match &item.kind {
            ItemKind::Import(path) => concat(vec![self.tok("import"), Doc::Space, self.lit(path.span)]),
            ItemKind::Settings(fields) => {
                concat(vec![self.tok("settings"), Doc::Space, self.block(fields, Self::setting)])
            }
            ItemKind::Domain(d) => {
                concat(vec![self.tok("domain"), Doc::Space, self.ident(&d.name), self.label(d.label.as_ref())])
            }
            ItemKind::Region(r) => {
                let mut docs = vec![self.tok("region"), Doc::Space, self.ident(&r.name), self.label(r.label.as_ref())];
                if let Some(body) = &r.body {
                    docs.push(Doc::Space);
                    docs.push(self.block(body, |p, f| concat(vec![p.key("contains"), p.names(&f.value)])));
                }
                concat(docs)
            }
            ItemKind::Actor(a) => {
                let mut docs = vec![self.tok("actor"), Doc::Space, self.ident(&a.name), self.label(a.label())];
                if let Some(body) = a.body() {
                    docs.push(Doc::Space);
                    docs.push(self.block(body, Self::actor_field));
                }
                concat(docs)
            }
            ItemKind::Alliance(a) => concat(vec![
                self.tok("alliance"),
                Doc::Space,
                self.ident(&a.name),
                self.label(a.label.as_ref()),
                Doc::Space,
                self.block(&a.items, Self::alliance_field),
            ]),
            ItemKind::Commitment(c) => concat(vec![
                self.tok("commitment"),
                Doc::Space,
                self.ident(&c.name),
                self.tok(":"),
                Doc::Space,
                self.ident(&c.actor),
                Doc::Space,
                self.tok(c.kind.keyword()),
                Doc::Space,
                self.ident(&c.target),
                self.terms(&c.terms),
            ]),
            ItemKind::Threat(t) => {
                let mut docs = vec![
                    self.tok("threat"),
                    Doc::Space,
                    self.ident(&t.aggressor),
                    Doc::Space,
                    self.tok("->"),
                    Doc::Space,
                    self.names(&t.targets),
                ];
                if let Some(body) = &t.body {
                    docs.push(Doc::Space);
                    docs.push(self.block(body, |p, f| concat(vec![p.key("domains"), p.names(&f.value)])));
                }
                concat(docs)
            }
            ItemKind::Scenario(s) => concat(vec![
                self.tok("scenario"),
                Doc::Space,
                self.ident(&s.name),
                self.label(s.label.as_ref()),
                Doc::Space,
                self.block(&s.openings, Self::opening),
            ]),
            ItemKind::Expect(e) => concat(vec![self.tok("expect"), Doc::Space, self.expect(e)]),
        }
    }

    fn setting(&mut self, field: &SettingsField) -> Doc {
        let key = self.key(field.value.key());
        let value = match &field.value {
            Setting::Year(t) | Setting::Date(t) => self.lit(t.span),
            Setting::Ladder(names) => self.names(names),
            Setting::DeterrenceRatio(n) | Setting::Samples(n) | Setting::Seed(n) => self.lit(n.span),
            Setting::CredibilityFloor(p) => self.lit(p.span),
            Setting::Opening(rung) => self.ident(rung),
            Setting::Substitution(list) => self.seq("[", "]", false, list, |p, s| {
                let from = p.ident(&s.from);
                let arrow = p.tok("->");
                let to = p.ident(&s.to);
                let factor = p.lit(s.factor.span);
                concat(vec![from, Doc::Space, arrow, Doc::Space, to, Doc::Space, factor])
            }),
        };
        concat(vec![key, value])
    }

    fn actor_field(&mut self, field: &Field<ActorField>) -> Doc {
        match &field.value {
            ActorField::Region(r) => concat(vec![self.key("region"), self.ident(r)]),
            ActorField::Resolve(p) => concat(vec![self.key("resolve"), self.lit(p.span)]),
            ActorField::Capability(entries) => concat(vec![
                self.tok("capability"),
                Doc::Space,
                self.seq("{", "}", true, entries, |p, e| {
                    concat(vec![p.ident(&e.domain), p.tok(":"), Doc::Space, p.lit(e.value.span)])
                }),
            ]),
        }
    }

    fn alliance_field(&mut self, field: &Field<AllianceField>) -> Doc {
        match &field.value {
            AllianceField::Members(names) => concat(vec![self.key("members"), self.names(names)]),
            AllianceField::Since(t) => concat(vec![self.key("since"), self.lit(t.span)]),
            AllianceField::Until(t) => concat(vec![self.key("until"), self.lit(t.span)]),
            AllianceField::Interoperability(p) => concat(vec![self.key("interoperability"), self.lit(p.span)]),
            AllianceField::Obligation(o) => concat(vec![
                self.tok("obligation"),
                Doc::Space,
                self.ident(&o.name),
                Doc::Space,
                self.tok(o.kind.keyword()),
                self.terms(&o.terms),
            ]),
        }
    }

    fn terms(&mut self, terms: &Option<Vec<Field<Term>>>) -> Doc {
        match terms {
            Some(terms) => concat(vec![Doc::Space, self.block(terms, Self::term)]),
            None => concat(Vec::new()),
        }
    }

    fn term(&mut self, field: &Field<Term>) -> Doc {
        let key = self.key(field.value.key());
        let value = match &field.value {
            // Broken conditions continue one level deeper than the field.
            Term::When(c) => nest(vec![self.condition(c)]),
            Term::Domains(names) => self.names(names),
            Term::Response(rung) => self.ident(rung),
            Term::Credibility { value, except } => {
                let mut docs = vec![self.lit(value.span)];
                if let Some(entries) = except {
                    docs.push(Doc::Space);
                    docs.push(self.tok("except"));
                    docs.push(Doc::Space);
                    docs.push(self.seq("{", "}", true, entries, |p, e| {
                        concat(vec![p.ident(&e.actor), p.tok(":"), Doc::Space, p.lit(e.value.span)])
                    }));
                }
                concat(docs)
            }
            Term::Since(t) | Term::Until(t) => self.lit(t.span),
            Term::Interoperability(p) => self.lit(p.span),
        };
        concat(vec![key, value])
    }

    fn opening(&mut self, opening: &Opening) -> Doc {
        let mut docs = vec![
            self.ident(&opening.aggressor),
            Doc::Space,
            self.tok("attacks"),
            Doc::Space,
            self.ident(&opening.victim),
        ];
        for clause in &opening.clauses {
            docs.push(Doc::Space);
            docs.push(match &clause.value {
                OpeningClause::In(names) => concat(vec![self.tok("in"), Doc::Space, self.names(names)]),
                OpeningClause::At(rung) => concat(vec![self.tok("at"), Doc::Space, self.ident(rung)]),
                OpeningClause::Provoked => self.tok("provoked"),
            });
        }
        concat(docs)
    }

    fn expect(&mut self, expect: &Expect) -> Doc {
        match expect {
            Expect::Gap { aggressor, target, domain, reason } => {
                let mut docs = vec![self.tok("gap"), Doc::Space, self.arrow(aggressor, target, domain)];
                if let Some(reason) = reason {
                    docs.extend([self.tok(":"), Doc::Space, self.ident(reason)]);
                }
                concat(docs)
            }
            Expect::NoGap { aggressor, target, domain } => concat(vec![
                self.tok("no"),
                Doc::Space,
                self.tok("gap"),
                Doc::Space,
                self.arrow(aggressor, target, domain),
            ]),
            Expect::Scenario { scenario, outcome } => {
                concat(vec![self.ident(scenario), self.tok(":"), Doc::Space, self.outcome(outcome)])
            }
        }
    }

    /// `A -> T [in d]` of a gap expectation.
    fn arrow(&mut self, aggressor: &Ident, target: &Ident, domain: &Option<Ident>) -> Doc {
        let mut docs = vec![self.ident(aggressor), Doc::Space, self.tok("->"), Doc::Space, self.ident(target)];
        if let Some(d) = domain {
            docs.extend([Doc::Space, self.tok("in"), Doc::Space, self.ident(d)]);
        }
        concat(docs)
    }

    fn outcome(&mut self, outcome: &Outcome) -> Doc {
        match outcome {
            Outcome::Joins(a) => concat(vec![self.ident(a), Doc::Space, self.tok("joins")]),
            Outcome::Attacks(a) => concat(vec![self.ident(a), Doc::Space, self.tok("attacks")]),
            Outcome::StaysOut(a) => {
                concat(vec![self.ident(a), Doc::Space, self.tok("stays"), Doc::Space, self.tok("out")])
            }
            Outcome::Reaches(r) => concat(vec![self.tok("reaches"), Doc::Space, self.ident(r)]),
            Outcome::NotReaches(r) => {
                concat(vec![self.tok("not"), Doc::Space, self.tok("reaches"), Doc::Space, self.ident(r)])
            }
            Outcome::Probability { event, comparison, value } => concat(vec![
                self.tok("P"),
                self.tok("("),
                self.outcome(event),
                self.tok(")"),
                Doc::Space,
                self.tok(comparison.symbol()),
                Doc::Space,
                self.lit(value.span),
            ]),
        }
    }

    // ------------------------------------------------------------ conditions

    fn condition(&mut self, condition: &Condition) -> Doc {
        match condition {
            Condition::Or(parts, _) => self.chain(parts, "or"),
            Condition::And(parts, _) => self.chain(parts, "and"),
            Condition::Not(inner, _) => concat(vec![self.tok("not"), Doc::Space, self.condition(inner)]),
            Condition::Group(inner, _) => {
                let lead = self.leading();
                let open = self.tok("(");
                let mut inner = vec![Doc::SoftLine, self.condition(inner)];
                inner.extend(self.trailing());
                inner.extend(self.leading());
                let close = self.tok(")");
                outside(lead, vec![open, nest(inner), Doc::SoftLine, close])
            }
            Condition::Attack(atom) => self.attack(atom),
            Condition::WarBetween(a, b, _) => concat(vec![
                self.tok("war"),
                Doc::Space,
                self.tok("between"),
                Doc::Space,
                self.parties(a),
                Doc::Space,
                self.tok("and"),
                Doc::Space,
                self.parties(b),
            ]),
            Condition::WarWith(p, _) => {
                concat(vec![self.tok("war"), Doc::Space, self.tok("with"), Doc::Space, self.parties(p)])
            }
            Condition::ThreatTo(p, _) => concat(vec![self.tok("threat_to"), Doc::Space, self.parties(p)]),
        }
    }

    /// `a or b or c`: on one line, or one operand a line.
    fn chain(&mut self, parts: &[Condition], operator: &str) -> Doc {
        let lead = self.leading();
        let mut docs = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                docs.extend(self.trailing());
                docs.push(Doc::Line);
                docs.push(self.tok(operator));
                docs.push(Doc::Space);
            }
            docs.push(self.condition(part));
        }
        outside(lead, docs)
    }

    fn attack(&mut self, atom: &AttackAtom) -> Doc {
        let lead = self.leading();
        let mut docs = Vec::new();
        if atom.unprovoked {
            docs.push(self.tok("unprovoked"));
            docs.push(Doc::Space);
        }
        if atom.opening {
            docs.push(self.tok("opening"));
            docs.push(Doc::Space);
        }
        docs.push(self.tok("attack"));
        let mut clauses = Vec::new();
        for clause in &atom.clauses {
            clauses.extend(self.trailing());
            clauses.push(Doc::Line);
            clauses.push(match &clause.value {
                AttackClause::On(p) => concat(vec![self.tok("on"), Doc::Space, self.parties(p)]),
                AttackClause::By(p) => concat(vec![self.tok("by"), Doc::Space, self.parties(p)]),
                AttackClause::In(names) => concat(vec![self.tok("in"), Doc::Space, self.names(names)]),
                AttackClause::Within(names) => concat(vec![self.tok("within"), Doc::Space, self.names(names)]),
                AttackClause::At { at_least, rung } => {
                    let mut docs = vec![self.tok("at"), Doc::Space];
                    if *at_least {
                        docs.extend([self.tok(">="), Doc::Space]);
                    }
                    docs.push(self.ident(rung));
                    concat(docs)
                }
            });
        }
        docs.push(nest(clauses));
        outside(lead, docs)
    }

    fn parties(&mut self, parties: &Parties) -> Doc {
        match parties {
            Parties::Member(_) => self.tok("member"),
            Parties::Any(_) => self.tok("any"),
            Parties::Actors(names) => self.names(names),
        }
    }
}
