//! Outputs made of several files, put in place as a whole.
//!
//! A [`FolderSet`] (a QGIS folder) is written into a temporary folder
//! `.agglo-tmp-PID-…` beside its destination, which is then swapped with the
//! destination in one rename (Linux `renameat2(RENAME_EXCHANGE)`; elsewhere,
//! or on a file system without it, two renames with a moment in between
//! where the destination is missing). Layers of an earlier run therefore
//! disappear with it, and a run killed at any point leaves the old folder or
//! the new one, plus at most a `.agglo-tmp-…` folder that the next write
//! into that parent folder removes.
//!
//! A folder is replaced only if it is empty or looks like ours (see
//! [`Ownership`]); otherwise [`WriteError::NotOurs`] names the first entry
//! that is not, unless the caller forces it ([`Replace::Always`]). A folder
//! holding a subfolder is never replaced ([`WriteError::HoldsFolder`]).
//!
//! [`write_file_set`] writes files that belong together but sit among other
//! files (a DIMACS `.gr`/`.co` pair): each is written completely into a
//! temporary folder beside the first destination, then renamed into place
//! in the order given. The renames are not one step, so readers of such a
//! set must check that its files belong together (the DIMACS pair carries a
//! shared stamp, see [`crate::road::pair_stamp`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::atomic::{
    TMP_PREFIX, Target, TempPath, open_stream, parent_dir, remove_leftovers, resolve, set_mode,
    temp_name,
};
use crate::error::WriteError;

/// When an existing destination folder may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// Only if it is empty or looks like ours (see [`Ownership`]).
    IfOurs,
    /// Whatever it holds (`--force`).
    Always,
}

/// How to tell a folder that an earlier run wrote.
#[derive(Debug, Clone, Copy)]
pub struct Ownership<'a> {
    /// A file every such folder holds (`README.txt`) ...
    pub marker_file: &'a str,
    /// ... whose text starts with this.
    pub marker_start: &'a str,
    /// Whether a file name is one that such a folder may hold.
    pub names: fn(&str) -> bool,
}

impl Ownership<'_> {
    /// `None` if `dir` is empty or ours, else the first entry (sorted) or
    /// the missing marker that shows it is not.
    fn foreign_entry(&self, dir: &Path) -> Result<Option<String>, WriteError> {
        let err = |source| WriteError::Io {
            path: dir.to_owned(),
            source,
        };
        let mut names = Vec::new();
        for e in std::fs::read_dir(dir).map_err(err)? {
            let e = e.map_err(err)?;
            let name = e.file_name().to_string_lossy().into_owned();
            let regular = e.file_type().map_err(err)?.is_file();
            names.push((name, regular));
        }
        if names.is_empty() {
            return Ok(None);
        }
        names.sort();
        for (name, regular) in &names {
            if !regular || !((self.names)(name) || name.starts_with(TMP_PREFIX)) {
                return Ok(Some(name.clone()));
            }
        }
        let marker = std::fs::read(dir.join(self.marker_file)).unwrap_or_default();
        if !marker.starts_with(self.marker_start.as_bytes()) {
            return Ok(Some(format!("no {} written by agglo", self.marker_file)));
        }
        Ok(None)
    }
}

/// A folder being written as a whole; see the module documentation.
#[derive(Debug)]
pub struct FolderSet {
    dest: PathBuf,
    tmp: TempPath,
    mode: Option<u32>,
    exists: bool,
}

impl FolderSet {
    /// Starts writing the folder `dest` (symbolic links followed): checks
    /// that it may be replaced, tidies leftovers of killed runs beside it,
    /// and makes the temporary folder to write into ([`FolderSet::path`]).
    pub fn begin(
        dest: &Path,
        owner: &Ownership<'_>,
        replace: Replace,
    ) -> Result<FolderSet, WriteError> {
        let real = resolve_folder(dest)?;
        let meta = std::fs::metadata(&real).ok();
        if let Some(m) = &meta {
            if !m.is_dir() {
                return Err(WriteError::NotAFolder {
                    path: dest.to_owned(),
                    kind: kind(m),
                });
            }
            if let Some(entry) = first_subfolder(&real)? {
                return Err(WriteError::HoldsFolder {
                    path: dest.to_owned(),
                    entry,
                });
            }
            if replace == Replace::IfOurs
                && let Some(entry) = owner.foreign_entry(&real)?
            {
                return Err(WriteError::NotOurs {
                    path: dest.to_owned(),
                    entry,
                });
            }
        }
        let parent = parent_dir(&real);
        remove_leftovers(parent);
        let tmp = TempPath::dir(parent)?;
        Ok(FolderSet {
            mode: meta.as_ref().map(mode_bits),
            exists: meta.is_some(),
            dest: real,
            tmp,
        })
    }

