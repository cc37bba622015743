//! The declarations of a generated program, in the order their names are
//! needed: the ladder, domains and regions first, then actors, then what
//! refers to them. The chunks are shuffled before they are joined, since
//! names are global and declaration order must not matter to the checker.

use super::Gen;
use super::condition::{self, Context};
use arbitrary::Result;
use dtr::vocabulary::{BUILTIN_DOMAINS, DEFAULT_LADDER};

const RUNG_POOL: [&str; 8] =
    ["calm", "crisis", "coercion", "blockade", "limited_war", "regional_war", "general_war", "nuclear"];
const DOMAIN_POOL: [&str; 3] = ["hypersonic", "drones", "info_ops"];
const REGION_POOL: [&str; 6] = ["europe", "baltic", "nordic", "asia", "pacific", "americas"];
const ACTOR_POOL: [&str; 12] = ["USA", "RUS", "CHN", "GBR", "FRA", "DEU", "POL", "EST", "JPN", "TWN", "IND", "PAK"];
/// Names that are declared nowhere, or keywords: what faults put in a
/// name's place.
const WRONG_NAMES: [&str; 6] = ["ZZZ", "europa", "landd", "nuclear_winter", "member", "war"];

/// What the declarations so far have named, for later ones to refer to.
pub(super) struct World {
    pub ladder: Vec<String>,
    pub domains: Vec<String>,
    pub regions: Vec<String>,
    pub actors: Vec<Actor>,
}

pub(super) struct Actor {
    pub name: String,
    pub nuclear: bool,
}

pub(super) fn write(g: &mut Gen) -> Result<String> {
    let mut chunks = Vec::new();
    let ladder = settings(g, &mut chunks)?;
    let mut world = World {
        ladder,
        domains: BUILTIN_DOMAINS.iter().map(|d| d.to_string()).collect(),
        regions: Vec::new(),
        actors: Vec::new(),
    };
    for name in g.subset(DOMAIN_POOL.len(), 0)?.into_iter().map(|i| DOMAIN_POOL[i]) {
        let label = if g.chance(1, 2)? { format!(" {}", g.label("a domain")?) } else { String::new() };
        chunks.push(format!("domain {name}{label}"));
        world.domains.push(name.to_owned());
    }
    regions(g, &mut world, &mut chunks)?;
    actors(g, &mut world, &mut chunks)?;
    let mut alliance_names = Vec::new();
    for a in 0..g.int(0, 3)? {
        alliance_names.push(alliance(g, &world, a, &mut chunks)?);
    }
    for c in 0..g.int(0, 8)? {
        chunks.push(commitment(g, &world, &alliance_names, c)?);
    }
    let mut threats = Vec::new();
    for _ in 0..g.int(0, 3)? {
        chunks.push(threat(g, &world, &mut threats)?);
    }
    let mut scenario_names = Vec::new();
    // At least one scenario, so that a fuzzer short of bytes still reaches
    // the escalation analysis.
    for s in 0..g.int(1, 3)? {
        chunks.push(scenario(g, &world, s, &mut scenario_names)?);
    }
    for _ in 0..g.int(0, 5)? {
        if let Some(line) = expectation(g, &world, &scenario_names, &threats)? {
            chunks.push(line);
        }
    }
    if g.fault()? && !chunks.is_empty() {
        // A duplicate declaration (or a second settings block).
        let i = g.index(chunks.len())?;
        chunks.push(chunks[i].clone());
    }
    for i in (1..chunks.len()).rev() {
        if g.chance(1, 3)? {
            let j = g.index(i + 1)?;
            chunks.swap(i, j);
        }
    }
    let mut text = String::new();
    for chunk in chunks {
        text.push_str(&chunk);
        text.push_str(g.declaration_separator()?);
    }
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// Joins `fields` into a `{ … }` block with drawn separators.
fn block(g: &mut Gen, fields: &[String]) -> Result<String> {
    let mut out = String::from("{");
    out.push_str(if g.chance(1, 3)? { " " } else { "\n  " });
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push_str(g.field_separator()?);
        }
        out.push_str(f);
    }
    if g.chance(1, 6)? && !fields.is_empty() {
        out.push(',');
    }
    out.push_str(if g.chance(1, 3)? { " }" } else { "\n}" });
    Ok(out)
}

