//! Per-node search marks (reached, settled) that reset in O(1).
//!
//! Each node holds a stamp; a mark counts only when the stamp belongs to the
//! current search. Starting a new search moves to the next stamp instead of
//! clearing the array, so a bounded search on a large graph costs what it
//! reaches. Searches test these marks, never a distance against infinity: a
//! path sum that overflows to infinity cannot make a settled node look new.

/// Node marks of the current search: each node is unmarked, reached
/// (queued with a tentative distance) or settled (distance final).
#[derive(Debug, Clone, Default)]
pub struct Marks {
    stamps: Vec<u32>,
    base: u32,
}

/// Levels a node can be marked with.
const LEVELS: u32 = 4;
/// The mark of a node reached (labelled) by the current search.
pub const REACHED: u32 = 1;
/// The mark of a node settled by the current search.
pub const SETTLED: u32 = 2;

impl Marks {
    /// Marks for nodes `0..n`, all unmarked.
    pub fn new(n: usize) -> Marks {
        Marks {
            stamps: vec![0; n],
            base: LEVELS,
        }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.stamps.len()
    }

    /// Whether there are no nodes.
    pub fn is_empty(&self) -> bool {
        self.stamps.is_empty()
    }

    /// Unmarks every node, in O(1) except once every 2³⁰ calls.
    #[inline]
    pub fn clear(&mut self) {
        match self.base.checked_add(LEVELS) {
            Some(b) => self.base = b,
            None => {
                self.stamps.fill(0);
                self.base = LEVELS;
            }
        }
    }

    /// The mark of `v`: 0 (unmarked), [`REACHED`] or [`SETTLED`].
    #[inline(always)]
    pub fn get(&self, v: u32) -> u32 {
        let d = self.stamps[v as usize].wrapping_sub(self.base);
        if d < LEVELS { d } else { 0 }
    }

    /// Marks `v` with `level` ([`REACHED`] or [`SETTLED`]).
    #[inline(always)]
    pub fn set(&mut self, v: u32, level: u32) {
        debug_assert!(level > 0 && level < LEVELS);
        self.stamps[v as usize] = self.base + level;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_reset_and_survive_wrapping() {
        let mut m = Marks::new(3);
        assert_eq!(m.get(1), 0);
        m.set(1, REACHED);
        m.set(2, SETTLED);
        assert_eq!((m.get(0), m.get(1), m.get(2)), (0, REACHED, SETTLED));
        m.clear();
        assert_eq!((m.get(1), m.get(2)), (0, 0));
        m.set(0, REACHED);
        m.base = u32::MAX - 2;
        m.set(1, SETTLED);
        m.clear();
        assert_eq!((m.get(0), m.get(1), m.get(2)), (0, 0, 0));
        m.set(2, REACHED);
        assert_eq!(m.get(2), REACHED);
    }
}
