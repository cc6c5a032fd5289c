//! Where an output's bytes go, and with which permissions: one rule for
//! every file `agglo` writes.
//!
//! - A regular file or a new path is written to a temporary file in the same
//!   folder, named `.agglo-tmp-PID-N…`, and renamed over the destination
//!   once complete: a failed or killed run never leaves a truncated output.
//! - A symbolic link is followed to its final target (also when that target
//!   does not exist yet), and the target is replaced as above, in the
//!   target's folder; the link itself stays.
//! - A FIFO or a character device (`/dev/stdout`, `/dev/null`, a named pipe)
//!   is opened and written in place, never replaced.
//! - Anything else (a folder, a socket, a block device) is refused with
//!   [`WriteError::NotAFile`].
//!
//! Permissions: a new file gets `0666` minus the umask, as `touch` or a shell
//! redirection would give it; a regular file that is replaced keeps its mode.
//!
//! Leftovers: a run killed by SIGKILL can leave a `.agglo-tmp-PID-…` file or
//! folder beside its destination. Every later write into that folder removes
//! the ones whose process (PID) no longer runs.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::WriteError;

/// The name prefix of every temporary file and folder `agglo` creates.
pub const TMP_PREFIX: &str = ".agglo-tmp-";

/// Symbolic links followed before giving up (as the kernel's ELOOP limit).
const MAX_LINKS: usize = 40;

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_owned(),
        source,
    }
}

/// How a destination is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A regular file or a new path: replaced by renaming a complete
    /// temporary file over `path`, which then gets `mode` (the replaced
    /// file's permission bits) if given.
    Replace {
        /// The final path (symbolic links resolved).
        path: PathBuf,
        /// The permission bits of the file being replaced.
        mode: Option<u32>,
    },
    /// A FIFO or character device, written in place.
    Stream(PathBuf),
}

/// What `path` is, following symbolic links; see the module documentation.
pub(crate) fn resolve(path: &Path) -> Result<Target, WriteError> {
    let err = io_err(path);
    let mut p = path.to_owned();
    for _ in 0..MAX_LINKS {
        let meta = match std::fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Target::Replace {
                    path: p,
                    mode: None,
                });
            }
            Err(e) => return Err(err(e)),
        };
        if !meta.file_type().is_symlink() {
            return classify(path, p, &meta);
        }
        // Special links such as /proc/self/fd/1 name no path ("pipe:[…]"):
        // what they point at is known only by opening them. An open file
        // descriptor (/dev/stdout redirected to a file) is written in place,
        // as the shell's `>>` or `>` set it up.
        match std::fs::metadata(&p) {
            Ok(m) if !m.is_file() && !m.is_dir() => return classify(path, p, &m),
            Ok(m) if m.is_file() && is_fd_link(&p) => return Ok(Target::Stream(p)),
            _ => {}
        }
        let link = std::fs::read_link(&p).map_err(&err)?;
        p = if link.is_absolute() {
            link
        } else {
            parent_dir(&p).join(link)
        };
    }
    Err(WriteError::SymlinkLoop {
        path: path.to_owned(),
    })
}

/// Whether `p` is a link to an open file descriptor (`/proc/self/fd/N`,
/// `/proc/PID/fd/N`, `/dev/fd/N`).
fn is_fd_link(p: &Path) -> bool {
    let s = p.to_string_lossy();
    s.starts_with("/dev/fd/") || (s.starts_with("/proc/") && s.contains("/fd/"))
}

