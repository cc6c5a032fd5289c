//! An indexed 4-ary min-heap of graph nodes keyed by distance, with
//! decrease-key: the priority queue of the Dijkstra kernels.
//!
//! Each node is in the heap at most once (a position map records where), so
//! the heap holds at most one entry per reached node instead of one per
//! improving arc as a lazy binary heap does, and a 4-ary layout halves the
//! depth of a binary one. Keys are `f64` distances that must not be NaN.

const ARITY: usize = 4;
const ABSENT: u32 = u32::MAX;

/// An indexed 4-ary min-heap over the nodes `0..n`.
#[derive(Debug, Clone)]
pub struct IndexedHeap {
    entries: Vec<(f64, u32)>,
    pos: Vec<u32>,
}

impl IndexedHeap {
    /// An empty heap for nodes `0..n`.
    pub fn new(n: usize) -> IndexedHeap {
        IndexedHeap {
            entries: Vec::new(),
            pos: vec![ABSENT; n],
        }
    }

    /// Whether no node is queued.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of queued nodes.
    #[inline]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether `v` is queued.
    #[inline]
    pub fn contains(&self, v: u32) -> bool {
        self.pos[v as usize] != ABSENT
    }

    /// Queues `v` with `key`, or lowers its key if it is queued with a larger
    /// one. A larger key than the queued one is ignored.
    #[inline]
    pub fn push_or_decrease(&mut self, v: u32, key: f64) {
        let p = self.pos[v as usize];
        if p == ABSENT {
            self.entries.push((key, v));
            self.sift_up(self.entries.len() - 1);
        } else if key < self.entries[p as usize].0 {
            self.entries[p as usize].0 = key;
            self.sift_up(p as usize);
        }
    }

    /// Removes and returns the node with the smallest key (ties: any).
    #[inline]
    pub fn pop(&mut self) -> Option<(u32, f64)> {
        let last = self.entries.pop()?;
        let top = if self.entries.is_empty() {
            last
        } else {
            let top = self.entries[0];
            self.entries[0] = last;
            self.sift_down(0);
            top
        };
        self.pos[top.1 as usize] = ABSENT;
        Some((top.1, top.0))
    }

    /// Empties the heap in time proportional to what it holds.
    pub fn clear(&mut self) {
        for &(_, v) in &self.entries {
            self.pos[v as usize] = ABSENT;
        }
        self.entries.clear();
    }

    #[inline]
    fn sift_up(&mut self, mut i: usize) {
        let e = self.entries[i];
        while i > 0 {
            let parent = (i - 1) / ARITY;
            let p = self.entries[parent];
            if p.0 <= e.0 {
                break;
            }
            self.entries[i] = p;
            self.pos[p.1 as usize] = i as u32;
            i = parent;
        }
        self.entries[i] = e;
        self.pos[e.1 as usize] = i as u32;
    }

    #[inline]
    fn sift_down(&mut self, mut i: usize) {
        let e = self.entries[i];
        let n = self.entries.len();
        loop {
            let first = i * ARITY + 1;
            if first >= n {
                break;
            }
            let end = (first + ARITY).min(n);
            let mut best = first;
            let mut best_key = self.entries[first].0;
            for c in first + 1..end {
                let k = self.entries[c].0;
                if k < best_key {
                    best = c;
                    best_key = k;
                }
            }
            if best_key >= e.0 {
                break;
            }
            let c = self.entries[best];
            self.entries[i] = c;
            self.pos[c.1 as usize] = i as u32;
            i = best;
        }
        self.entries[i] = e;
        self.pos[e.1 as usize] = i as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::XorShift;

    #[test]
    fn pops_in_key_order_with_decreases() {
        let n = 500;
        let mut rng = XorShift::new(7);
        let mut heap = IndexedHeap::new(n);
        let mut best = vec![f64::INFINITY; n];
        for _ in 0..3000 {
            let v = rng.below(n) as u32;
            let k = rng.next_f64() * 100.0;
            heap.push_or_decrease(v, k);
            best[v as usize] = best[v as usize].min(k);
        }
        let mut expect: Vec<(f64, u32)> = best
            .iter()
            .enumerate()
            .filter(|(_, k)| k.is_finite())
            .map(|(v, &k)| (k, v as u32))
            .collect();
        expect.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut got = Vec::new();
        while let Some((v, k)) = heap.pop() {
            assert!(!heap.contains(v));
            got.push((k, v));
        }
        assert_eq!(got.len(), expect.len());
        for (g, e) in got.iter().zip(&expect) {
            assert_eq!(g.0, e.0);
            assert_eq!(best[g.1 as usize], g.0);
        }
    }

    #[test]
    fn clear_forgets_queued_nodes() {
        let mut heap = IndexedHeap::new(4);
        heap.push_or_decrease(1, 2.0);
        heap.push_or_decrease(3, 1.0);
        heap.clear();
        assert!(heap.is_empty() && !heap.contains(1) && !heap.contains(3));
        heap.push_or_decrease(1, 5.0);
        assert_eq!(heap.pop(), Some((1, 5.0)));
        assert_eq!(heap.pop(), None);
    }
}
