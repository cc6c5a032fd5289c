use crate::model::{CityIdx, Link};

/// One directed arc of the compact adjacency.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arc {
    /// Head city.
    pub to: CityIdx,
    /// Index of the link in [`crate::Network::links`].
    pub link: u32,
    /// In-vehicle or driving minutes (copied for locality).
    pub minutes: f64,
}

/// Compressed sparse row adjacency: the arcs leaving city `v` are
/// `arcs[offsets[v]..offsets[v + 1]]`, sorted by head and link index so
/// iteration order is deterministic. Two arcs per two-way link, one per
/// one-way link; `u32` indices throughout.
#[derive(Debug, Clone, Default)]
pub struct Csr {
    offsets: Vec<u32>,
    arcs: Vec<Arc>,
}

impl Csr {
    /// Builds the adjacency of `n` cities from `links`; `reverse` builds the
    /// transposed graph (arcs towards each city), for searches towards a core.
    pub fn build(n: usize, links: &[Link], reverse: bool) -> Csr {
        let mut arcs: Vec<(CityIdx, Arc)> = Vec::with_capacity(links.len() * 2);
        for (i, l) in links.iter().enumerate() {
            let mut push = |a: CityIdx, b: CityIdx| {
                let (tail, head) = if reverse { (b, a) } else { (a, b) };
                arcs.push((
                    tail,
                    Arc {
                        to: head,
                        link: i as u32,
                        minutes: l.minutes,
                    },
                ));
            };
            push(l.from, l.to);
            if !l.oneway {
                push(l.to, l.from);
            }
        }
        arcs.sort_by_key(|(t, a)| (*t, a.to, a.link));
        let mut offsets = vec![0u32; n + 1];
        for (t, _) in &arcs {
            offsets[*t as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        Csr {
            offsets,
            arcs: arcs.into_iter().map(|(_, a)| a).collect(),
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }
    /// Number of arcs.
    pub fn arc_count(&self) -> usize {
        self.arcs.len()
    }
    /// Positions of the arcs leaving `v` within [`Csr::arcs`].
    #[inline]
    pub fn range(&self, v: CityIdx) -> std::ops::Range<usize> {
        self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize
    }
    /// All arcs, grouped by tail city.
    pub fn arcs(&self) -> &[Arc] {
        &self.arcs
    }
    /// Arcs leaving `v`.
    #[inline]
    pub fn out(&self, v: CityIdx) -> &[Arc] {
        let v = v as usize;
        &self.arcs[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }
}