/// `[a, b]` with drawn spacing and an optional trailing comma.
fn list(g: &mut Gen, items: &[String]) -> Result<String> {
    let separator = if g.chance(1, 5)? { ",\n  " } else { ", " };
    let trailing = if g.chance(1, 6)? && !items.is_empty() { "," } else { "" };
    Ok(format!("[{}{trailing}]", items.join(separator)))
}

/// Draws fields in an order of their own.
fn shuffled(g: &mut Gen, mut fields: Vec<String>) -> Result<Vec<String>> {
    for i in (1..fields.len()).rev() {
        let j = g.index(i + 1)?;
        fields.swap(i, j);
    }
    if g.fault()? && !fields.is_empty() {
        let i = g.index(fields.len())?;
        fields.push(fields[i].clone());
    }
    Ok(fields)
}

/// A settings block (or none); returns the ladder in force.
fn settings(g: &mut Gen, chunks: &mut Vec<String>) -> Result<Vec<String>> {
    let mut ladder: Vec<String> = DEFAULT_LADDER.iter().map(|r| r.to_string()).collect();
    if !g.chance(2, 3)? {
        return Ok(ladder);
    }
    let mut fields = Vec::new();
    if g.chance(1, 2)? {
        let mut picked = g.subset(RUNG_POOL.len(), 2)?;
        picked.sort_unstable();
        ladder = picked.into_iter().map(|i| RUNG_POOL[i].to_owned()).collect();
        if g.fault()? {
            ladder.push(ladder[0].clone());
        }
        fields.push(format!("ladder: {}", list(g, &ladder)?));
    }
    match g.int(0, 3)? {
        0 => fields.push(format!("year: {}", g.time_point(1900, 2030)?)),
        1 => fields.push(format!("date: {}", g.time_point(1900, 2030)?)),
        _ => {}
    }
    if g.fault()? {
        fields.push(
            g.pick(&["year: 1914.5", "year: 99999", "date: 2001-02-30", "samples: 0", "year: 1999 date: 1999"])?
                .to_owned(),
        );
    }
    if g.chance(1, 2)? {
        fields.push(format!("deterrence_ratio: {}", g.pick(&["1.0", "0.5", "2", "1.25", "0.01"])?));
    }
    if g.chance(1, 2)? {
        fields.push(format!("credibility_floor: {}", g.probability()?));
    }
    if g.chance(1, 2)? {
        // Small sample counts keep each analysis quick.
        fields.push(format!("samples: {}", g.int(1, 2000)?));
    }
    if g.chance(1, 2)? {
        fields.push(format!("seed: {}", g.int(0, 1_000_000)?));
    }
    if g.chance(1, 2)? {
        let rung = rung(g, &ladder)?;
        fields.push(format!("opening: {rung}"));
    }
    let fields = shuffled(g, fields)?;
    chunks.push(format!("settings {}", block(g, &fields)?));
    Ok(ladder)
}

fn rung(g: &mut Gen, ladder: &[String]) -> Result<String> {
    if g.fault()? || ladder.is_empty() {
        return Ok("apocalypse".to_owned());
    }
    let i = g.index(ladder.len())?;
    Ok(ladder[i].clone())
}

