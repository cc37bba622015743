//! Opening files on disk without surprises, for every command and the
//! editor: only regular files are read (a named pipe blocks `open` until a
//! writer comes, `/dev/zero` never ends, `/proc/self/fd/0` is the reader's
//! own input), and a path is read only where it really leads, symbolic
//! links followed, inside the folder it belongs to. docs/robustness.md,
//! "File safety", states the rules.

use std::fs::{File, FileType, Metadata};
use std::io;
use std::path::{Path, PathBuf};

/// Opens `path` for reading if it is a regular file. Its kind is checked
/// from its metadata before opening and again on the open file (the path
/// may have been replaced in between), and the open itself does not block.
pub fn open_regular(path: &Path) -> io::Result<(File, Metadata)> {
    regular(&std::fs::metadata(path)?)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A FIFO swapped in after the check opens at once instead of
        // waiting for a writer; reads of a regular file ignore the flag.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    regular(&meta)?;
    Ok((file, meta))
}

/// Ok for a regular file; otherwise an error saying what it is.
pub fn regular(meta: &Metadata) -> io::Result<()> {
    if meta.is_file() {
        return Ok(());
    }
    Err(io::Error::new(io::ErrorKind::InvalidInput, format!("it is {}", kind(meta.file_type()))))
}

/// What a file that is not a regular file is, in words.
pub fn kind(file_type: FileType) -> &'static str {
    if file_type.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO), not a regular file";
        }
        if file_type.is_socket() {
            return "a socket, not a regular file";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device, not a regular file";
        }
    }
    "not a regular file"
}

/// Where a path leads once every symbolic link on it is followed, judged
/// against a folder (itself with its links resolved: see [`real_folder`]).
pub enum Leads {
    Inside(PathBuf),
    Outside(PathBuf),
    /// Nothing is there, not even a link.
    Missing,
    /// A link that leads nowhere: a loop, or a target that does not exist.
    Broken(io::Error),
}

pub fn leads(path: &Path, folder: &Path) -> Leads {
    match std::fs::canonicalize(path) {
        Ok(real) if real.starts_with(folder) => Leads::Inside(real),
        Ok(real) => Leads::Outside(real),
        Err(_) if std::fs::symlink_metadata(path).is_err() => Leads::Missing,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            Leads::Broken(io::Error::new(io::ErrorKind::InvalidInput, "it is a symbolic link that leads nowhere"))
        }
        Err(e) => Leads::Broken(e),
    }
}

/// The folder of `file` with its symbolic links resolved; the folder as
/// written, made absolute, if it does not exist (an editor's unsaved buffer).
pub fn real_folder(file: &Path) -> PathBuf {
    let folder = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::canonicalize(folder)
        .unwrap_or_else(|_| std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf()))
}

/// Refuses a file named by the user (on the command line) that is a
/// symbolic link leading out of its own folder: `dtr check a.dtr` must not
/// show lines of `/etc/passwd` or `/proc/self/environ` in its errors, in a
/// CI log say, because a repository made `a.dtr` a link to them.
pub fn named_inside(path: &Path) -> io::Result<()> {
    match leads(path, &real_folder(path)) {
        Leads::Outside(_) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is a symbolic link to a file outside its folder; name the file itself",
        )),
        Leads::Broken(e) => Err(e),
        Leads::Inside(_) | Leads::Missing => Ok(()),
    }
}
