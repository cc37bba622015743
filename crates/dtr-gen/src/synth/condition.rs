//! Conditions (§4) of every form: attack atoms with any set of clauses in
//! any order, `war between`, `war with`, `threat_to`, and `not`, `and`,
//! `or` and parentheses nested up to a drawn depth.

use super::Gen;
use super::declarations::World;
use arbitrary::Result;

/// Where a condition stands: `member` is only valid in an obligation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Context {
    Obligation,
    Commitment,
}

pub(super) fn condition(g: &mut Gen, world: &World, context: Context, depth: u32) -> Result<String> {
    if depth == 0 || g.chance(1, 2)? {
        return atom(g, world, context);
    }
    Ok(match g.int(0, 3)? {
        0 => {
            let nots = "not ".repeat(g.int(1, 3)? as usize);
            format!("{nots}{}", condition(g, world, context, depth - 1)?)
        }
        1 => format!("({})", condition(g, world, context, depth - 1)?),
        other => {
            let operator = if other == 2 { "and" } else { "or" };
            let mut parts = Vec::new();
            for _ in 0..g.int(2, 3)? {
                parts.push(condition(g, world, context, depth - 1)?);
            }
            let space = g.space()?;
            parts.join(&format!("{space}{operator} "))
        }
    })
}

fn atom(g: &mut Gen, world: &World, context: Context) -> Result<String> {
    Ok(match g.int(0, 5)? {
        0 => format!("war between {} and {}", parties(g, world, context)?, parties(g, world, context)?),
        1 => format!("war with {}", parties(g, world, context)?),
        2 => format!("threat_to {}", parties(g, world, context)?),
        _ => attack(g, world, context)?,
    })
}

/// `[unprovoked] [opening] attack` with each clause at most once (a repeated clause
/// is an error), in a drawn order.
fn attack(g: &mut Gen, world: &World, context: Context) -> Result<String> {
    let mut clauses = Vec::new();
    if g.chance(1, 2)? {
        clauses.push(format!("on {}", parties(g, world, context)?));
    }
    if g.chance(1, 2)? {
        clauses.push(format!("by {}", parties(g, world, context)?));
    }
    if g.chance(1, 3)? {
        clauses.push(format!("in {}", names(g, &world.domains)?));
    }
    if !world.regions.is_empty() && g.chance(1, 3)? {
        clauses.push(format!("within {}", names(g, &world.regions)?));
    }
    if !world.ladder.is_empty() && g.chance(1, 3)? {
        let at_least = if g.chance(1, 2)? { ">= " } else { "" };
        let rung = &world.ladder[g.index(world.ladder.len())?];
        clauses.push(format!("at {at_least}{rung}"));
    }
    for i in (1..clauses.len()).rev() {
        let j = g.index(i + 1)?;
        clauses.swap(i, j);
    }
    if g.fault()? && !clauses.is_empty() {
        clauses.push(clauses[0].clone());
    }
    let unprovoked = if g.chance(1, 3)? { "unprovoked " } else { "" };
    let opening = if g.chance(1, 4)? { "opening " } else { "" };
    Ok(format!("{unprovoked}{opening}attack {}", clauses.join(" ")).trim_end().to_owned())
}

/// `member`, `any`, one actor or a list of actors.
fn parties(g: &mut Gen, world: &World, context: Context) -> Result<String> {
    if context == Context::Obligation && g.chance(1, 3)? {
        return Ok("member".to_owned());
    }
    if g.chance(1, 6)? {
        return Ok("any".to_owned());
    }
    let actors: Vec<String> = world.actors.iter().map(|a| a.name.clone()).collect();
    names(g, &actors)
}

/// One name or a list of them, drawn from `pool` (which is never empty).
fn names(g: &mut Gen, pool: &[String]) -> Result<String> {
    let picked: Vec<String> = g.subset(pool.len(), 1)?.into_iter().map(|i| pool[i].clone()).collect();
    Ok(if picked.len() == 1 && g.chance(1, 2)? { picked[0].clone() } else { format!("[{}]", picked.join(", ")) })
}