    /// The temporary folder to write the files into.
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// Puts the written folder in place of the destination, whose old
    /// content is then removed. Dropping a `FolderSet` without committing
    /// removes the temporary folder.
    pub fn commit(self) -> Result<(), WriteError> {
        let FolderSet {
            dest,
            tmp,
            mode,
            exists,
        } = self;
        let err = |source| WriteError::Io {
            path: dest.clone(),
            source,
        };
        if let Some(m) = mode {
            set_mode(tmp.path(), m).map_err(err)?;
        }
        if !exists {
            return tmp.persist(&dest);
        }
        if exchange(tmp.path(), &dest).is_ok() {
            // `tmp` now names the old folder, removed when it drops.
            return Ok(());
        }
        let old = temp_name(parent_dir(&dest), "-old");
        std::fs::rename(&dest, &old).map_err(err)?;
        if let Err(e) = std::fs::rename(tmp.path(), &dest) {
            let _ = std::fs::rename(&old, &dest);
            return Err(err(e));
        }
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

fn mode_bits(m: &std::fs::Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        m.permissions().mode() & 0o7777
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        0
    }
}

/// The first subfolder of `dir` (sorted), if any: output folders never hold
/// one, so a folder that does is never replaced, forced or not (a mistyped
/// `--qgis ~ --force` must not delete a home folder).
fn first_subfolder(dir: &Path) -> Result<Option<String>, WriteError> {
    let err = |source| WriteError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut found = Vec::new();
    for e in std::fs::read_dir(dir).map_err(err)? {
        let e = e.map_err(err)?;
        if e.file_type().map_err(err)?.is_dir() {
            found.push(e.file_name().to_string_lossy().into_owned());
        }
    }
    found.sort();
    Ok(found.into_iter().next())
}

fn kind(m: &std::fs::Metadata) -> &'static str {
    if m.is_file() { "file" } else { "special file" }
}

/// `dest` with symbolic links followed to the final target (which need not
/// exist).
fn resolve_folder(dest: &Path) -> Result<PathBuf, WriteError> {
    let mut p = dest.to_owned();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&p).map_err(|source| WriteError::Io {
                    path: dest.to_owned(),
                    source,
                })?;
                p = if link.is_absolute() {
                    link
                } else {
                    parent_dir(&p).join(link)
                };
            }
            _ => return Ok(p),
        }
    }
    Err(WriteError::SymlinkLoop {
        path: dest.to_owned(),
    })
}

