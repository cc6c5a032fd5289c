//! Structure-aware mutations of a seed.

use super::{Bundle, Target};
use crate::generate::XorShift;

/// Largest mutated file (or its seed's size, when larger).
pub const MAX_CASE_BYTES: usize = 256 << 10;

/// Values that break careless readers: extremes, non-numbers, huge counts,
/// path tricks.
const NASTY: &[&str] = &[
    "1e308",
    "-1e308",
    "1e-300",
    "0",
    "-0",
    "-1",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e999",
    "4000000000",
    "4294967295",
    "4294967296",
    "18446744073709551616",
    "200000000",
    "1e15",
    "1e30",
    "",
    "../../etc/x",
    "a b",
    "\"",
    "0x10",
    "90",
    "-90",
    "180",
    "-181",
    "true",
    "[]",
    "{}",
    "[1]",
    "null",
    "[1e300, 1e300]",
    "p sp 3 1e30",
    "v 1 0 0",
];

fn tokens(b: &[u8]) -> Vec<(usize, usize)> {
    let sep = |c: u8| b" \t\r\n,;:=[]{}\"".contains(&c);
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if sep(b[i]) {
            i += 1;
            continue;
        }
        let s = i;
        while i < b.len() && !sep(b[i]) {
            i += 1;
        }
        out.push((s, i));
    }
    out
}

fn lines(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' {
            out.push((s, i + 1));
            s = i + 1;
        }
    }
    if s < b.len() {
        out.push((s, b.len()));
    }
    out
}

/// One structure-aware mutation of `b`.
fn mutate_once(rng: &mut XorShift, b: &mut Vec<u8>) {
    match rng.below(12) {
        // Replace a token (a number, an id, a keyword) by a nasty value.
        0..=4 => {
            let t = tokens(b);
            if t.is_empty() {
                return;
            }
            let (s, e) = t[rng.below(t.len())];
            let v = if rng.below(8) == 0 {
                "9".repeat(400)
            } else {
                NASTY[rng.below(NASTY.len())].to_owned()
            };
            b.splice(s..e, v.into_bytes());
        }
        // Delete, duplicate or swap lines.
        5 => {
            let l = lines(b);
            if !l.is_empty() {
                let (s, e) = l[rng.below(l.len())];
                b.drain(s..e);
            }
        }
        6 => {
            let l = lines(b);
            if !l.is_empty() {
                let (s, e) = l[rng.below(l.len())];
                let copy = b[s..e].to_vec();
                let many = b.len() + 50 * copy.len() <= MAX_CASE_BYTES;
                let times = if many && rng.below(4) == 0 { 50 } else { 1 };
                for _ in 0..times {
                    b.splice(e..e, copy.iter().copied());
                }
            }
        }
        7 => {
            let l = lines(b);
            if l.len() >= 2 {
                let (i, j) = (rng.below(l.len()), rng.below(l.len()));
                let (x, y) = (l[i.min(j)], l[i.max(j)]);
                if x != y {
                    let mut out = b[..x.0].to_vec();
                    out.extend_from_slice(&b[y.0..y.1]);
                    out.extend_from_slice(&b[x.1..y.0]);
                    out.extend_from_slice(&b[x.0..x.1]);
                    out.extend_from_slice(&b[y.1..]);
                    *b = out;
                }
            }
        }
        // Truncate.
        8 => {
            if !b.is_empty() {
                b.truncate(rng.below(b.len()));
            }
        }
        // Bit flip or a random byte.
        9 => {
            if !b.is_empty() {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
        }
        10 => {
            let i = rng.below(b.len() + 1);
            let v = [0xff, 0x00, b'\r', b'"', b'\n', 0xc3][rng.below(6)];
            b.insert(i, v);
        }
        // A byte order mark at the start.
        _ => {
            if !b.starts_with(&[0xef, 0xbb, 0xbf]) {
                b.splice(0..0, [0xef, 0xbb, 0xbf]);
            }
        }
    }
}

/// A mutated copy of `seed` for `target`: one to four structure-aware
/// mutations of one of its fuzzed files.
pub fn mutate(rng: &mut XorShift, target: Target, seed: &Bundle) -> Bundle {
    let mut out = seed.clone();
    let idx: Vec<usize> = (0..out.files.len())
        .filter(|&i| target.mutable(&out.files[i].0))
        .collect();
    if idx.is_empty() {
        return out;
    }
    let i = idx[rng.below(idx.len())];
    let f = &mut out.files[i].1;
    for _ in 0..1 + rng.below(4) {
        mutate_once(rng, f);
    }
    // Inputs stay small, so that memory a case takes comes from the reader,
    // not from the size of what it was given.
    f.truncate(MAX_CASE_BYTES.max(seed.files[i].1.len()));
    out
}
