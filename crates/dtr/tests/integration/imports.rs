//! Imports: relative paths, each file loaded once, cycles named in full,
//! missing files at the import's span, long chains without recursion.

use crate::common;

use dtr::check::{self, Reader};
use dtr::diagnostic::Code;
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn relative_paths_and_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "lib/actors.dtr", "actor A\nactor B\n");
    write(dir.path(), "lib/alliance.dtr", "import \"actors.dtr\"\nalliance X { members: [A, B] }\n");
    write(
        dir.path(),
        "main.dtr",
        "import \"lib/actors.dtr\"\nimport \"lib/alliance.dtr\"\nscenario s { A attacks B }\n",
    );
    let checked = check::check_path(&dir.path().join("main.dtr")).unwrap();
    assert_eq!(common::codes(&checked), vec![]);
    assert_eq!(checked.sources.len(), 3, "actors.dtr is loaded once although imported twice");
    assert_eq!(checked.program.actors.len(), 2);
}

#[test]
fn a_cycle_is_named_in_full() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.dtr", "import \"b.dtr\"\nactor A\n");
    write(dir.path(), "b.dtr", "import \"c.dtr\"\nactor B\n");
    write(dir.path(), "c.dtr", "import \"a.dtr\"\nactor C\n");
    let root = dir.path().join("a.dtr");
    let checked = check::check_path(&root).unwrap();
    let d = checked.diagnostics.iter().find(|d| d.code == Code::E0005).expect("a cycle error");
    let names: Vec<String> =
        ["a", "b", "c", "a"].iter().map(|n| dir.path().join(format!("{n}.dtr")).display().to_string()).collect();
    assert_eq!(d.message, format!("import cycle: {}", names.join(" → ")));
    assert_eq!(checked.sources.name(d.primary.span.file), dir.path().join("c.dtr").display().to_string());
    assert_eq!(checked.sources.slice(d.primary.span), "\"a.dtr\"");
}

#[test]
fn self_import_and_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "self.dtr", "import \"self.dtr\"\nimport \"nowhere.dtr\"\nimport \".\"\n");
    let checked = check::check_path(&dir.path().join("self.dtr")).unwrap();
    assert_eq!(common::codes(&checked), vec![Code::E0005, Code::E0006, Code::E0006]);
    assert!(checked.diagnostics[1].message.contains("cannot import `nowhere.dtr`: no such file"));
    assert!(checked.diagnostics[2].message.contains("directory"), "{}", checked.diagnostics[2].message);
}

#[test]
fn a_chain_of_ten_thousand_files() {
    let dir = tempfile::tempdir().unwrap();
    let n = 10_000;
    for i in 0..n {
        let next = if i + 1 < n { format!("import \"f{}.dtr\"\n", i + 1) } else { String::new() };
        write(dir.path(), &format!("f{i}.dtr"), &format!("{next}actor A{i}\n"));
    }
    let checked = check::check_path(&dir.path().join("f0.dtr")).unwrap();
    assert_eq!(checked.program.actors.len(), n);
    assert_eq!(checked.sources.len(), n);
    // Declarations of an imported file stand where it is imported: the deepest first.
    assert_eq!(*checked.program.actors[0].name, format!("A{}", n - 1));
}

/// Issue 22: every file of a chain also imports the first, so each closes
/// a cycle through all the files before it. Naming each cycle in full made
/// the messages' length the square of the chain (24,000 two-line files ran
/// out of memory); a long cycle is named by its ends around a count.
#[test]
fn thousands_of_cycles_through_a_chain_have_short_messages() {
    let dir = tempfile::tempdir().unwrap();
    let n = check::MAX_DIAGNOSTICS;
    for i in 0..n {
        let next = if i + 1 < n { format!("import \"f{}.dtr\"\n", i + 1) } else { String::new() };
        write(dir.path(), &format!("f{i}.dtr"), &format!("{next}import \"f0.dtr\"\n"));
    }
    let checked = check::check_path(&dir.path().join("f0.dtr")).unwrap();
    let cycles: Vec<&str> =
        checked.diagnostics.iter().filter(|d| d.code == Code::E0005).map(|d| d.message.as_str()).collect();
    assert_eq!(cycles.len(), check::MAX_DIAGNOSTICS);
    let name = |i: usize| dir.path().join(format!("f{i}.dtr")).display().to_string();
    // The deepest file closes the longest cycle, through all 1,000 files.
    let longest = [
        name(0),
        name(1),
        name(2),
        name(3),
        "… 993 more files …".to_string(),
        name(997),
        name(998),
        name(999),
        name(0),
    ];
    assert!(cycles.contains(&format!("import cycle: {}", longest.join(" → ")).as_str()), "{:?}", &cycles[..3]);
    let longest_message = cycles.iter().map(|m| m.len()).max().unwrap();
    assert!(longest_message < 10 * name(999).len() + 100, "{longest_message} bytes");
}

/// A reader that serves one file larger than the limit, without a disk.
struct Huge;

impl Reader for Huge {
    fn read(&self, _: &Path) -> std::io::Result<Vec<u8>> {
        Ok(vec![b' '; check::load::MAX_FILE_BYTES + 1])
    }
}

#[test]
fn files_over_the_limit_are_refused() {
    let checked = check::check_with(Path::new("huge.dtr"), None, &Huge).unwrap();
    assert_eq!(common::codes(&checked), vec![Code::E0021]);
    assert!(checked.diagnostics[0].message.contains("64 MiB"));
}
