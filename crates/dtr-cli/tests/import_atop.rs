//! `dtr import atop` over the real ATOP 5.0 data in `data/`
//! (the project's copy, data/README.md): catalogues check clean for every year and
//! a sample of exact days, snapshots pin a few dates, the output is in
//! `dtr fmt`'s layout, and bad rows are reported with their line.

use datasets::{Coverage, Inputs, Loaded, Table, day::Day};
use dtr::check;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The repository's root: data/, docs/ and examples/ are there.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("the workspace").to_path_buf()
}

fn data(file: &str) -> PathBuf {
    root().join("data").join(file)
}

fn table(file: &str) -> Table {
    let text = std::fs::read(data(file)).unwrap_or_else(|e| panic!("read data/{file}: {e}"));
    Table::new(file, text)
}

fn inputs(command: &str) -> Inputs {
    Inputs {
        members: table("atop5_0m.csv"),
        alliances: table("atop5_0a.csv"),
        states: table("states2016.csv"),
        capabilities: None,
        command: command.to_string(),
    }
}

/// The real data, read once for all tests.
fn real() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| datasets::load(inputs("dtr import atop (test)")).expect("the real files have every column"))
}

/// The diagnostics of a scenario file that imports `catalogue` (errors in
/// the catalogue included; W0001 does not apply to an imported library).
fn check_imported(dir: &Path, catalogue: &str) -> Vec<String> {
    std::fs::create_dir_all(dir).expect("create dir");
    std::fs::write(dir.join("catalog.dtr"), catalogue).expect("write catalogue");
    let root = dir.join("scenario.dtr");
    std::fs::write(&root, "import \"catalog.dtr\"\n").expect("write root");
    let checked = check::check_path(&root).expect("read");
    checked.diagnostics.iter().map(|d| format!("{}: {}", d.code.as_str(), d.message)).collect()
}

/// Annam (8152, in ATOP 1320) is a member COW does not list: the data's
/// choice, a warning, not a bad row.
#[test]
fn the_real_data_has_one_warning_and_no_bad_row() {
    let problems: Vec<(String, bool)> = real().problems.iter().map(|p| (p.to_string(), p.warning)).collect();
    assert_eq!(
        problems,
        [(
            "atop5_0m.csv:203: unknown state code 8152 in `member` (not in the COW state list); row skipped"
                .to_string(),
            true
        )]
    );
}

