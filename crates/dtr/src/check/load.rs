//! Reading a compilation: the root file and everything it imports, each file
//! once, cycles reported with the whole cycle. Work lists, not recursion, so a
//! chain of ten thousand imports costs no stack.

use super::disk::{self, Leads};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::messages::{self, TooLarge};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::{self, ast, incremental};
use std::collections::HashMap;
use std::io::{self, Read};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

/// Files larger than this are refused (E0021) rather than parsed.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Where file contents come from: the disk, or (in an editor) open buffers first.
pub trait Reader {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
}

/// Reads regular files from the file system (see [`disk::open_regular`]).
pub struct Disk;

impl Reader for Disk {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let (file, meta) = disk::open_regular(path)?;
        // A regular file says its size: one over the limit is refused unread.
        if meta.len() > MAX_FILE_BYTES as u64 {
            return Err(too_large(MAX_FILE_BYTES));
        }
        read_limited(file, MAX_FILE_BYTES, meta.len() as usize)
    }
}

/// Reads `source` (a file, standard input) whole if it holds at most
/// `limit` bytes; more is an error of kind `FileTooLarge`. At most one byte
/// past the limit is read, so `/dev/zero`, an endless pipe or a file that
/// grew since its size was read cannot exhaust memory. The buffer is sized
/// to `expected` (the file's size, if known), so a large file is not held
/// in one of up to twice its size.
pub fn read_limited(source: impl Read, limit: usize, expected: usize) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(expected.min(limit) + 1);
    source.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

fn too_large(limit: usize) -> io::Error {
    io::Error::new(io::ErrorKind::FileTooLarge, format!("larger than the {} MiB limit", limit >> 20))
}

/// The files of a compilation and the order of their declarations.
pub struct Loaded {
    pub sources: SourceMap,
    /// Indexed by `FileId`.
    pub files: Vec<ast::File>,
    /// Every declaration other than `import`, in inclusion order: an
    /// imported file's declarations stand where the first `import` of it is
    /// written. As runs of consecutive items of one file (file, item
    /// indices), so that a file of a million declarations is one entry, not
    /// a million.
    pub order: Vec<(FileId, Range<u32>)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads `root` (given as `text` if already in memory) and its imports;
/// the root is parsed with `cache` when given (see `syntax::incremental`).
/// A root read from disk must not be a symbolic link out of its folder.
pub fn load(
    root: &Path,
    text: Option<Vec<u8>>,
    reader: &dyn Reader,
    cache: Option<&mut incremental::Cache>,
) -> io::Result<Loaded> {
    let bytes = match text {
        Some(t) => t,
        None => match disk::named_inside(root).and_then(|()| reader.read(root)) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::FileTooLarge => {
                return Ok(Loaded::from_contents(root, Contents::TooLarge, reader, cache));
            }
            Err(e) => return Err(e),
        },
    };
    Ok(Loaded::from_text(root, bytes, reader, cache))
}

/// A file's bytes, or the news that they were over [`MAX_FILE_BYTES`].
enum Contents {
    Bytes(Vec<u8>),
    TooLarge,
}

impl Contents {
    fn new(bytes: Vec<u8>) -> Contents {
        if bytes.len() > MAX_FILE_BYTES { Contents::TooLarge } else { Contents::Bytes(bytes) }
    }
}

impl Loaded {
    /// How many declarations `order` lists.
    pub fn declarations(&self) -> usize {
        self.order.iter().map(|(_, run)| run.len()).sum()
    }

    /// Loads a root file whose bytes are already read, and its imports.
    pub fn from_text(
        root: &Path,
        bytes: Vec<u8>,
        reader: &dyn Reader,
        cache: Option<&mut incremental::Cache>,
    ) -> Loaded {
        Loaded::from_contents(root, Contents::new(bytes), reader, cache)
    }

