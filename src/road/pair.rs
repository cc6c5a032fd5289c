//! The stamp that ties a DIMACS `.gr` file to its `.co` file.
//!
//! `agglo road generate` writes both files with the same first line,
//! `c agglo-pair HASH`, HASH being a 64-bit FNV-1a hash of the two files'
//! other contents. The two files are put in place by two renames (see
//! [`crate::io::write_file_set`]); a run killed between them, or a `.co`
//! copied from another run, leaves files whose stamps differ, and
//! [`check_pair`] (called by [`super::read_dimacs`]) refuses them rather
//! than searching one network with another's coordinates. Files without a
//! stamp (the DIMACS challenge's own) are not checked.

use std::io::{BufRead, Read};
use std::path::Path;

use super::RoadError;

const TAG: &str = "c agglo-pair ";

/// Comment lines at the top of a file searched for the stamp.
const HEAD_LINES: usize = 16;

/// The stamp line (with its newline) for a `.gr` and `.co` text.
pub fn pair_stamp(gr: &str, co: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in gr.bytes().chain([0u8]).chain(co.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{TAG}{h:016x}\n")
}

/// The stamp of a file and its 1-based line, if one of its leading comment
/// lines holds one.
fn stamp_of(path: &Path) -> Result<Option<(String, u64)>, RoadError> {
    let err = |source| RoadError::Io {
        path: path.to_owned(),
        source,
    };
    let f = std::fs::File::open(path).map_err(err)?;
    let mut r = std::io::BufReader::new(f);
    let mut line = String::new();
    for n in 1..=HEAD_LINES as u64 {
        line.clear();
        // A long first line is not a comment of ours: read at most 256 bytes.
        if (&mut r).take(256).read_line(&mut line).map_err(err)? == 0 {
            break;
        }
        if let Some(s) = line.strip_prefix(TAG) {
            return Ok(Some((s.trim().to_owned(), n)));
        }
        if !line.starts_with('c') {
            break;
        }
    }
    Ok(None)
}

/// Refuses a `.gr` and a `.co` file whose stamps differ, or of which only
/// one has a stamp.
pub fn check_pair(gr: &Path, co: &Path) -> Result<(), RoadError> {
    let (a, b) = (stamp_of(gr)?, stamp_of(co)?);
    let message = match (&a, &b) {
        (Some((x, _)), Some((y, _))) if x == y => return Ok(()),
        (None, None) => return Ok(()),
        (Some((x, _)), Some(_)) => format!(
            "this coordinate file is not the pair of {} (stamp {x}): the two come from different runs of `agglo road generate` (one killed while renaming?); generate them again",
            gr.display()
        ),
        (Some((x, _)), None) => format!(
            "this coordinate file has no `{}` line while {} has {x}: it belongs to another network; generate the pair again",
            TAG.trim_end(),
            gr.display()
        ),
        (None, Some(_)) => format!(
            "this coordinate file has a `{}` line but {} has none: it belongs to another network; generate the pair again",
            TAG.trim_end(),
            gr.display()
        ),
    };
    Err(RoadError::Parse {
        path: co.to_owned(),
        line: b.map_or(1, |s| s.1),
        field: None,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_stamps_pass_and_others_fail() {
        let d = tempfile::tempdir().unwrap();
        let p = |n: &str, text: &str| {
            let p = d.path().join(n);
            std::fs::write(&p, text).unwrap();
            p
        };
        let s1 = pair_stamp("a 1 2 3\n", "v 1 0 0\n");
        let s2 = pair_stamp("a 1 2 4\n", "v 1 0 0\n");
        assert_ne!(s1, s2);
        let gr = p("g.gr", &format!("{s1}c note\np sp 2 1\n"));
        let co = p("g.co", &format!("{s1}p aux sp co 2\n"));
        check_pair(&gr, &co).unwrap();
        let other = p("o.co", &format!("c note\n{s2}p aux sp co 2\n"));
        let e = check_pair(&gr, &other).unwrap_err();
        assert!(
            matches!(&e, RoadError::Parse { line: 2, .. })
                && e.to_string().contains("different runs"),
            "{e}"
        );
        let plain = p("plain.co", "c challenge\np aux sp co 2\n");
        assert!(check_pair(&gr, &plain).is_err());
        let plain_gr = p("plain.gr", "p sp 2 1\n");
        assert!(check_pair(&plain_gr, &co).is_err());
        check_pair(&plain_gr, &plain).unwrap();
    }
}
