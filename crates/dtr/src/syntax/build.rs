//! pest pairs → AST. Literal values are read here; a bad literal (an invalid
//! date, escape or number) is reported and replaced by a harmless value so
//! that the rest of the file is still checked.

use super::ast::*;
use super::comments;
use super::grammar::Rule;
use super::literal;
use super::recover::MAX_NESTING;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::messages::{self, BadNumber, TooDeep};
use crate::source::{FileId, Span};
use pest::iterators::Pair;
use std::collections::HashMap;
use std::ops::Range;

type P<'i> = Pair<'i, Rule>;

/// What pest skips between tokens, comments aside (the grammar's `WHITESPACE`).
const TRIVIA: [char; 5] = [' ', '\t', '\n', '\r', '\u{FEFF}'];

pub(super) struct Builder<'t> {
    file: FileId,
    /// Offset in the file of the text that was parsed.
    base: usize,
    /// The whole file.
    text: &'t str,
    /// Doc comments are looked for at or after this offset only.
    floor: usize,
    pub comments: Vec<Comment>,
    pub docs: Vec<DocComment>,
    /// Where each doc comment ends → where it starts (offsets in the file),
    /// those of the piece before included.
    doc_ends: HashMap<usize, usize>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Where each doc comment of `text[piece]` ends → where it starts (offsets
/// in the file): what a builder of the next piece needs to find a doc
/// comment that ends the line above its first declaration.
pub(super) fn doc_ends(text: &str, piece: Range<usize>) -> HashMap<usize, usize> {
    let base = piece.start;
    let piece = &text[piece];
    comments::scan(piece)
        .into_iter()
        .filter(|(kind, _)| *kind == CommentKind::Doc)
        .map(|(_, r)| (base + doc_end(piece, &r), base + r.start))
        .collect()
}

/// Where a doc comment's text ends: before the white space ending its
/// line, as [`Builder::doc_before`] looks for it (a doc comment with
/// trailing spaces was otherwise not attached, and `dtr fmt`, which drops
/// them, found its output to mean another program: E0040).
fn doc_end(text: &str, comment: &Range<usize>) -> usize {
    comment.start + text[comment.clone()].trim_end_matches([' ', '\t']).len()
}

impl<'t> Builder<'t> {
    /// A builder for `text[piece]`, which parsed; doc comments are looked for
    /// in `text[floor..]`, in `doc_ends` and the piece's own.
    pub fn new(
        file: FileId,
        text: &'t str,
        piece: Range<usize>,
        floor: usize,
        mut doc_ends: HashMap<usize, usize>,
    ) -> Builder<'t> {
        let base = piece.start;
        let source = &text[piece];
        let mut comments = Vec::new();
        for (kind, range) in comments::scan(source) {
            if kind == CommentKind::Doc {
                doc_ends.insert(base + doc_end(source, &range), base + range.start);
            }
            comments.push(Comment { kind, span: Span::new(file, base + range.start, base + range.end) });
        }
        Builder { file, base, text, floor, comments, docs: Vec::new(), doc_ends, diagnostics: Vec::new() }
    }

    /// Where `pair` is, from its first token to its last. A rule that ends
    /// with an optional or repeated part (`expect gap A -> B` and its
    /// optional reason, an actor without a body) also holds the white space
    /// and comments that pest skipped before it tried that part: they are
    /// not part of the span.
    fn span(&self, pair: &P) -> Span {
        let s = pair.as_span();
        let start = self.base + s.start();
        let mut end = self.base + s.end();
        loop {
            end = start + self.text[start..end].trim_end_matches(TRIVIA).len();
            match self.comments.binary_search_by_key(&(end as u32), |c| c.span.end) {
                Ok(i) if self.comments[i].span.start as usize >= start => end = self.comments[i].span.start as usize,
                _ => return Span::new(self.file, start, end),
            }
        }
    }

    fn kids<'i>(&self, pair: P<'i>) -> Vec<P<'i>> {
        pair.into_inner().collect()
    }

    /// The doc comment of the declaration starting at `start` (an offset in
    /// the parsed piece): the run of `///` lines right above it, with only
    /// white space (and the commas that may separate fields) between them and it.
    fn doc_before(&self, start: usize) -> Option<String> {
        let mut lines = Vec::new();
        let mut at = self.base + start;
        loop {
            let gap = self.text[self.floor..at].trim_end_matches([' ', '\t', '\n', '\r', '\u{FEFF}', ',']);
            let gap_end = self.floor + gap.len();
            let Some(&doc_start) = self.doc_ends.get(&gap_end) else { break };
            let body = &self.text[doc_start + 3..gap_end];
            lines.push(body.strip_prefix(' ').unwrap_or(body).trim_end());
            at = doc_start;
        }
        if lines.is_empty() {
            return None;
        }
        lines.reverse();
        Some(lines.join("\n"))
    }

    // ------------------------------------------------------------ file

    pub fn file(&mut self, pair: P) -> Vec<Item> {
        let mut items = Vec::new();
        for p in self.kids(pair) {
            if p.as_rule() != Rule::EOI {
                items.push(self.item(p));
            }
        }
        items
    }

    fn item(&mut self, pair: P) -> Item {
        let span = self.span(&pair);
        if let Some(doc) = self.doc_before(pair.as_span().start()) {
            self.docs.push(DocComment { at: span.start, text: doc.into_boxed_str() });
        }
        let rule = pair.as_rule();
        let kids = self.kids(pair);
        let kind = match rule {
            Rule::import => ItemKind::Import(Box::new(self.string(&kids[1]))),
            Rule::settings => ItemKind::Settings(kids.into_iter().skip(1).map(|p| self.setting(p)).collect()),
            Rule::domain => ItemKind::Domain(Box::new(Domain {
                name: self.ident(&kids[1]),
                label: kids.get(2).map(|p| self.string(p)),
            })),
            Rule::region => self.region(kids),
            Rule::actor => self.actor(kids),
            Rule::alliance => self.alliance(kids),
            Rule::commitment => self.commitment(kids),
            Rule::threat => self.threat(kids),
            Rule::scenario => self.scenario(kids),
            Rule::expect => ItemKind::Expect(Box::new(self.expect(kids.into_iter().nth(1)))),
            other => unreachable!("not a declaration: {other:?}"),
        };
        Item { kind, span }
    }

    // ------------------------------------------------------------ leaves

    fn ident(&self, pair: &P) -> Ident {
        Ident { span: self.span(pair) }
    }

    fn string(&mut self, pair: &P) -> Str {
        let span = self.span(pair);
        let value = match literal::string(pair.as_str()) {
            Ok(v) => v,
            Err(bad) => {
                let at =
                    Span::new(self.file, span.start as usize + bad.offset, span.start as usize + bad.offset + bad.len);
                let text = &self.text[at.range()];
                self.diagnostics.push(messages::e0018(text, at));
                String::new()
            }
        };
        Str { value, span }
    }

    fn number(&mut self, pair: &P) -> Number {
        let span = self.span(pair);
        // The grammar admits only numbers: None cannot happen.
        let value = literal::number(pair.as_str()).unwrap_or(f64::NAN);
        if !value.is_finite() {
            self.diagnostics
                .push(messages::e0017(BadNumber::OutOfRange { written: pair.as_str(), probability: false }, span));
        }
        // NaN marks a literal already reported, so later checks stay silent.
        Number { value: if value.is_finite() { value } else { f64::NAN }, span }
    }

    fn probability(&mut self, pair: &P) -> Probability {
        let span = self.span(pair);
        let (value, percent) =
            literal::probability(pair.as_str()).unwrap_or((f64::NAN, pair.as_rule() == Rule::percent));
        if !value.is_finite() {
            self.diagnostics
                .push(messages::e0017(BadNumber::OutOfRange { written: pair.as_str(), probability: true }, span));
        }
        Probability { value: if value.is_finite() { value } else { 0.0 }, percent, span }
    }

    fn time_point(&mut self, pair: &P) -> TimePoint {
        let span = self.span(pair);
        let value = if pair.as_rule() == Rule::date {
            match literal::date(pair.as_str()) {
                Ok((year, month, day)) => TimeValue::Day { year, month, day },
                Err(_) => {
                    self.diagnostics.push(messages::e0017(BadNumber::NotADate { written: pair.as_str() }, span));
                    TimeValue::Year(f64::NAN)
                }
            }
        } else {
            TimeValue::Year(self.number(pair).value)
        };
        TimePoint { value, span }
    }

    fn names(&self, pair: &P) -> Names {
        let span = self.span(pair);
        if pair.as_rule() == Rule::ident {
            return Names { items: vec![self.ident(pair)], bracketed: false, span };
        }
        // A name list's only pairs are its names.
        let items = exact(pair.clone().into_inner().map(|p| self.ident(&p)));
        Names { items, bracketed: true, span }
    }

    fn label(&mut self, kids: &[P], at: usize) -> Option<Str> {
        kids.get(at).filter(|p| p.as_rule() == Rule::string).map(|p| self.string(p))
    }

    /// Children of a `{ … }` body (after the keyword, name and label).
    fn body<'i>(&mut self, kids: Vec<P<'i>>, rule: Rule) -> Option<Vec<P<'i>>> {
        let body = kids.into_iter().find(|p| p.as_rule() == rule)?;
        Some(self.kids(body))
    }

    // ------------------------------------------------------------ declarations

    fn substitute(&mut self, pair: &P) -> Substitute {
        let span = self.span(pair);
        let kids = self.kids(pair.clone());
        Substitute { from: self.ident(&kids[0]), to: self.ident(&kids[1]), factor: self.probability(&kids[2]), span }
    }

    fn setting(&mut self, pair: P) -> SettingsField {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let kids = self.kids(pair);
        if rule == Rule::substitution_field {
            let list = kids.iter().map(|s| self.substitute(s)).collect();
            return Field { value: Setting::Substitution(list), span };
        }
        let v = &kids[0];
        let value = match rule {
            Rule::year_field => Setting::Year(self.time_point(v)),
            Rule::date_field => Setting::Date(self.time_point(v)),
            Rule::ladder_field => Setting::Ladder(self.names(v)),
            Rule::ratio_field => Setting::DeterrenceRatio(self.number(v)),
            Rule::floor_field => Setting::CredibilityFloor(self.probability(v)),
            Rule::samples_field => Setting::Samples(self.number(v)),
            Rule::seed_field => Setting::Seed(self.number(v)),
            Rule::opening_field => Setting::Opening(self.ident(v)),
            other => unreachable!("not a setting: {other:?}"),
        };
        Field { value, span }
    }

    fn region(&mut self, kids: Vec<P>) -> ItemKind {
        let name = self.ident(&kids[1]);
        let label = self.label(&kids, 2);
        let body = self.body(kids, Rule::region_body).map(|fields| {
            fields
                .into_iter()
                .map(|f| {
                    let span = self.span(&f);
                    let list = self.kids(f).remove(0);
                    Field { value: self.names(&list), span }
                })
                .collect()
        });
        ItemKind::Region(Box::new(Region { name, label, body }))
    }

    fn actor(&mut self, kids: Vec<P>) -> ItemKind {
        let name = self.ident(&kids[1]);
        let label = self.label(&kids, 2);
        let body =
            self.body(kids, Rule::actor_body).map(|fields| fields.into_iter().map(|f| self.actor_field(f)).collect());
        ItemKind::Actor(Actor::new(name, label, body))
    }

    fn actor_field(&mut self, pair: P) -> Field<ActorField> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let kids = self.kids(pair);
        let value = match rule {
            Rule::region_field => ActorField::Region(self.ident(&kids[0])),
            Rule::resolve_field => ActorField::Resolve(self.probability(&kids[0])),
            Rule::capability_field => ActorField::Capability(
                kids.into_iter()
                    .map(|entry| {
                        let e = self.kids(entry);
                        CapabilityEntry { domain: self.ident(&e[0]), value: self.number(&e[1]) }
                    })
                    .collect(),
            ),
            other => unreachable!("not an actor field: {other:?}"),
        };
        Field { value, span }
    }

    fn alliance(&mut self, kids: Vec<P>) -> ItemKind {
        let name = self.ident(&kids[1]);
        let label = self.label(&kids, 2);
        let first_field = if label.is_some() { 3 } else { 2 };
        let items = kids.into_iter().skip(first_field).map(|p| self.alliance_field(p)).collect();
        ItemKind::Alliance(Box::new(Alliance { name, label, items }))
    }

    fn alliance_field(&mut self, pair: P) -> Field<AllianceField> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        if rule == Rule::obligation {
            let doc = self.doc_before(pair.as_span().start());
            let kids = self.kids(pair);
            let kind = match kids[2].as_str() {
                "defend" => ObligationKind::Defend,
                "join" => ObligationKind::Join,
                "consult" => ObligationKind::Consult,
                "neutral" => ObligationKind::Neutral,
                _ => ObligationKind::Nonaggression,
            };
            let kind_span = self.span(&kids[2]);
            let name = self.ident(&kids[1]);
            let terms = kids.into_iter().nth(3).map(|t| self.terms(t));
            return Field { value: AllianceField::Obligation(Obligation { doc, name, kind, kind_span, terms }), span };
        }
        let kids = self.kids(pair);
        let value = match rule {
            Rule::members_field => AllianceField::Members(self.names(&kids[0])),
            Rule::since_field => AllianceField::Since(self.time_point(&kids[0])),
            Rule::until_field => AllianceField::Until(self.time_point(&kids[0])),
            Rule::interoperability_field => AllianceField::Interoperability(self.probability(&kids[0])),
            other => unreachable!("not an alliance field: {other:?}"),
        };
        Field { value, span }
    }

    fn terms(&mut self, pair: P) -> Vec<Field<Term>> {
        self.kids(pair).into_iter().map(|p| self.term(p)).collect()
    }

    fn term(&mut self, pair: P) -> Field<Term> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut kids = pair.into_inner();
        let first = kids.next().unwrap_or_else(|| unreachable!());
        let value = match rule {
            Rule::when_field => Term::When(self.condition(first)),
            Rule::domains_field => Term::Domains(self.names(&first)),
            Rule::response_field => Term::Response(self.ident(&first)),
            Rule::credibility_field => {
                let value = self.probability(&first);
                let except = kids.next().map(|e| {
                    self.kids(e)
                        .into_iter()
                        .map(|entry| {
                            let e = self.kids(entry);
                            ExceptEntry { actor: self.ident(&e[0]), value: self.probability(&e[1]) }
                        })
                        .collect()
                });
                Term::Credibility { value, except }
            }
            Rule::since_field => Term::Since(self.time_point(&first)),
            Rule::until_field => Term::Until(self.time_point(&first)),
            Rule::interoperability_field => Term::Interoperability(self.probability(&first)),
            other => unreachable!("not a term: {other:?}"),
        };
        Field { value, span }
    }

    fn commitment(&mut self, kids: Vec<P>) -> ItemKind {
        let kind = match kids[3].as_str() {
            "defends" => CommitmentKind::Defends,
            "attacks" => CommitmentKind::Attacks,
            "consults" => CommitmentKind::Consults,
            "neutral" => CommitmentKind::Neutral,
            _ => CommitmentKind::Nonaggression,
        };
        let c = Commitment {
            name: self.ident(&kids[1]),
            actor: self.ident(&kids[2]),
            kind,
            kind_span: self.span(&kids[3]),
            target: self.ident(&kids[4]),
            terms: None,
        };
        let terms = kids.into_iter().nth(5).map(|t| self.terms(t));
        ItemKind::Commitment(Box::new(Commitment { terms, ..c }))
    }

    fn threat(&mut self, kids: Vec<P>) -> ItemKind {
        let aggressor = self.ident(&kids[1]);
        let targets = self.names(&kids[2]);
        let body = self.body(kids, Rule::threat_body).map(|fields| {
            fields
                .into_iter()
                .map(|f| {
                    let span = self.span(&f);
                    let list = self.kids(f).remove(0);
                    Field { value: self.names(&list), span }
                })
                .collect()
        });
        ItemKind::Threat(Box::new(Threat { aggressor, targets, body }))
    }

    fn scenario(&mut self, kids: Vec<P>) -> ItemKind {
        let name = self.ident(&kids[1]);
        let label = self.label(&kids, 2);
        let first = if label.is_some() { 3 } else { 2 };
        let openings = kids.into_iter().skip(first).map(|p| self.opening(p)).collect();
        ItemKind::Scenario(Box::new(Scenario { name, label, openings }))
    }

    fn opening(&mut self, pair: P) -> Opening {
        let span = self.span(&pair);
        let kids = self.kids(pair);
        let aggressor = self.ident(&kids[0]);
        let victim = self.ident(&kids[2]);
        let clauses = kids
            .into_iter()
            .skip(3)
            .map(|c| {
                let span = self.span(&c);
                let value = match c.as_rule() {
                    Rule::provoked => OpeningClause::Provoked,
                    Rule::rung_clause => {
                        let kids = self.kids(c);
                        OpeningClause::At(self.ident(&kids[1]))
                    }
                    _ => {
                        let list = self.kids(c).remove(1);
                        OpeningClause::In(self.names(&list))
                    }
                };
                Field { value, span }
            })
            .collect();
        Opening { aggressor, victim, clauses, span }
    }

    fn expect(&mut self, pair: Option<P>) -> Expect {
        let Some(pair) = pair else { unreachable!("the grammar requires an expectation") };
        let rule = pair.as_rule();
        let kids = self.kids(pair);
        let idents: Vec<Ident> = kids.iter().filter(|p| p.as_rule() == Rule::ident).map(|p| self.ident(p)).collect();
        let has_in = kids.iter().any(|p| p.as_rule() == Rule::kw_in);
        match rule {
            Rule::gap_expectation => {
                let mut rest = idents.into_iter();
                let aggressor = rest.next().unwrap_or_else(|| unreachable!());
                let target = rest.next().unwrap_or_else(|| unreachable!());
                let domain = if has_in { rest.next() } else { None };
                Expect::Gap { aggressor, target, domain, reason: rest.next() }
            }
            Rule::no_gap_expectation => {
                let mut rest = idents.into_iter();
                let aggressor = rest.next().unwrap_or_else(|| unreachable!());
                let target = rest.next().unwrap_or_else(|| unreachable!());
                Expect::NoGap { aggressor, target, domain: rest.next() }
            }
            _ => {
                let mut kids = kids.into_iter();
                let scenario = self.ident(&kids.next().unwrap_or_else(|| unreachable!()));
                let outcome = self.outcome(kids.next().unwrap_or_else(|| unreachable!()));
                Expect::Scenario { scenario, outcome }
            }
        }
    }

    fn outcome(&mut self, pair: P) -> Outcome {
        let rule = pair.as_rule();
        let kids = self.kids(pair);
        match rule {
            Rule::joins => Outcome::Joins(self.ident(&kids[0])),
            Rule::stays_out => Outcome::StaysOut(self.ident(&kids[0])),
            Rule::attacks => Outcome::Attacks(self.ident(&kids[0])),
            Rule::reaches => Outcome::Reaches(self.ident(&kids[1])),
            Rule::not_reaches => Outcome::NotReaches(self.ident(&kids[2])),
            _ => {
                let mut kids = kids.into_iter();
                let event = Box::new(self.outcome(kids.next().unwrap_or_else(|| unreachable!())));
                let comparison = match kids.next().map(|p| p.as_str()) {
                    Some("<") => Comparison::Less,
                    Some("<=") => Comparison::LessEqual,
                    Some(">") => Comparison::Greater,
                    _ => Comparison::GreaterEqual,
                };
                let value = self.probability(&kids.next().unwrap_or_else(|| unreachable!()));
                Outcome::Probability { event, comparison, value }
            }
        }
    }

    // ------------------------------------------------------------ conditions

    fn condition(&mut self, pair: P) -> Condition {
        let inner = pair.into_inner().next().unwrap_or_else(|| unreachable!());
        self.or_condition(inner)
    }

    // The chain or → and → unary is walked without collecting children: a
    // condition of one atom (the usual case) allocates no list on the way.

    fn or_condition(&mut self, pair: P) -> Condition {
        let span = self.span(&pair);
        let mut parts = pair.into_inner().filter(|p| p.as_rule() == Rule::and_condition);
        let first = self.and_condition(parts.next().unwrap_or_else(|| unreachable!()));
        let Some(second) = parts.next() else { return first };
        let mut all = vec![first, self.and_condition(second)];
        all.extend(parts.map(|p| self.and_condition(p)));
        Condition::Or(all, span)
    }

    fn and_condition(&mut self, pair: P) -> Condition {
        let span = self.span(&pair);
        let mut parts = pair.into_inner().filter(|p| p.as_rule() == Rule::unary);
        let first = self.unary(parts.next().unwrap_or_else(|| unreachable!()));
        let Some(second) = parts.next() else { return first };
        let mut all = vec![first, self.unary(second)];
        all.extend(parts.map(|p| self.unary(p)));
        Condition::And(all, span)
    }

    fn unary(&mut self, pair: P) -> Condition {
        let span = self.span(&pair);
        let mut nots: Vec<Span> = Vec::new();
        let mut primary = None;
        for kid in pair.into_inner() {
            if kid.as_rule() == Rule::kw_not {
                nots.push(self.span(&kid));
            } else {
                primary = Some(kid);
            }
        }
        let primary = primary.unwrap_or_else(|| unreachable!());
        if nots.len() > MAX_NESTING {
            // Keep the meaning (the parity) without building a tree as deep as the input.
            self.diagnostics.push(messages::e0019(TooDeep::Nots { count: nots.len() }, MAX_NESTING, nots[MAX_NESTING]));
            let keep = nots.len() % 2;
            nots.truncate(keep);
        }
        let mut cond = self.primary(primary);
        for not in nots.into_iter().rev() {
            cond = Condition::Not(Box::new(cond), Span { start: not.start, ..span });
        }
        cond
    }

    fn primary(&mut self, pair: P) -> Condition {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let kids = self.kids(pair);
        match rule {
            Rule::group => {
                let inner = kids.into_iter().next().unwrap_or_else(|| unreachable!());
                Condition::Group(Box::new(self.or_condition(inner)), span)
            }
            Rule::attack_atom => {
                let has = |rule: Rule| kids.iter().take(2).any(|k| k.as_rule() == rule);
                let (unprovoked, opening) = (has(Rule::kw_unprovoked), has(Rule::kw_opening));
                // The keywords come first, the clauses after them.
                let keywords = 1 + usize::from(unprovoked) + usize::from(opening);
                let clauses = exact(kids.into_iter().skip(keywords).map(|c| self.attack_clause(c)));
                Condition::Attack(AttackAtom { unprovoked, opening, clauses, span })
            }
            Rule::war_between => {
                let mut parties = kids.into_iter().filter(|k| k.as_rule() == Rule::parties);
                let a = self.parties(parties.next().unwrap_or_else(|| unreachable!()));
                let b = self.parties(parties.next().unwrap_or_else(|| unreachable!()));
                Condition::WarBetween(Box::new(a), Box::new(b), span)
            }
            Rule::war_with => Condition::WarWith(
                Box::new(self.parties(kids.into_iter().nth(2).unwrap_or_else(|| unreachable!()))),
                span,
            ),
            _ => Condition::ThreatTo(
                Box::new(self.parties(kids.into_iter().nth(1).unwrap_or_else(|| unreachable!()))),
                span,
            ),
        }
    }

    fn attack_clause(&mut self, pair: P) -> Field<AttackClause> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut kids = pair.into_inner();
        // After the clause's keyword.
        let mut operand = || kids.nth(1).unwrap_or_else(|| unreachable!());
        let value = match rule {
            Rule::on_clause => AttackClause::On(self.parties(operand())),
            Rule::by_clause => AttackClause::By(self.parties(operand())),
            Rule::in_clause => AttackClause::In(self.names(&operand())),
            Rule::within_clause => AttackClause::Within(self.names(&operand())),
            _ => {
                let (mut at_least, mut rung) = (false, None);
                for k in kids {
                    at_least |= k.as_rule() == Rule::at_least;
                    rung = Some(k);
                }
                AttackClause::At { at_least, rung: self.ident(&rung.unwrap_or_else(|| unreachable!())) }
            }
        };
        Field { value, span }
    }

    fn parties(&mut self, pair: P) -> Parties {
        let inner = pair.into_inner().next().unwrap_or_else(|| unreachable!());
        let span = self.span(&inner);
        match inner.as_rule() {
            Rule::member => Parties::Member(span),
            Rule::any => Parties::Any(span),
            _ => Parties::Actors(self.names(&inner)),
        }
    }
}

/// The items of `iter` in a vector of exactly their number. `collect`
/// sizes a vector exactly only for iterators the standard library trusts
/// (not pest's, nor `skip`): others start at four items, which doubled the
/// memory of the commonest lists (one or two names, one or two clauses)
/// on every line of a large file.
fn exact<T>(iter: impl ExactSizeIterator<Item = T>) -> Vec<T> {
    let mut items = Vec::with_capacity(iter.len());
    items.extend(iter);
    items
}
