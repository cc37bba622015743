//! One CSV row per attack, in rank order, for spreadsheets and scripts.
//! Columns: rank, aggressor, victim, seed, entrants, top_rung, capped,
//! method, samples, expected_entrants with its 95% bounds, one `p_RUNG`
//! column per rung of the ladder, then the gap domains (`;`-separated) and
//! the lowest gap ratio. Cells without a value (no probabilities, exact
//! bounds, no gap) are empty. Numbers are rounded to [`DECIMALS`] places
//! (JSON keeps them whole): `0.765`, not `0.7649999999999891`.

use super::SweepReport;
use crate::analysis::probability::Method;

/// Decimal places of every number: far below a Monte Carlo interval's
/// width, far above the rounding error of an exact sum.
pub const DECIMALS: usize = 6;

/// `x` rounded to [`DECIMALS`] places, without trailing zeros (nor `-0`).
fn decimal(x: f64) -> String {
    let text = format!("{x:.DECIMALS$}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
    if text == "-0" { "0".to_string() } else { text.to_string() }
}

pub fn render(report: &SweepReport) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "rank",
        "aggressor",
        "victim",
        "seed",
        "entrants",
        "top_rung",
        "capped",
        "method",
        "samples",
        "expected_entrants",
        "expected_entrants_low",
        "expected_entrants_high",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    header.extend(report.settings.ladder.iter().map(|r| format!("p_{r}")));
    header.extend(["gap_domains".to_string(), "lowest_gap_ratio".to_string()]);
    w.write_record(&header)?;
    let number = |x: Option<f64>| x.map_or(String::new(), decimal);
    for a in &report.attacks {
        let (method, samples) = match &a.method {
            Some(Method::Exact { .. }) => ("exact", String::new()),
            Some(Method::MonteCarlo { samples, .. }) => ("monte_carlo", samples.to_string()),
            None => ("", String::new()),
        };
        let interval = a.expected_entrants.and_then(|e| e.interval);
        let mut row = vec![
            a.rank.to_string(),
            a.aggressor.clone(),
            a.victim.clone(),
            a.seed.to_string(),
            a.entrants.to_string(),
            a.top_rung.clone().unwrap_or_default(),
            a.capped.to_string(),
            method.to_string(),
            samples,
            number(a.expected_entrants.map(|e| e.value)),
            number(interval.map(|i| i.low)),
            number(interval.map(|i| i.high)),
        ];
        if a.rungs.is_empty() {
            row.extend(report.settings.ladder.iter().map(|_| String::new()));
        } else {
            row.extend(a.rungs.iter().map(|r| decimal(r.reached.value)));
        }
        row.push(a.gaps.iter().map(|g| g.domain.as_str()).collect::<Vec<_>>().join(";"));
        row.push(number(a.gaps.iter().map(|g| g.ratio).reduce(f64::min)));
        w.write_record(&row)?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn numbers_are_rounded_to_six_places_without_trailing_zeros() {
        let shown: Vec<String> =
            [0.7649999999999891, 1.0, 0.0, -0.0, -1e-9, 2.5e-7, 1234.5678901, 1e20].into_iter().map(decimal).collect();
        assert_eq!(shown, ["0.765", "1", "0", "0", "0", "0", "1234.56789", "100000000000000000000"]);
    }
}
