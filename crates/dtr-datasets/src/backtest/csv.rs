//! `dtr backtest --format csv`: one row per state-war pair.

use super::{Side, WarRun};
use std::fmt::Write;

/// The header and one row per pair of `runs`, in war order.
pub fn render(runs: &[WarRun]) -> String {
    let side = |s: Option<Side>| s.map_or("", Side::name);
    let mut out = String::from("war,war_name,start,era,ccode,state,p,side,joined,joined_side,defence_ally\n");
    for r in runs {
        for p in &r.pairs {
            let _ = writeln!(
                out,
                "{},\"{}\",{},{},{},{},{},{},{},{},{}",
                r.number,
                r.name.replace('"', "\"\""),
                r.start,
                r.era.label(),
                p.ccode,
                p.state,
                p.p,
                side(p.side),
                u8::from(p.joined),
                side(p.joined_side),
                u8::from(p.defence_ally)
            );
        }
    }
    out
}
