//! The readable sweep report: the ranked attacks as a table (the first
//! `top`), then the most exposed targets. Only reads the [`SweepReport`].

use super::{AttackReport, ExposureReport, SweepReport};
use crate::analysis::expectations::percent;
use crate::analysis::probability::Method;
use crate::report::text::table;
use std::fmt::Write;

/// `top`: how many attacks to list (0: all).
pub fn render(report: &SweepReport, top: usize) -> String {
    let mut out = String::new();
    let s = &report.settings;
    let period = s.period.as_deref().map_or("every provision in force".to_string(), |p| format!("analysed for {p}"));
    let _ = writeln!(out, "{}: {} directed attacks at {}, {period}", report.file, report.total, s.opening);
    if let Some(shard) = report.shard {
        let _ = writeln!(
            out,
            "shard {shard}: {} of the attacks; ranks and exposures cover this shard only",
            report.attacks.len()
        );
    }
    let probabilities = if s.probabilities {
        methods(&report.attacks)
    } else {
        "not evaluated (--no-probabilities): ranked by the all-honoured cascade".to_string()
    };
    let _ = writeln!(out, "probabilities: {probabilities}");
    if report.attacks.iter().any(|a| a.capped) {
        let _ = writeln!(out, "warning: some cascades reached the event limit and were cut short (marked capped)");
    }
    out.push('\n');
    attacks(&mut out, report, top);
    out.push('\n');
    exposed(&mut out, &report.exposed, s.deterrence_ratio);
    out
}

/// How the attacks' probabilities were computed, with the samples drawn
/// (the work budget may stop sampling before the samples requested).
fn methods(attacks: &[AttackReport]) -> String {
    let sampled: Vec<(u64, u64)> = attacks
        .iter()
        .filter_map(|a| match a.method {
            Some(Method::MonteCarlo { samples, requested, .. }) => Some((samples, requested)),
            _ => None,
        })
        .collect();
    let exact = attacks.len() - sampled.len();
    let Some(&(_, requested)) = sampled.first() else { return "exact for every attack".to_string() };
    let (fewest, most) = sampled.iter().fold((u64::MAX, 0), |(lo, hi), &(n, _)| (lo.min(n), hi.max(n)));
    let stopped = sampled.iter().filter(|&&(n, r)| n < r).count();
    let drawn = if stopped == 0 {
        format!("{requested} samples each")
    } else {
        let range = if fewest == most { fewest.to_string() } else { format!("{fewest} to {most}") };
        format!("{requested} samples requested, {range} drawn (the work budget stopped {stopped} of them early)")
    };
    let attacks = |n: usize| if n == 1 { "1 attack".to_string() } else { format!("{n} attacks") };
    format!(
        "exact for {}, Monte Carlo for {} (marked ~; 95% intervals in JSON and CSV): {drawn}",
        attacks(exact),
        sampled.len()
    )
}

fn attacks(out: &mut String, report: &SweepReport, top: usize) {
    let s = &report.settings;
    let shown = if top == 0 { report.attacks.len() } else { top.min(report.attacks.len()) };
    // Rungs up to the opening rung are reached by every attack.
    let above = s.ladder.iter().position(|r| *r == s.opening).map_or(0, |i| i + 1);
    let mut header = vec!["rank", "attack"];
    let mut right = vec![0];
    if s.probabilities {
        let _ = writeln!(out, "Attacks, most expected entrants first; P(reaching) each rung above {}:", s.opening);
        header.push("expected entrants");
        right.extend(2..3 + s.ladder.len() - above);
        header.extend(s.ladder[above..].iter().map(String::as_str));
    } else {
        let _ = writeln!(out, "Attacks, most entrants first:");
    }
    header.extend(["all honoured", "gaps"]);
    let rows = report.attacks[..shown]
        .iter()
        .map(|a| {
            let mut row = vec![a.rank.to_string(), format!("{} → {}", a.aggressor, a.victim)];
            if s.probabilities {
                let mark = if matches!(a.method, Some(Method::MonteCarlo { .. })) { "~" } else { "" };
                row.push(a.expected_entrants.map_or(String::new(), |e| format!("{mark}{:.2}", e.value)));
                row.extend(a.rungs.iter().skip(above).map(|r| format!("{mark}{}", percent(r.reached.value))));
            }
            row.push(all_honoured(a));
            row.push(a.gaps.iter().map(|g| g.domain.as_str()).collect::<Vec<_>>().join(", "));
            row
        })
        .collect();
    out.push_str(&table(&header, &right, rows));
    let hidden = report.attacks.len() - shown;
    if hidden > 0 {
        let _ = writeln!(out, "  … {hidden} more (--top 0 lists every attack)");
    }
}

/// `5 to nuclear`: entrants and top rung when every commitment is honoured.
fn all_honoured(a: &AttackReport) -> String {
    let top = a.top_rung.as_deref().unwrap_or("-");
    let capped = if a.capped { " (capped)" } else { "" };
    format!("{} to {top}{capped}", a.entrants)
}

fn exposed(out: &mut String, exposed: &[ExposureReport], threshold: f64) {
    if exposed.is_empty() {
        let _ = writeln!(out, "No deterrence gaps: every target can deter every aggressor swept (ratio {threshold}).");
        return;
    }
    let _ = writeln!(out, "Most exposed targets (deterrence gap: ratio below {threshold}):");
    let rows = exposed
        .iter()
        .map(|t| {
            let against: Vec<String> = t
                .aggressors
                .iter()
                .map(|e| format!("{} ({} {:.2})", e.aggressor, e.domains.join(", "), e.lowest_ratio))
                .collect();
            vec![t.target.clone(), t.aggressors.len().to_string(), format!("{:.2}", t.lowest_ratio), against.join("; ")]
        })
        .collect();
    out.push_str(&table(
        &["target", "aggressors", "lowest ratio", "gaps against (domains, lowest ratio)"],
        &[1, 2],
        rows,
    ));
}

#[cfg(test)]
mod tests {
    use super::{AttackReport, methods};
    use crate::analysis::probability::Method;

    fn attack(method: Method) -> AttackReport {
        AttackReport {
            rank: 1,
            aggressor: "A".into(),
            victim: "B".into(),
            seed: 0,
            entrants: 2,
            top_rung: None,
            method: Some(method),
            expected_entrants: None,
            rungs: Vec::new(),
            capped: false,
            gaps: Vec::new(),
        }
    }

    /// The header states the samples drawn, which the work budget can cut
    /// below those requested.
    #[test]
    fn the_header_states_the_samples_drawn() {
        let exact = attack(Method::Exact { leaves: 2, relevant: 1 });
        let sampled = |samples| attack(Method::MonteCarlo { samples, requested: 1000, seed: 1 });
        assert_eq!(methods(&[exact.clone(), exact.clone()]), "exact for every attack");
        assert_eq!(
            methods(&[exact.clone(), sampled(1000), sampled(1000)]),
            "exact for 1 attack, Monte Carlo for 2 (marked ~; 95% intervals in JSON and CSV): 1000 samples each"
        );
        assert_eq!(
            methods(&[sampled(1000), sampled(96), sampled(40)]),
            "exact for 0 attacks, Monte Carlo for 3 (marked ~; 95% intervals in JSON and CSV): \
             1000 samples requested, 40 to 1000 drawn (the work budget stopped 2 of them early)"
        );
    }
}
