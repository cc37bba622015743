//! Every file `dtr` writes (`fmt`, `import atop -o`, `test --snapshot`)
//! is written here, so that no write loses anyone's work. The new text goes
//! to a temporary file beside the target, `.NAME.dtr-tmp`, which is renamed
//! over the target once complete, so the target is always either the old
//! text or the new, whatever happens to `dtr` meanwhile (a full disk, a
//! file-size limit, `kill -9`). A file is left as it is, with the reason,
//! when replacing it would do harm: it changed since it was read (saved in
//! an editor while `dtr fmt` ran), it is read-only, it has other hard links
//! (which would keep the old text), it belongs to another user or group
//! (the new file would be ours), or it is a symbolic link that leads out of
//! its folder. docs/fmt.md, "Writing files", states the rules.
//!
//! The temporary file is locked (`flock`) while it is written: another
//! `dtr` writing the same file is told so instead of mixing its text in,
//! and one left by an interrupted run, unlocked, is removed by the next
//! write of that file (or by `dtr fmt` visiting it). On SIGINT, SIGTERM and
//! SIGHUP the files being written are removed before `dtr` ends.

use dtr::check::disk::{self, Leads};
use dtr::check::{Disk, Reader};
use std::fmt;
use std::fs::{File, Metadata};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Whether a target that is a symbolic link is written through.
#[derive(Clone, Copy)]
pub enum Links {
    /// Through to its target, if that lies in the link's own folder.
    FollowInside,
    /// Never: the target is left as it is.
    Refuse,
}

/// Why a file was not written.
pub enum Error {
    /// Writing would do harm; the file is left as it is.
    Skipped(Skip),
    Io(io::Error),
}

pub enum Skip {
    Changed,
    ReadOnly,
    HardLinks(u64),
    Owner,
    Busy,
    OutsideFolder,
    Link,
    NotRegular(&'static str),
    TempTaken(PathBuf),
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Error {
        Error::Io(e)
    }
}

impl From<Skip> for Error {
    fn from(s: Skip) -> Error {
        Error::Skipped(s)
    }
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Skip::Changed => write!(f, "it changed on disk while dtr ran (saved in an editor?); run dtr again"),
            Skip::ReadOnly => write!(f, "it is read-only"),
            Skip::HardLinks(n) => write!(
                f,
                "it has {n} hard links, which replacing it would break (the other names would keep the old text)"
            ),
            Skip::Owner => write!(f, "it belongs to another user or group, and a new file would belong to you"),
            Skip::Busy => write!(f, "another dtr is writing it"),
            Skip::OutsideFolder => write!(f, "it is a symbolic link to a file outside its folder"),
            Skip::Link => write!(f, "it is a symbolic link, which dtr does not follow here"),
            Skip::NotRegular(kind) => write!(f, "it is {kind}"),
            Skip::TempTaken(p) => {
                write!(f, "{} is in the way (the name of dtr's temporary file, but not one dtr made)", p.display())
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Error::Skipped(s) => s.fmt(f),
            Error::Io(e) => e.fmt(f),
        }
    }
}

/// Writes `text` to `path`, creating it or replacing it whole. `expected`
/// is what the file held when it was read, if it was: the write is
/// skipped if it holds anything else just before the rename.
pub fn write(path: &Path, text: &[u8], expected: Option<&[u8]>, links: Links) -> Result<(), Error> {
    let (target, existing) = target(path, links)?;
    let temp = Temp::create(&target, existing.is_some())?;
    let mut file = &temp.file;
    file.write_all(text)?;
    file.sync_all()?;
    if let Some(original) = &existing {
        keep_owner_and_mode(file, original)?;
    }
    if let Some(expected) = expected
        && Disk.read(&target).ok().as_deref() != Some(expected)
    {
        return Err(Skip::Changed.into());
    }
    temp.rename_to(&target)
}