/// Every year of the data (`--year`), every tenth day on which the alliance
/// system changes (`--date`), and the whole data set: no errors. (Every
/// change day, 1,324 of them, takes too long for the suite in a debug
/// build; the sample covers each era, and a unit test in src/datasets/atop.rs
/// shows that every day's catalogue is the undated one's spans in force.) W0006 — an attack plan
/// against a nonaggression partner — is a finding about the treaties, so it
/// is allowed.
#[test]
fn catalogues_check_clean_for_every_year_and_a_sample_of_days() {
    let days = real().change_days();
    assert!(days.len() > 1_300, "{} change days", days.len());
    let mut periods: Vec<Coverage> = (1815..=2018).map(Coverage::Year).collect();
    periods.extend(days.iter().step_by(10).map(|&d| Coverage::Day(d)));
    periods.push(Coverage::All);
    let tmp = tempfile::tempdir().expect("tempdir");
    let failures: Vec<String> = periods
        .par_iter()
        .enumerate()
        .filter_map(|(i, &period)| {
            let imported = real().catalogue(period).expect("catalogue");
            let found = check_imported(&tmp.path().join(i.to_string()), &imported.text);
            let unexpected: Vec<&String> = found.iter().filter(|d| !d.starts_with("W0006")).collect();
            (!unexpected.is_empty()).then(|| format!("{period:?}: {unexpected:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} periods fail:\n{}", failures.len(), periods.len(), failures.join("\n"));
}

/// The header (up to the first blank line) and every block that mentions
/// one of `codes` as a whole word: small enough to review.
fn slice(text: &str, codes: &[&str]) -> String {
    let mut blocks = text.split("\n\n");
    let mut out = blocks.next().unwrap_or_default().to_string();
    out.push_str("\n\n");
    let word =
        |block: &str, code: &str| block.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').any(|w| w == code);
    for block in blocks.filter(|b| b.starts_with("///") && codes.iter().any(|c| word(b, c))) {
        out.push_str(block.trim_end());
        out.push_str("\n\n");
    }
    out
}

fn day(text: &str) -> Coverage {
    Coverage::Day(Day::parse(text).expect("a real day"))
}

#[test]
fn snapshot_july_1914_whole_catalogue() {
    let imported = real().catalogue(day("1914-07-28")).expect("catalogue");
    insta::assert_snapshot!("atop_1914_07_28", imported.text);
}

#[test]
fn snapshot_september_1939_great_powers() {
    let imported = real().catalogue(day("1939-09-01")).expect("catalogue");
    insta::assert_snapshot!("atop_1939_09_01", slice(&imported.text, &["GMY", "POL", "UKG", "FRN"]));
}

#[test]
fn snapshot_april_1949_north_atlantic() {
    let imported = real().catalogue(day("1949-04-04")).expect("catalogue");
    insta::assert_snapshot!("atop_1949_04_04", slice(&imported.text, &["USA", "UKG"]));
}

/// The output is already in `dtr fmt`'s canonical layout, so
/// `dtr fmt --check` accepts it.
#[test]
fn every_atop_id_appears_in_a_comment() {
    let text = real().catalogue(Coverage::All).expect("catalogue").text;
    let ids: Vec<String> = String::from_utf8_lossy(&table("atop5_0a.csv").text)
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next().map(str::to_string))
        .collect();
    assert_eq!(ids.len(), 765);
    let comments: Vec<&str> = text.lines().map(str::trim_start).filter(|l| l.starts_with("//")).collect();
    let mentions = |id: &str| {
        let needle = format!("ATOP {id}");
        comments.iter().any(|l| {
            l.match_indices(&needle).any(|(i, _)| !l[i + needle.len()..].starts_with(|c: char| c.is_ascii_digit()))
        })
    };
    let missing: Vec<&String> = ids.iter().filter(|id| !mentions(id)).collect();
    assert!(missing.is_empty(), "ATOP ids in no comment: {missing:?}");
    assert!(
        text.contains("// Left out: ATOP 1320 from 1874-03-15 to 1883-08-25, a single member"),
        "{}",
        &text[..2000]
    );
}

#[test]
fn output_is_formatted() {
    for period in [day("1914-07-28"), day("1939-09-01"), Coverage::Year(1990), Coverage::All] {
        let text = real().catalogue(period).expect("catalogue").text;
        assert_eq!(dtr::fmt::format(&text).expect("formats"), text, "{period:?}");
    }
}

/// The approximation counts over the whole data set, as docs/import.md
/// states them.
#[test]
fn docs_state_the_counts_over_the_whole_data_set() {
    let summary = real().catalogue(Coverage::All).expect("catalogue").summary;
    let docs = std::fs::read_to_string(root().join("docs/import.md")).expect("docs/import.md");
    for (name, description) in datasets::approximations() {
        let n = summary.approximations.get(name).copied().unwrap_or(0);
        let row = format!("| `{name}` | {n} |");
        assert!(docs.contains(&row), "docs/import.md lacks the row `{row} …` ({description})");
    }
    let totals = format!(
        "{} member rows, {} alliance spans ({} obligations, {} commitments), {} states",
        summary.rows, summary.alliances, summary.obligations, summary.commitments, summary.states
    );
    assert!(docs.contains(&totals), "docs/import.md lacks `{totals}`");
    let single = format!("spans with a single member left out: {}", summary.single_member_spans.len());
    assert!(docs.contains(&single), "docs/import.md lacks `{single}`");
}

// ---------------------------------------------------------------- bad rows

const STATES: &str = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version
GMY,255,Germany,1816,1,1,1945,5,8,2016
AUH,300,Austria-Hungary,1816,1,1,1918,11,3,2016
ITA,325,Italy,1816,1,1,2016,12,31,2016
FRN,220,France,1816,1,1,2016,12,31,2016
";

const ALLIANCES: &str = "atopid,begyr,begmo,begday,endyr,endmo,endday
1,1900,1,1,1910,12,31
2,1900,1,1,0,0,0
";

const HEADER: &str = "atopid,member,phase,yrent,moent,dayent,yrexit,moexit,dayexit,ineffect,statthr1,statthr2,defense,offense,neutral,nonagg,consul,defcoadv,defcoloc,defcocon,defconum,defcodem,defconpr,offcoadv,offcoloc,offcocon,offconum,offcodem,neucoadv,neucoloc,neucocon,neuconum,neucodem,neuconpr,neucoatt,concoadv,concoloc,concocon,concoreq,olimob,obvary";

/// A member row: the ids and dates given, defense against FRN (`statthr1`
/// 220, `defcoadv`) and every other flag 0.
fn member_row(id: u32, member: &str, dates: &str, ineffect: u8, defense: &str) -> String {
    // defense, offense, neutral, nonagg, consul, defcoadv, then 23 more.
    let flags = format!("{defense},0,0,0,0,1{}", ",0".repeat(23));
    format!("{id},{member},0,{dates},{ineffect},220,0,{flags}")
}

fn synthetic(members: &[String], capabilities: Option<&str>) -> Inputs {
    let mut text = format!("{HEADER}\n");
    for m in members {
        text.push_str(m);
        text.push('\n');
    }
    Inputs {
        members: Table::new("m.csv", text.into_bytes()),
        alliances: Table::new("a.csv", ALLIANCES.as_bytes().to_vec()),
        states: Table::new("s.csv", STATES.as_bytes().to_vec()),
        capabilities: capabilities.map(|c| Table::new("c.csv", c.as_bytes().to_vec())),
        command: "dtr import atop (test)".into(),
    }
}

#[test]
fn bad_rows_are_reported_with_their_line_and_the_rest_is_written() {
    let rows = [
        member_row(1, "255", "1900,1,1,1910,12,31", 0, "1"),  // line 2: good
        member_row(1, "300", "1900,1,1,1910,12,31", 0, "1"),  // line 3: good
        member_row(1, "999", "1900,1,1,1910,12,31", 0, "1"),  // line 4: unknown state (a warning)
        member_row(1, "325", "1905,1,1,1904,12,31", 0, "1"),  // line 5: leaves before it enters
        member_row(1, "325", "1905,2,30,1910,12,31", 0, "1"), // line 6: no such day
        member_row(1, "325", "1905,1,1,1910,12,31", 0, ""),   // line 7: `defense` missing
        member_row(1, "325", "1905,1,1,1910,12,31", 0, "x"),  // line 8: `defense` not a number
        member_row(3, "325", "1905,1,1,1910,12,31", 0, "1"),  // line 9: not in the alliance file
        member_row(1, "325", "1905,1,1,0,0,0", 0, "1"),       // line 10: ineffect 0 but in force
    ];
    let imported = datasets::import(synthetic(&rows, None), Coverage::All).expect("columns present");
    let problems: Vec<String> =
        imported.problems.iter().map(|p| format!("{}{p}", if p.warning { "warning: " } else { "" })).collect();
    insta::assert_snapshot!("atop_bad_rows", problems.join("\n"));
    assert!(imported.text.contains("alliance atop1 \"ATOP 1: Germany, Austria-Hungary\""), "{}", imported.text);
    assert!(imported.text.contains("when: attack by FRN"), "{}", imported.text);
}

#[test]
fn a_missing_column_refuses_the_file() {
    let mut inputs = synthetic(&[], None);
    inputs.members = Table::new("m.csv", b"atopid,member\n1,255\n".to_vec());
    let Err(problem) = datasets::import(inputs, Coverage::All) else {
        panic!("a file without its columns must be refused")
    };
    assert!(problem.to_string().starts_with("m.csv:1: the header lacks the column(s) phase, yrent"), "{problem}");
}

#[test]
fn asymmetric_promises_become_commitments_and_dates_cut_spans() {
    let rows = [
        member_row(2, "255", "1900,1,1,0,0,0", 1, "1"),
        member_row(2, "300", "1900,1,1,1918,11,3", 0, "0"),
        member_row(2, "325", "1905,6,15,0,0,0", 1, "1"),
    ];
    let imported = datasets::import(synthetic(&rows, None), Coverage::All).expect("columns present");
    let text = &imported.text;
    // Three spans: GMY+AUH, then with ITA, then GMY+ITA after AUH left.
    for expected in [
        "alliance atop2_s1 ",
        "since: 1900-01-01\n  until: 1905-06-14",
        "alliance atop2_s2 ",
        "since: 1905-06-15\n  until: 1918-11-03",
        "alliance atop2_s3 ",
        "since: 1918-11-04\n",
        "commitment atop2_s1_defense_GMY: GMY defends atop2_s1 { when: attack by FRN }\n",
        "obligation defense defend { when: attack by FRN }\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let on_a_day = datasets::import(synthetic(&rows, None), day("1910-01-01")).expect("columns present").text;
    assert!(on_a_day.contains("alliance atop2 \"ATOP 2: Germany, Austria-Hungary, Italy\""), "{on_a_day}");
    assert!(!on_a_day.contains("atop2_s"), "{on_a_day}");
}

#[test]
fn capabilities_come_from_the_optional_csv() {
    let rows =
        [member_row(1, "255", "1900,1,1,1910,12,31", 0, "1"), member_row(1, "300", "1900,1,1,1910,12,31", 0, "1")];
    let caps = "ccode,year,land,cinc,resolve,source\n255,1900,10,0.1,,a\n255,1905,12,0.12,90%,\"b, c\"\n255,1913,14,,,\n300,1905,-1,0.05,,\n";
    let imported = datasets::import(synthetic(&rows, Some(caps)), day("1908-01-01")).expect("columns present");
    let text = &imported.text;
    assert!(text.contains("domain cinc \"cinc (from c.csv)\""), "{text}");
    assert!(
        text.contains("actor GMY \"Germany\" { capability { land: 12, cinc: 0.12 }, resolve: 90% } // COW 255\n"),
        "{text}"
    );
    let problems: Vec<String> = imported.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "c.csv:5: `land` is -1; a capability is a non-negative number; row skipped",
            "m.csv:1: no usable member row for ATOP 2 (listed in the alliance file)"
        ]
    );
}

/// COW's NMC file as published: CINC, in per mille, in the conventional
/// domains; `-9` is missing; the components and `version` are not domains.
#[test]
fn capabilities_read_cows_nmc_file_as_published() {
    let rows =
        [member_row(1, "255", "1900,1,1,1910,12,31", 0, "1"), member_row(1, "300", "1900,1,1,1910,12,31", 0, "1")];
    let caps = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\n\
                GMY,255,1904,100,-9,10,10,60000,-9,0.137512345,2021\n\
                GMY,255,1905,101,600,11,11,61000,-9,0.141234567,2021\n\
                AUH,300,1905,-9,-9,-9,-9,-9,-9,-9,2021\n\
                ITA,325,1905,1,1,1,1,1,1,1.5,2021\n";
    let imported = datasets::import(synthetic(&rows, Some(caps)), day("1906-01-01")).expect("columns present");
    let text = &imported.text;
    assert!(
        text.contains("actor GMY \"Germany\" { capability { land: 141.234567, sea: 141.234567, air: 141.234567 } }"),
        "{text}"
    );
    assert!(text.contains("actor AUH \"Austria-Hungary\" // COW 300\n"), "a missing CINC writes nothing: {text}");
    assert!(text.contains("// COW NMC: CINC x 1000"), "{text}");
    for not_a_domain in ["domain milex", "domain version", "domain cinc"] {
        assert!(!text.contains(not_a_domain), "{not_a_domain} in {text}");
    }
    let problems: Vec<String> = imported.problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems[0], "c.csv:5: `cinc` is 1.5; CINC is a share of the system, from 0 to 1; row skipped");
    assert!(problems[1..].iter().all(|p| p.starts_with("m.csv")), "no other capability problem: {problems:?}");
    let tmp = tempfile::tempdir().expect("tempdir");
    assert!(check_imported(tmp.path(), text).is_empty());
}