fn regions(g: &mut Gen, world: &mut World, chunks: &mut Vec<String>) -> Result<()> {
    let names: Vec<String> = g.subset(REGION_POOL.len(), 0)?.into_iter().map(|i| REGION_POOL[i].to_owned()).collect();
    for (i, name) in names.iter().enumerate() {
        let mut decl = format!("region {name}");
        if g.chance(1, 2)? {
            decl.push(' ');
            decl.push_str(&g.label(name)?);
        }
        // Containing only earlier regions keeps containment acyclic; a
        // fault lets a region contain a later one, which may close a cycle.
        let candidates = if g.fault()? { names.len() } else { i };
        if candidates > 0 && g.chance(1, 2)? {
            let contained: Vec<String> = g.subset(candidates, 1)?.into_iter().map(|j| names[j].clone()).collect();
            let body = format!("contains: {}", list(g, &contained)?);
            decl.push(' ');
            decl.push_str(&block(g, &[body])?);
        }
        chunks.push(decl);
    }
    world.regions = names;
    Ok(())
}

fn actors(g: &mut Gen, world: &mut World, chunks: &mut Vec<String>) -> Result<()> {
    let count = g.int(2, ACTOR_POOL.len() as u32)? as usize;
    for (i, base) in ACTOR_POOL.iter().take(count).enumerate() {
        // An actor is nuclear when its `nuclear` capability is positive.
        let mut nuclear = false;
        let mut fields = Vec::new();
        if !world.regions.is_empty() && g.chance(2, 3)? {
            let region = if g.fault()? {
                g.pick(&WRONG_NAMES)?.to_owned()
            } else {
                world.regions[g.index(world.regions.len())?].clone()
            };
            fields.push(format!("region: {region}"));
        }
        if g.chance(4, 5)? {
            let mut entries = Vec::new();
            for d in g.subset(world.domains.len(), 1)? {
                let amount = g.amount()?;
                if world.domains[d] == "nuclear" {
                    nuclear = amount.parse::<f64>().is_ok_and(|v| v > 0.0) || amount == "1_000";
                }
                entries.push(format!("{}: {amount}", world.domains[d]));
            }
            let mut entries = shuffled(g, entries)?;
            if g.fault()? {
                entries.push(format!("{}: 1", g.pick(&WRONG_NAMES)?));
            }
            fields.push(format!("capability {}", block(g, &entries)?));
        }
        if g.chance(1, 2)? {
            fields.push(format!("resolve: {}", g.probability()?));
        }
        let mut decl = format!("actor {base}");
        if g.chance(1, 2)? {
            decl.push(' ');
            decl.push_str(&g.label(&format!("Actor {i}"))?);
        }
        if !fields.is_empty() || g.chance(1, 4)? {
            let fields = shuffled(g, fields)?;
            decl.push(' ');
            decl.push_str(&block(g, &fields)?);
        }
        chunks.push(decl);
        world.actors.push(Actor { name: (*base).to_owned(), nuclear });
    }
    Ok(())
}

fn actor_name(g: &mut Gen, world: &World) -> Result<String> {
    if g.fault()? {
        return Ok(g.pick(&WRONG_NAMES)?.to_owned());
    }
    let i = g.index(world.actors.len())?;
    Ok(world.actors[i].name.clone())
}

/// The fields shared by obligations and commitments. `acting` are the
/// actors that may have to respond (for the nuclear-response rule);
/// `members` the alliance's members, for `except`.
fn terms(g: &mut Gen, world: &World, context: Context, acting: &[usize], members: &[usize]) -> Result<Vec<String>> {
    let mut fields = Vec::new();
    if g.chance(2, 3)? {
        fields.push(format!("when: {}", condition::condition(g, world, context, 3)?));
    }
    if g.chance(1, 2)? {
        let picked: Vec<String> =
            g.subset(world.domains.len(), 1)?.into_iter().map(|d| world.domains[d].clone()).collect();
        let domains = if picked.len() == 1 && g.chance(1, 2)? { picked[0].clone() } else { list(g, &picked)? };
        fields.push(format!("domains: {domains}"));
    }
    if g.chance(1, 2)? {
        let mut response = rung(g, &world.ladder)?;
        // Only actors with nuclear capability may respond at the `nuclear` rung.
        if response == "nuclear" && !acting.iter().all(|&a| world.actors[a].nuclear) && !g.fault()? {
            response = world.ladder[0].clone();
        }
        fields.push(format!("response: {response}"));
    }
    if g.chance(1, 2)? {
        let mut credibility = format!("credibility: {}", g.probability()?);
        if !members.is_empty() && g.chance(1, 3)? {
            let mut entries = Vec::new();
            for m in g.subset(members.len(), 1)? {
                entries.push(format!("{}: {}", world.actors[members[m]].name, g.probability()?));
            }
            credibility.push_str(" except ");
            credibility.push_str(&block(g, &entries)?);
        }
        fields.push(credibility);
    }
    validity(g, &mut fields)?;
    if g.chance(1, 4)? {
        fields.push(format!("interoperability: {}", g.probability()?));
    }
    shuffled(g, fields)
}