/// Writes files that belong together: each `(path, chunks)` is written
/// completely (its chunks one after another) into a temporary folder beside
/// the first path, then all are renamed into place in the order given, and
/// the temporary folder is removed. A FIFO or character device among the
/// destinations is written in place at that point. Nothing is put in place
/// unless every file was written.
pub fn write_file_set(files: &[(&Path, &[&[u8]])]) -> Result<(), WriteError> {
    let Some((first, _)) = files.first() else {
        return Ok(());
    };
    let targets: Vec<Target> = files
        .iter()
        .map(|(p, _)| resolve(p))
        .collect::<Result<_, _>>()?;
    let anchor = match &targets[0] {
        Target::Replace { path, .. } => parent_dir(path).to_owned(),
        Target::Stream(_) => parent_dir(first).to_owned(),
    };
    remove_leftovers(&anchor);
    let dir = TempPath::dir(&anchor)?;
    let mut staged = Vec::with_capacity(files.len());
    for (i, (path, chunks)) in files.iter().enumerate() {
        let p = dir.path().join(format!("{i}"));
        let err = |source| WriteError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut f = std::fs::File::create(&p).map_err(err)?;
        for c in *chunks {
            f.write_all(c).map_err(err)?;
        }
        f.flush().map_err(err)?;
        staged.push(p);
    }
    for (((path, chunks), target), tmp) in files.iter().zip(&targets).zip(&staged) {
        let err = |source| WriteError::Io {
            path: path.to_path_buf(),
            source,
        };
        match target {
            Target::Replace { path: dest, mode } => {
                if let Some(m) = mode {
                    set_mode(tmp, *m).map_err(err)?;
                }
                std::fs::rename(tmp, dest).map_err(err)?;
            }
            Target::Stream(dest) => {
                let mut f = open_stream(dest).map_err(err)?;
                for c in *chunks {
                    f.write_all(c).map_err(err)?;
                }
                f.flush().map_err(err)?;
            }
        }
    }
    drop(dir);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner() -> Ownership<'static> {
        Ownership {
            marker_file: "README.txt",
            marker_start: "made by us",
            names: |n| n == "README.txt" || n.ends_with(".geojson"),
        }
    }

    fn write(set: &FolderSet, files: &[&str]) {
        for f in files {
            let text = if *f == "README.txt" {
                "made by us\n"
            } else {
                "x"
            };
            std::fs::write(set.path().join(f), text).unwrap();
        }
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_rewritten_folder_loses_stale_files_and_no_temporary_stays() {
        let d = tempfile::tempdir().unwrap();
        let dest = d.path().join("out");
        let set = FolderSet::begin(&dest, &owner(), Replace::IfOurs).unwrap();
        write(&set, &["README.txt", "a.geojson", "b.geojson"]);
        set.commit().unwrap();
        let set = FolderSet::begin(&dest, &owner(), Replace::IfOurs).unwrap();
        write(&set, &["README.txt", "a.geojson"]);
        set.commit().unwrap();
        assert_eq!(listing(&dest), ["README.txt", "a.geojson"]);
        assert_eq!(listing(d.path()), ["out"]);
    }

    #[test]
    fn a_folder_that_is_not_ours_is_kept_unless_forced() {
        let d = tempfile::tempdir().unwrap();
        let dest = d.path().join("out");
        std::fs::create_dir(&dest).unwrap();
        std::fs::write(dest.join("thesis.docx"), "precious").unwrap();
        let e = FolderSet::begin(&dest, &owner(), Replace::IfOurs).unwrap_err();
        assert!(
            matches!(&e, WriteError::NotOurs { entry, .. } if entry == "thesis.docx"),
            "{e}"
        );
        // Only our kind of files, but no marker: not ours either.
        std::fs::remove_file(dest.join("thesis.docx")).unwrap();
        std::fs::write(dest.join("a.geojson"), "x").unwrap();
        let e = FolderSet::begin(&dest, &owner(), Replace::IfOurs).unwrap_err();
        assert!(
            e.to_string().contains("no README.txt written by agglo"),
            "{e}"
        );
        let set = FolderSet::begin(&dest, &owner(), Replace::Always).unwrap();
        write(&set, &["README.txt"]);
        set.commit().unwrap();
        assert_eq!(listing(&dest), ["README.txt"]);
        // A folder holding a folder: never, even forced.
        std::fs::create_dir(dest.join("photos")).unwrap();
        let e = FolderSet::begin(&dest, &owner(), Replace::Always).unwrap_err();
        assert!(
            matches!(&e, WriteError::HoldsFolder { entry, .. } if entry == "photos"),
            "{e}"
        );
        assert!(dest.join("photos").is_dir());
    }

    #[test]
    fn a_file_in_the_way_is_refused_and_an_abandoned_set_leaves_nothing() {
        let d = tempfile::tempdir().unwrap();
        let dest = d.path().join("out");
        std::fs::write(&dest, "a file").unwrap();
        let e = FolderSet::begin(&dest, &owner(), Replace::Always).unwrap_err();
        assert!(
            matches!(e, WriteError::NotAFolder { kind: "file", .. }),
            "{e}"
        );
        let dest = d.path().join("new");
        let set = FolderSet::begin(&dest, &owner(), Replace::IfOurs).unwrap();
        write(&set, &["a.geojson"]);
        drop(set);
        assert_eq!(listing(d.path()), ["out"]);
    }

    #[test]
    fn a_file_set_is_written_in_order_and_tidied() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("g.gr"), d.path().join("g.co"));
        std::fs::write(&a, "old").unwrap();
        write_file_set(&[(&b, &[b"c1\n", b"body"]), (&a, &[b"c1\n", b"arcs"])]).unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "c1\narcs");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "c1\nbody");
        assert_eq!(listing(d.path()), ["g.co", "g.gr"]);
    }
}