// ---------------------------------------------------------------- command line

fn dtr(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_dtr")).args(args).output().expect("run dtr")
}

/// The catalogue checks whatever the capabilities file holds: values the
/// language refuses are bad rows, a column given twice is read once.
#[test]
fn capabilities_the_language_refuses_are_not_written() {
    let rows =
        [member_row(1, "255", "1900,1,1,1910,12,31", 0, "1"), member_row(1, "300", "1900,1,1,1910,12,31", 0, "1")];
    let caps = "ccode,land,land,cinc,resolve\n255,1e300,1,1e15,90%\n300,2,3,-0,0.5\n";
    let imported = datasets::import(synthetic(&rows, Some(caps)), day("1905-01-01")).expect("columns present");
    let problems: Vec<(String, bool)> = imported.problems.iter().map(|p| (p.to_string(), p.warning)).collect();
    assert_eq!(
        problems[..2],
        [
            ("c.csv:1: column `land` appears twice (columns 2 and 3); the later one is ignored".to_string(), true),
            ("c.csv:2: `land` is 1e300, above the largest capability DTR accepts (1e15, E0081); rescale the column; row skipped".to_string(), false),
        ]
    );
    assert!(
        imported
            .text
            .contains("actor AUH \"Austria-Hungary\" { capability { land: 2, cinc: 0 }, resolve: 0.5 } // COW 300\n"),
        "{}",
        imported.text
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let found = check_imported(tmp.path(), &imported.text);
    assert!(found.is_empty(), "{found:?}");
    // Capabilities written as the language writes numbers (`1e3` as `1000`).
    let caps = "ccode,land,resolve\n255,1e3,90%\n";
    let text = datasets::import(synthetic(&rows, Some(caps)), day("1905-01-01")).expect("columns present").text;
    assert!(text.contains("actor GMY \"Germany\" { capability { land: 1000 }, resolve: 90% }"), "{text}");
    // A domain shares the one namespace with the states and alliances.
    let Err(problem) = datasets::import(synthetic(&rows, Some("ccode,GMY\n255,1\n")), Coverage::All) else {
        panic!("a domain named like a state must be refused")
    };
    assert_eq!(
        problem.to_string(),
        "c.csv:1: column `GMY` cannot name a domain: the catalogue names a state or an alliance so"
    );
}

/// Text from the command line or the data goes into comments and strings
/// escaped: a line break in a path would otherwise end the header comment
/// and make the rest of the path a declaration.
/// A member row of 1900-1910 with `statthr1` and the named 0/1 columns
/// set, every other flag 0.
fn flagged_row(id: u32, member: &str, threat: u32, set: &[&str]) -> String {
    let columns: Vec<&str> = HEADER.split(',').skip(12).collect();
    let flags: Vec<&str> = columns.iter().map(|c| if set.contains(c) { "1" } else { "0" }).collect();
    format!("{id},{member},0,1900,1,1,1910,12,31,0,{threat},0,{}", flags.join(","))
}

/// ATOP's offence is support "not precipitated by attack" on a partner:
/// without a named adversary it answers a war the member opens, and one
/// limited to a place (or a number of adversaries, or demands) ATOP does
/// not name is not written at all.
#[test]
fn offences_answer_the_members_opening_and_unstated_limits_are_not_written() {
    let text_against = |threat: u32, set: &[&str]| {
        let rows = [flagged_row(1, "255", threat, set), flagged_row(1, "300", threat, set)];
        datasets::import(synthetic(&rows, None), day("1905-01-01")).expect("columns present").text
    };
    let text = |set: &[&str]| text_against(0, set);
    let open = text(&["offense"]);
    assert!(open.contains("  obligation offense join { when: opening attack on any by member }\n"), "{open}");
    for limit in ["offcoloc", "offconum", "offcodem"] {
        let limited = text(&["offense", limit]);
        assert!(!limited.contains("obligation offense"), "{limit}: {limited}");
        for code in ["GMY", "AUH"] {
            let comment = format!("// ATOP 1: {code}'s own `offense` is not written (offense_limited: ");
            assert!(limited.contains(&comment), "{limit}: {limited}");
        }
        assert!(limited.contains("offense_limited 2"), "counted in the header: {limited}");
    }
    // A named adversary keeps the offence, limited or not.
    let named = text_against(220, &["offense", "offcoadv", "offcoloc"]);
    let against = "  obligation offense join { when: attack by FRN or attack by member on FRN }\n";
    assert!(named.contains(against) && !named.contains("offense_limited"), "{named}");
}

/// The offence written for the Pact of Steel fires when Germany opens a
/// war: Italy enters beside it (the record says otherwise; the catalogue
/// says what was promised, at 100% without a calibration).
#[test]
fn an_imported_offence_joins_the_members_opening_attack() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("steel.dtr");
    let catalogue = real().catalogue(day("1939-09-01")).expect("catalogue").text;
    assert!(catalogue.contains("alliance atop2445 \"ATOP 2445: Germany, Italy\""));
    std::fs::write(&file, format!("{catalogue}\nscenario steel {{ GMY attacks POL }}\n")).expect("written");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dtr"))
        .args(["analyze", "--format", "json"])
        .arg(&file)
        .output()
        .expect("run dtr");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let italy = report["scenarios"][0]["actors"]
        .as_array()
        .and_then(|a| a.iter().find(|a| a["actor"] == "ITA"))
        .expect("Italy is in the report");
    assert_eq!(italy["enters"]["value"], 1.0, "{italy}");
    assert_eq!(italy["side"], "opener");
    assert_eq!(italy["path"]["steps"][0]["commitment"], "atop2445.offense[ITA→GMY]", "{italy}");
}