/// `since` and `until`, in order unless a fault swaps them.
fn validity(g: &mut Gen, fields: &mut Vec<String>) -> Result<()> {
    let since = g.int(1900, 2030)?;
    let until = g.int(since, 2100)?;
    let (since, until) = if g.fault()? { (until + 1, since) } else { (since, until) };
    if g.chance(1, 3)? {
        fields.push(format!("since: {since}"));
    }
    if g.chance(1, 4)? {
        fields.push(format!("until: {until}"));
    }
    Ok(())
}

fn alliance(g: &mut Gen, world: &World, number: u32, chunks: &mut Vec<String>) -> Result<String> {
    let name = format!("Pact{number}");
    let minimum = if g.fault()? { 1 } else { 2 };
    let members = g.subset(world.actors.len(), minimum)?;
    let names: Vec<String> = members.iter().map(|&m| world.actors[m].name.clone()).collect();
    let mut items = vec![format!("members: {}", list(g, &names)?)];
    validity(g, &mut items)?;
    if g.chance(1, 3)? {
        items.push(format!("interoperability: {}", g.probability()?));
    }
    let kinds = ["defend", "join", "consult", "neutral", "nonaggression"];
    for o in 0..g.int(0, 4)? {
        let kind = g.pick(&kinds)?;
        let mut obligation = String::new();
        if g.chance(1, 3)? {
            obligation.push_str("/// What the members promise.\n  ");
        }
        obligation.push_str(&format!("obligation article{o} {kind}"));
        if g.chance(3, 4)? {
            let fields = terms(g, world, Context::Obligation, &members, &members)?;
            obligation.push(' ');
            obligation.push_str(&block(g, &fields)?);
        }
        items.push(obligation);
    }
    let items = shuffled(g, items)?;
    let label = if g.chance(1, 2)? { format!(" {}", g.label("An alliance")?) } else { String::new() };
    chunks.push(format!("alliance {name}{label} {}", block(g, &items)?));
    Ok(name)
}

fn commitment(g: &mut Gen, world: &World, alliances: &[String], number: u32) -> Result<String> {
    let acting = g.index(world.actors.len())?;
    let kind = g.pick(&["defends", "attacks", "consults", "neutral", "nonaggression"])?;
    let target = if !alliances.is_empty() && g.chance(1, 4)? {
        alliances[g.index(alliances.len())?].clone()
    } else if g.fault()? {
        g.pick(&WRONG_NAMES)?.to_owned()
    } else {
        world.actors[g.index(world.actors.len())?].name.clone()
    };
    let context = if g.fault()? { Context::Obligation } else { Context::Commitment };
    let space = g.space()?;
    let mut decl = format!("commitment c{number}:{space}{} {kind} {target}", world.actors[acting].name);
    if g.chance(3, 4)? {
        let fields = terms(g, world, context, &[acting], &[])?;
        decl.push(' ');
        decl.push_str(&block(g, &fields)?);
    }
    Ok(decl)
}