/// Removes the temporary file an interrupted write of `path` left, if any
/// (one that another `dtr` is writing is left to it).
pub fn remove_stale(path: &Path) {
    if let Ok((target, _)) = target(path, Links::FollowInside) {
        let _ = remove_unlocked(&temp_name(&target));
    }
}

/// The file to replace (a link's target) and its metadata, if it exists.
fn target(path: &Path, links: Links) -> Result<(PathBuf, Option<Metadata>), Error> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((path.to_path_buf(), None)),
        Err(e) => return Err(e.into()),
    };
    let target = if !meta.file_type().is_symlink() {
        path.to_path_buf()
    } else {
        match (links, disk::leads(path, &disk::real_folder(path))) {
            (Links::Refuse, _) => return Err(Skip::Link.into()),
            (Links::FollowInside, Leads::Inside(real)) => real,
            (Links::FollowInside, Leads::Outside(_)) => return Err(Skip::OutsideFolder.into()),
            (Links::FollowInside, Leads::Broken(e)) => return Err(e.into()),
            (Links::FollowInside, Leads::Missing) => return Err(io::Error::from(io::ErrorKind::NotFound).into()),
        }
    };
    let meta = std::fs::metadata(&target)?;
    if !meta.is_file() {
        return Err(Skip::NotRegular(disk::kind(meta.file_type())).into());
    }
    if meta.permissions().readonly() || !may_write(&target) {
        return Err(Skip::ReadOnly.into());
    }
    if links_to(&meta) > 1 {
        return Err(Skip::HardLinks(links_to(&meta)).into());
    }
    Ok((target, Some(meta)))
}

/// `.NAME.dtr-tmp` beside `target`: hidden, and named for the file it
/// becomes, so that one left behind says what it was.
fn temp_name(target: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(target.file_name().unwrap_or_default());
    name.push(".dtr-tmp");
    target.with_file_name(name)
}

/// A temporary file being written, locked, and removed unless renamed.
struct Temp {
    path: PathBuf,
    file: File,
    renamed: bool,
}

impl Temp {
    fn create(target: &Path, replacing: bool) -> Result<Temp, Error> {
        let path = temp_name(target);
        remove_unlocked(&path)?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // A file that replaces another keeps the other's mode (set once
            // written); until then nobody else may read it. A new file gets
            // the usual mode, as the umask makes it.
            options.mode(if replacing { 0o600 } else { 0o666 }).custom_flags(libc::O_NOFOLLOW);
        }
        #[cfg(not(unix))]
        let _ = replacing;
        install_cleanup();
        // Listed before a signal can end `dtr` with the file made: the
        // signal's thread waits for this lock.
        let mut pending = pending();
        let file = match options.open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(Skip::Busy.into()),
            Err(e) => return Err(e.into()),
        };
        // Another dtr may have taken the name over between the open and the
        // lock (removing it as stale): then it is theirs, and left to them.
        if !try_lock(&file).unwrap_or(false) || !same_file(&file, &path) {
            return Err(Skip::Busy.into());
        }
        pending.push(path.clone());
        Ok(Temp { path, file, renamed: false })
    }

    fn rename_to(mut self, target: &Path) -> Result<(), Error> {
        // Under the lock that the signal handler takes, so that it never
        // removes a name that has just become the target.
        let mut pending = pending();
        std::fs::rename(&self.path, target)?;
        self.renamed = true;
        pending.retain(|p| *p != self.path);
        drop(pending);
        // The rename itself reaches the disk with the folder.
        #[cfg(unix)]
        if let Some(folder) = target.parent().filter(|f| !f.as_os_str().is_empty()) {
            let _ = File::open(folder).and_then(|f| f.sync_all());
        }
        Ok(())
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.renamed {
            let mut pending = pending();
            let _ = std::fs::remove_file(&self.path);
            pending.retain(|p| *p != self.path);
        }
    }
}