#[test]
fn paths_and_names_cannot_write_declarations() {
    let rows =
        [member_row(1, "255", "1900,1,1,1910,12,31", 0, "1"), member_row(1, "300", "1900,1,1,1910,12,31", 0, "1")];
    let mut inputs = synthetic(&rows, None);
    inputs.command = "dtr import atop --members m.csv\nactor EVIL\r\u{2028}x".into();
    inputs.capabilities = Some(Table::new("caps\nactor WORSE.csv", b"ccode,power\n255,1\n".to_vec()));
    let imported = datasets::import(inputs, day("1905-01-01")).expect("columns present");
    assert!(
        imported.text.contains("// Written by: dtr import atop --members m.csv\\nactor EVIL\\r\\u{2028}x\n"),
        "{}",
        imported.text
    );
    assert!(imported.text.contains("// Capabilities: from caps\\nactor WORSE.csv.\n"), "{}", imported.text);
    assert!(imported.text.contains("domain power \"power (from caps\\nactor WORSE.csv)\""), "{}", imported.text);
    let checked = check::check_source("catalog.dtr", &imported.text);
    assert!(checked.program.actors.iter().all(|a| !["EVIL", "WORSE"].contains(&a.name.as_str())));
}

/// A quote left open, and old Mac line ends, are explained at their row.
#[test]
fn csv_quotes_left_open_and_cr_line_ends_are_explained() {
    let good =
        [member_row(1, "255", "1900,1,1,1910,12,31", 0, "1"), member_row(1, "300", "1900,1,1,1910,12,31", 0, "1")];
    let problem_at = |rows: &[String], line: &str| {
        let imported = datasets::import(synthetic(rows, None), Coverage::All).expect("columns present");
        let at = format!("m.csv:{line}: ");
        imported
            .problems
            .iter()
            .map(ToString::to_string)
            .find(|p| p.starts_with(&at))
            .unwrap_or_else(|| panic!("none at {at}: {:?}", imported.problems))
    };
    // The quote opened on line 3 runs to the end of the file: too few fields.
    let open = format!("1,\"300,0,1900,1,1,1910,12,31,0,220{}", ",0".repeat(30));
    let problem = problem_at(&[good[0].clone(), open, good[1].clone()], "3");
    assert!(problem.contains("field(s) where the header has 41") && problem.contains("a quote (`\"`)"), "{problem}");
    // Closed on a later line, the fields add up: one of them spans two lines.
    let closed = format!("1,\"300\nx\",0,1900,1,1,1910,12,31,0,220{}", ",0".repeat(30));
    let problem = problem_at(&[good[0].clone(), closed, good[1].clone()], "3");
    assert!(
        problem.starts_with("m.csv:3: column `member` runs over several lines: a quote (`\"`) left open here"),
        "{problem}"
    );
    // CR-only line ends: each row keeps its own line.
    let mut inputs =
        synthetic(&[good[0].clone(), member_row(1, "999", "1900,1,1,1910,12,31", 0, "1"), good[1].clone()], None);
    inputs.members =
        Table::new("m.csv", String::from_utf8(inputs.members.text).expect("utf-8").replace('\n', "\r").into_bytes());
    let imported = datasets::import(inputs, Coverage::All).expect("columns present");
    let problems: Vec<String> = imported.problems.iter().map(ToString::to_string).collect();
    assert!(problems.iter().any(|p| p.starts_with("m.csv:3: unknown state code 999")), "{problems:?}");
    assert!(imported.text.contains("members: [GMY, AUH]"), "{}", imported.text);
}