    fn from_contents(
        root: &Path,
        contents: Contents,
        reader: &dyn Reader,
        cache: Option<&mut incremental::Cache>,
    ) -> Loaded {
        let mut loaded =
            Loaded { sources: SourceMap::new(), files: Vec::new(), order: Vec::new(), diagnostics: Vec::new() };
        let root_key = identity(root);
        let root_id = loaded.add(root.display().to_string(), root.to_path_buf(), contents, None, cache);
        let project = project_directory(root);
        let real_project = disk::real_folder(root);
        let project_shown = match root.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.display().to_string(),
            _ => ".".to_string(),
        };
        // Files by identity: done (fully walked) or on the walk's stack.
        let mut seen: HashMap<PathBuf, FileId> = HashMap::from([(root_key.clone(), root_id)]);
        let mut stack: Vec<(FileId, usize, PathBuf)> = vec![(root_id, 0, root_key.clone())];
        // Position on `stack` of each file being walked, for cycle detection.
        let mut on_stack: HashMap<PathBuf, usize> = HashMap::from([(root_key, 0)]);
        while let Some((file, cursor, _)) = stack.last_mut() {
            let (file, index) = (*file, *cursor);
            let Some(item) = loaded.files[file.0 as usize].items.get(index) else {
                if let Some((_, _, key)) = stack.pop() {
                    on_stack.remove(&key);
                }
                continue;
            };
            *cursor += 1;
            let ast::ItemKind::Import(import) = &item.kind else {
                let index = index as u32;
                match loaded.order.last_mut() {
                    Some((f, run)) if *f == file && run.end == index => run.end += 1,
                    _ => loaded.order.push((file, index..index + 1)),
                }
                continue;
            };
            let import = import.clone();
            let base = loaded.sources.path(file).and_then(Path::parent).unwrap_or(Path::new(""));
            let path = normalize(&base.join(&import.value));
            // Judged by its spelling first, so that nothing outside is even
            // looked at; then by where its symbolic links lead.
            let spelled_inside = absolute(&path).starts_with(&project);
            let leads = if spelled_inside { disk::leads(&path, &real_project) } else { Leads::Outside(path.clone()) };
            let real = match leads {
                Leads::Inside(real) => Some(real),
                Leads::Missing => None,
                Leads::Broken(e) => {
                    loaded.diagnostics.push(messages::e0006(&import.value, &e, &path, import.span));
                    continue;
                }
                Leads::Outside(_) => {
                    loaded.diagnostics.push(messages::e0080(
                        &import.value,
                        &project_shown,
                        spelled_inside,
                        import.span,
                    ));
                    continue;
                }
            };
            let key = real.clone().unwrap_or_else(|| path.clone());
            if let Some(&at) = on_stack.get(&key) {
                let cycle = &stack[at..];
                let cycle = cycle_text(cycle.len(), |i| loaded.sources.name(cycle[i].0));
                loaded.diagnostics.push(messages::e0005(&cycle, import.span));
                continue;
            }
            if seen.contains_key(&key) {
                continue;
            }
            // The real path, so that no link is followed again between the
            // check above and the read.
            let contents = match reader.read(real.as_deref().unwrap_or(&path)) {
                Ok(bytes) => Ok(Contents::new(bytes)),
                Err(e) if e.kind() == io::ErrorKind::FileTooLarge => Ok(Contents::TooLarge),
                Err(e) => Err(e),
            };
            match contents {
                Ok(contents) => {
                    let id = loaded.add(path.display().to_string(), path.clone(), contents, Some(import.span), None);
                    seen.insert(key.clone(), id);
                    on_stack.insert(key.clone(), stack.len());
                    stack.push((id, 0, key));
                }
                Err(e) => loaded.diagnostics.push(messages::e0006(&import.value, &e, &path, import.span)),
            }
        }
        loaded
    }

    /// Decodes and parses one file. Text that is too large or not UTF-8 is
    /// reported and the file is left empty.
    fn add(
        &mut self,
        name: String,
        path: PathBuf,
        contents: Contents,
        imported_at: Option<Span>,
        cache: Option<&mut incremental::Cache>,
    ) -> FileId {
        let (text, bad_utf8, too_large) = match contents {
            Contents::TooLarge => (String::new(), None, true),
            Contents::Bytes(bytes) => match String::from_utf8(bytes) {
                Ok(t) => (t, None, false),
                Err(e) => {
                    let at = e.utf8_error().valid_up_to();
                    (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at), false)
                }
            },
        };
        let id = self.sources.add(name, Some(path), text);
        let at_start = Span::new(id, 0, 0);
        if too_large {
            self.diagnostics.push(messages::e0021(
                TooLarge::File { limit_mib: MAX_FILE_BYTES >> 20 },
                imported_at.unwrap_or(at_start),
            ));
        }
        if let Some(at) = bad_utf8 {
            self.diagnostics.push(messages::e0020(Span::new(id, at, at + 1)));
        }
        let text = if too_large || bad_utf8.is_some() { "" } else { self.sources.text(id) };
        let parsed = match cache {
            Some(cache) => incremental::parse(id, text, cache),
            None => syntax::parse(id, text),
        };
        self.diagnostics.extend(parsed.diagnostics);
        self.files.push(parsed.file);
        id
    }
}

/// The most files an E0005 message names; a longer cycle is named by its
/// first and last files around a count, so that thousands of cycles
/// through a long chain cost linear work and memory, not its square.
const CYCLE_NAMES: usize = 8;

/// `a → b → … → a`: the `count` files of a cycle by position (the first
/// again at the end), at most [`CYCLE_NAMES`] of them named.
fn cycle_text<'s>(count: usize, name: impl Fn(usize) -> &'s str) -> String {
    let shown: Vec<usize> = if count <= CYCLE_NAMES {
        (0..count).collect()
    } else {
        (0..CYCLE_NAMES / 2).chain(count + 1 - CYCLE_NAMES / 2..count).collect()
    };
    let mut names: Vec<String> = Vec::new();
    for (k, &i) in shown.iter().enumerate() {
        if k > 0 && shown[k - 1] + 1 != i {
            names.push(format!("… {} more files …", i - shown[k - 1] - 1));
        }
        names.push(name(i).to_string());
    }
    if count > 0 {
        names.push(name(0).to_string());
    }
    names.join(" → ")
}

/// The folder every import must stay in: the root file's own folder.
fn project_directory(root: &Path) -> PathBuf {
    match root.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => absolute(folder),
        // `main.dtr`: the working directory (an empty path has no absolute form).
        _ => absolute(Path::new(".")),
    }
}

/// `path` made absolute against the working directory and normalized, by
/// its spelling only (symbolic links are not followed).
fn absolute(path: &Path) -> PathBuf {
    normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// The same file reached by two paths has one identity.
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| normalize(path))
}

/// `a/./b/../c` → `a/c`, and `./.` → `.`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() && !out.ends_with("..") => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}