/// Removes `path`, a temporary file no `dtr` is writing any more.
fn remove_unlocked(path: &Path) -> Result<(), Error> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if !meta.is_file() {
        return Err(Skip::TempTaken(path.to_path_buf()).into());
    }
    let file = disk::open_regular(path)?.0;
    if !try_lock(&file)? || !same_file(&file, path) {
        return Err(Skip::Busy.into());
    }
    std::fs::remove_file(path)?;
    Ok(())
}

/// The temporary files being written, for the signal handler.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// On the first write, a thread that removes the files being written when
/// an interrupting signal comes, then ends `dtr` as the signal would have.
#[cfg(unix)]
fn install_cleanup() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else { return };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Kept locked: no rename starts after the removal.
                let pending = pending();
                for path in pending.iter() {
                    let _ = std::fs::remove_file(path);
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    });
}

#[cfg(not(unix))]
fn install_cleanup() {}

#[cfg(unix)]
fn keep_owner_and_mode(temp: &File, original: &Metadata) -> Result<(), Error> {
    use std::os::unix::fs::MetadataExt;
    let made = temp.metadata()?;
    if (made.uid(), made.gid()) != (original.uid(), original.gid())
        && std::os::unix::fs::fchown(temp, Some(original.uid()), Some(original.gid())).is_err()
    {
        return Err(Skip::Owner.into());
    }
    // After the owner: changing it clears set-user-ID bits.
    temp.set_permissions(original.permissions())?;
    Ok(())
}

#[cfg(not(unix))]
fn keep_owner_and_mode(temp: &File, original: &Metadata) -> Result<(), Error> {
    temp.set_permissions(original.permissions())?;
    Ok(())
}

#[cfg(unix)]
fn links_to(meta: &Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn links_to(_: &Metadata) -> u64 {
    1
}

/// Whether this user may write `path` (the mode bits alone do not say: they
/// may be another user's or group's).
#[cfg(unix)]
fn may_write(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else { return false };
    // SAFETY: `path` is a NUL-terminated string that outlives the call.
    unsafe { libc::access(path.as_ptr(), libc::W_OK) == 0 }
}

#[cfg(not(unix))]
fn may_write(_: &Path) -> bool {
    true
}

/// Takes the file's lock if nobody holds it.
#[cfg(unix)]
fn try_lock(file: &File) -> io::Result<bool> {
    use std::os::fd::AsRawFd;
    // SAFETY: the descriptor belongs to `file`, open for the whole call.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    if e.kind() == io::ErrorKind::WouldBlock { Ok(false) } else { Err(e) }
}

#[cfg(not(unix))]
fn try_lock(_: &File) -> io::Result<bool> {
    Ok(true)
}

/// Whether `path` still names the open `file`.
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skipped(result: Result<(), Error>) -> String {
        match result {
            Err(Error::Skipped(why)) => why.to_string(),
            Err(Error::Io(e)) => panic!("an I/O error, not a skip: {e}"),
            Ok(()) => panic!("written"),
        }
    }

    #[test]
    fn a_file_saved_since_it_was_read_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.dtr");
        std::fs::write(&path, "saved in an editor\n").unwrap();
        let why = skipped(write(&path, b"formatted\n", Some(b"as read\n"), Links::FollowInside));
        assert!(why.starts_with("it changed on disk while dtr ran"), "{why}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "saved in an editor\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "the temporary file is removed");
        write(&path, b"formatted\n", Some(b"saved in an editor\n"), Links::FollowInside)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "formatted\n");
    }

    #[cfg(unix)]
    #[test]
    fn a_temporary_file_being_written_is_left_to_its_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.dtr");
        std::fs::write(&path, "old\n").unwrap();
        let temp = File::create(temp_name(&path)).unwrap();
        assert!(try_lock(&temp).unwrap());
        assert_eq!(skipped(write(&path, b"new\n", None, Links::FollowInside)), "another dtr is writing it");
        assert!(temp_name(&path).exists());
        drop(temp);
        // Unlocked, it is what an interrupted run left: removed and replaced.
        write(&path, b"new\n", None, Links::FollowInside).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        assert!(!temp_name(&path).exists());
    }
}