#[test]
fn the_command_writes_the_catalogue_and_warns_of_members_cow_lacks() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out_path = tmp.path().join("atop.dtr");
    let (m, a, s) = (data("atop5_0m.csv"), data("atop5_0a.csv"), data("states2016.csv"));
    let out = dtr(&[
        "import",
        "atop",
        "--members",
        m.to_str().expect("utf-8 path"),
        "--alliances",
        a.to_str().expect("utf-8 path"),
        "--states",
        s.to_str().expect("utf-8 path"),
        "--date",
        "1914-07-28",
        "-o",
        out_path.to_str().expect("utf-8 path"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Annam (not a COW state) is a warning: exit 0, unless --strict.
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("warning: ") && stderr.contains("atop5_0m.csv:203: unknown state code 8152"), "{stderr}");
    assert!(
        stderr.contains(
            "imported: states 47, alliances 17, obligations 26, commitments 11, member rows 41; bad rows 0, warnings 1"
        ),
        "{stderr}"
    );
    let written = std::fs::read_to_string(&out_path).expect("the catalogue is written");
    assert!(
        written.starts_with(
            "// Catalogue: the ATOP 5.0 alliances in force on 1914-07-28.\n// Written by: dtr import atop --members "
        ),
        "{written}"
    );
    assert!(written.contains("alliance atop1335 \"ATOP 1335: Germany, Austria-Hungary\""), "{written}");
    let checked = check::check_path(&out_path).expect("read");
    assert!(!checked.has_errors());
    let strict = dtr(&[
        "import",
        "atop",
        "--members",
        m.to_str().expect("utf-8"),
        "--alliances",
        a.to_str().expect("utf-8"),
        "--states",
        s.to_str().expect("utf-8"),
        "--date",
        "1914-07-28",
        "--strict",
    ]);
    assert_eq!(strict.status.code(), Some(1), "--strict: warnings fail");
}

#[test]
fn the_command_refuses_bad_arguments_and_missing_files() {
    let m = data("atop5_0m.csv");
    let m = m.to_str().expect("utf-8 path");
    let out = dtr(&["import", "atop", "--members", m, "--alliances", m, "--states", "no/such/file.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read no/such/file.csv"));
    let out = dtr(&["import", "atop", "--members", m, "--alliances", m, "--states", m, "--date", "1914-02-30"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`1914-02-30` is not a real day"));
    let out = dtr(&[
        "import",
        "atop",
        "--members",
        m,
        "--alliances",
        m,
        "--states",
        m,
        "--year",
        "1914",
        "--date",
        "1914-07-28",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

/// The catalogues committed under examples/history/catalog/ are what the
/// command in their header writes today.
#[test]
fn committed_catalogues_are_up_to_date() {
    let root = root();
    for name in ["atop-1914-07-28.dtr", "atop-1939-09-01.dtr"] {
        let committed =
            std::fs::read_to_string(root.join("examples/history/catalog").join(name)).expect("committed catalogue");
        let command =
            committed.lines().nth(1).and_then(|l| l.strip_prefix("// Written by: ")).expect("header names the command");
        let words: Vec<&str> = command.split_whitespace().collect();
        let arg = |flag: &str| words.iter().position(|w| *w == flag).and_then(|i| words.get(i + 1)).copied();
        let read = |flag: &str| {
            let path = arg(flag).unwrap_or_else(|| panic!("{name}: no {flag}"));
            Table::new(path, std::fs::read(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}")))
        };
        let inputs = Inputs {
            members: read("--members"),
            alliances: read("--alliances"),
            states: read("--states"),
            capabilities: arg("--capabilities").map(|_| read("--capabilities")),
            command: command.to_string(),
        };
        let date = arg("--date").and_then(Day::parse).expect("a dated catalogue");
        // The examples set their own credibility: written at 100%.
        assert_eq!(arg("--calibration"), Some("none"), "{name}");
        let fresh = datasets::import(inputs, Coverage::Day(date)).expect("import").text;
        assert!(fresh == committed, "{name} is stale: run the command in its header");
    }
}

#[test]
fn a_date_past_the_data_says_so() {
    let text = real().catalogue(day("2020-03-01")).expect("catalogue").text;
    assert!(text.contains("// Note: ATOP 5.0 covers 1815-01-01 to 2018-12-31"), "{}", &text[..600]);
    assert!(text.contains("alliance atop3180 "), "NATO is taken to continue");
}