fn classify(given: &Path, p: PathBuf, meta: &std::fs::Metadata) -> Result<Target, WriteError> {
    let ft = meta.file_type();
    if ft.is_file() {
        return Ok(Target::Replace {
            path: p,
            mode: Some(mode_of(meta)),
        });
    }
    if ft.is_dir() {
        return Err(WriteError::NotAFile {
            path: given.to_owned(),
            kind: "folder",
        });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() || ft.is_char_device() {
            return Ok(Target::Stream(p));
        }
        let kind = if ft.is_socket() {
            "socket"
        } else if ft.is_block_device() {
            "block device"
        } else {
            "special file"
        };
        Err(WriteError::NotAFile {
            path: given.to_owned(),
            kind,
        })
    }
    #[cfg(not(unix))]
    Err(WriteError::NotAFile {
        path: given.to_owned(),
        kind: "special file",
    })
}

#[cfg(unix)]
fn mode_of(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode_of(_: &std::fs::Metadata) -> u32 {
    0
}

/// Gives `path` the permission bits `mode`.
pub(crate) fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

/// The folder holding `path` (`.` for a bare file name).
pub(crate) fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A fresh name `.agglo-tmp-PID-N{suffix}` in `dir` (not created).
pub(crate) fn temp_name(dir: &Path, suffix: &str) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    dir.join(format!(
        "{TMP_PREFIX}{}-{n}-{nanos:08x}{suffix}",
        std::process::id()
    ))
}

/// A temporary file or folder that is removed when dropped, unless kept.
#[derive(Debug)]
pub(crate) struct TempPath {
    path: PathBuf,
    keep: bool,
}

impl TempPath {
    /// Creates a new empty file `.agglo-tmp-…{suffix}` in `dir` with the
    /// default mode (0666 minus the umask).
    pub(crate) fn file(dir: &Path, suffix: &str) -> Result<(TempPath, File), WriteError> {
        loop {
            let path = temp_name(dir, suffix);
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(f) => return Ok((TempPath { path, keep: false }, f)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(source) => return Err(WriteError::Io { path, source }),
            }
        }
    }

    /// Creates a new empty folder `.agglo-tmp-…` in `dir` (0777 minus the umask).
    pub(crate) fn dir(dir: &Path) -> Result<TempPath, WriteError> {
        loop {
            let path = temp_name(dir, "");
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(TempPath { path, keep: false }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(source) => return Err(WriteError::Io { path, source }),
            }
        }
    }

    /// The temporary path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the temporary file over `dest`; nothing is left to remove.
    pub(crate) fn persist(mut self, dest: &Path) -> Result<(), WriteError> {
        std::fs::rename(&self.path, dest).map_err(io_err(dest))?;
        self.keep = true;
        Ok(())
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        if !self.keep {
            let _ = if self.path.is_dir() {
                std::fs::remove_dir_all(&self.path)
            } else {
                std::fs::remove_file(&self.path)
            };
        }
    }
}

/// Removes from `dir` the `.agglo-tmp-PID-…` files and folders of processes
/// that no longer run (left by a run killed with SIGKILL). Needs `/proc` to
/// tell; without it nothing is removed. Errors are ignored: this is tidying.
pub(crate) fn remove_leftovers(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TMP_PREFIX)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid == me || Path::new("/proc").join(pid.to_string()).exists() {
            continue;
        }
        let p = e.path();
        let _ = match e.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(&p),
            _ => std::fs::remove_file(&p),
        };
    }
}

/// Writes `path` through a temporary file made by `fill` (which may be given
/// to a library that writes files itself, such as SQLite): for a regular
/// file or a new path the temporary file sits in the destination's folder
/// and is renamed over it; for a FIFO or character device it sits in the
/// system's temporary folder and its bytes are copied into the destination.
pub(crate) fn write_via_temp<E: From<WriteError>>(
    path: &Path,
    suffix: &str,
    fill: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), E> {
    match resolve(path)? {
        Target::Replace { path: dest, mode } => {
            let dir = parent_dir(&dest);
            remove_leftovers(dir);
            let (tmp, file) = TempPath::file(dir, suffix)?;
            drop(file);
            fill(tmp.path())?;
            if let Some(m) = mode {
                set_mode(tmp.path(), m).map_err(io_err(path))?;
            }
            tmp.persist(&dest)?;
        }
        Target::Stream(dest) => {
            let (tmp, file) = TempPath::file(&std::env::temp_dir(), suffix)?;
            drop(file);
            fill(tmp.path())?;
            let bytes = std::fs::read(tmp.path()).map_err(io_err(tmp.path()))?;
            stream(&dest, &bytes).map_err(io_err(path))?;
        }
    }
    Ok(())
}