/// `threat A -> T` or `-> [T, U]`; records (aggressor, targets) for gap
/// expectations.
fn threat(g: &mut Gen, world: &World, threats: &mut Vec<(String, Vec<String>)>) -> Result<String> {
    let aggressor = actor_name(g, world)?;
    let targets: Vec<String> =
        g.subset(world.actors.len(), 1)?.into_iter().map(|t| world.actors[t].name.clone()).collect();
    let written = if targets.len() == 1 && g.chance(1, 2)? { targets[0].clone() } else { list(g, &targets)? };
    let mut decl = format!("threat {aggressor} -> {written}");
    if g.chance(1, 2)? {
        let domains: Vec<String> =
            g.subset(world.domains.len(), 1)?.into_iter().map(|d| world.domains[d].clone()).collect();
        let field = format!("domains: {}", list(g, &domains)?);
        decl.push(' ');
        decl.push_str(&block(g, &[field])?);
    }
    threats.push((aggressor, targets));
    Ok(decl)
}

fn scenario(g: &mut Gen, world: &World, number: u32, names: &mut Vec<String>) -> Result<String> {
    let name = format!("s{number}");
    let mut openings = Vec::new();
    for _ in 0..g.int(1, 3)? {
        let aggressor = actor_name(g, world)?;
        let victim = actor_name(g, world)?;
        let mut clauses = Vec::new();
        if g.chance(1, 2)? {
            let domains: Vec<String> =
                g.subset(world.domains.len(), 1)?.into_iter().map(|d| world.domains[d].clone()).collect();
            let written = if domains.len() == 1 && g.chance(1, 2)? { domains[0].clone() } else { list(g, &domains)? };
            clauses.push(format!("in {written}"));
        }
        if g.chance(1, 2)? {
            clauses.push(format!("at {}", rung(g, &world.ladder)?));
        }
        if g.chance(1, 4)? {
            clauses.push("provoked".to_owned());
        }
        let clauses = shuffled(g, clauses)?;
        let space = g.space()?;
        openings.push(format!("{aggressor} attacks{space}{victim} {}", clauses.join(" ")).trim_end().to_owned());
    }
    let label = if g.chance(1, 2)? { format!(" {}", g.label("A scenario")?) } else { String::new() };
    names.push(name.clone());
    Ok(format!("scenario {name}{label} {}", block(g, &openings)?))
}

/// An `expect` line of any kind, or None when nothing can be expected yet.
fn expectation(
    g: &mut Gen,
    world: &World,
    scenarios: &[String],
    threats: &[(String, Vec<String>)],
) -> Result<Option<String>> {
    let gap = threats.is_empty() || scenarios.is_empty() || g.chance(1, 3)?;
    if gap && !threats.is_empty() {
        let (aggressor, targets) = &threats[g.index(threats.len())?];
        let target = &targets[g.index(targets.len())?];
        let domain = if g.chance(1, 2)? {
            format!(" in {}", world.domains[g.index(world.domains.len())?])
        } else {
            String::new()
        };
        let reason = g.pick(&["", ": no_umbrella", ": uncovered", ": excluded", ": hollow", ": outmatched"])?;
        return Ok(Some(if g.chance(1, 3)? {
            format!("expect no gap {aggressor} -> {target}{domain}")
        } else {
            format!("expect gap {aggressor} -> {target}{domain}{reason}")
        }));
    }
    if scenarios.is_empty() {
        return Ok(None);
    }
    let scenario = if g.fault()? { "nowhere".to_owned() } else { scenarios[g.index(scenarios.len())?].clone() };
    let actor = actor_name(g, world)?;
    let rung = rung(g, &world.ladder)?;
    let outcome = match g.int(0, 6)? {
        0 => format!("{actor} joins"),
        1 => format!("{actor} stays out"),
        2 => format!("reaches {rung}"),
        3 => format!("not reaches {rung}"),
        other => {
            let inner = match other {
                4 => format!("{actor} joins"),
                5 => format!("{actor} stays out"),
                _ => format!("reaches {rung}"),
            };
            let comparison = g.pick(&["<", "<=", ">", ">="])?;
            format!("P({inner}) {comparison} {}", g.probability()?)
        }
    };
    Ok(Some(format!("expect {scenario}: {outcome}")))
}