/// Opens a FIFO, character device or descriptor link for writing in place.
/// Appending: a no-op for pipes and devices, and for `/dev/stdout`
/// redirected to a file it writes after what is there, as `>>` asks (after
/// `>` the file is empty anyway).
pub(crate) fn open_stream(dest: &Path) -> std::io::Result<File> {
    OpenOptions::new().append(true).open(dest)
}

fn stream(dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = open_stream(dest)?;
    f.write_all(bytes)?;
    f.flush()
}

/// Writes `bytes` to `path` by the rule of this module: atomically (temporary
/// file renamed over it) for a regular file or a new path, through a
/// symbolic link to its target, in place for a FIFO or character device;
/// anything else is refused.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    match resolve(path)? {
        Target::Replace { path: dest, mode } => {
            let dir = parent_dir(&dest);
            remove_leftovers(dir);
            let (tmp, mut file) = TempPath::file(dir, "")?;
            file.write_all(bytes).map_err(io_err(path))?;
            file.flush().map_err(io_err(path))?;
            drop(file);
            if let Some(m) = mode {
                set_mode(tmp.path(), m).map_err(io_err(path))?;
            }
            tmp.persist(&dest)
        }
        Target::Stream(dest) => stream(&dest, bytes).map_err(io_err(path)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_written_and_no_temporary_stays() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through_and_kept() {
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("sub/real.txt");
        std::fs::create_dir(d.path().join("sub")).unwrap();
        let link = d.path().join("link.txt");
        std::os::unix::fs::symlink("sub/real.txt", &link).unwrap();
        // Dangling first: the target is created.
        write_atomic(&link, b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        write_atomic(&link, b"again").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read(&target).unwrap(), b"again");
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_mode() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.txt");
        std::fs::write(&p, "x").unwrap();
        set_mode(&p, 0o640).unwrap();
        write_atomic(&p, b"y").unwrap();
        let m = std::fs::metadata(&p).unwrap();
        assert_eq!(mode_of(&m), 0o640);
    }

    #[test]
    fn a_folder_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let e = write_atomic(d.path(), b"x").unwrap_err();
        assert!(
            matches!(e, WriteError::NotAFile { kind: "folder", .. }),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a"), d.path().join("b"));
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        assert!(matches!(
            write_atomic(&a, b"x"),
            Err(WriteError::SymlinkLoop { .. })
        ));
    }

    #[test]
    fn leftovers_of_dead_processes_are_removed_and_others_kept() {
        if !Path::new("/proc/self").exists() {
            return;
        }
        let d = tempfile::tempdir().unwrap();
        // PIDs above the kernel's maximum (4194304) never run.
        let dead_file = d.path().join(format!("{TMP_PREFIX}99999999-0-0"));
        let dead_dir = d.path().join(format!("{TMP_PREFIX}99999998-0-0"));
        let mine = d
            .path()
            .join(format!("{TMP_PREFIX}{}-7-0", std::process::id()));
        let user = d.path().join(".agglo-tmpfoo");
        std::fs::write(&dead_file, "x").unwrap();
        std::fs::create_dir(&dead_dir).unwrap();
        std::fs::write(dead_dir.join("layer.geojson"), "x").unwrap();
        std::fs::write(&mine, "x").unwrap();
        std::fs::write(&user, "x").unwrap();
        write_atomic(&d.path().join("out.txt"), b"x").unwrap();
        assert!(!dead_file.exists() && !dead_dir.exists());
        assert!(mine.exists() && user.exists());
    }
}
