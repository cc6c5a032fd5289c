//! A compact weighted graph for the centrality kernels.

/// A weighted directed graph in CSR form with `u32` node indices. An
/// undirected graph stores both arcs of every edge and sets `directed` false,
/// which selects NetworkX's conventions for betweenness (raw values halved).
#[derive(Debug, Clone, Default)]
pub struct WGraph {
    offsets: Vec<u32>,
    heads: Vec<u32>,
    weights: Vec<f64>,
    /// Whether any edge is one-way.
    pub directed: bool,
}

impl WGraph {
    /// Builds a graph of `n` nodes from arcs `(tail, head, weight)`. Parallel
    /// arcs keep the smallest weight; self-loops are dropped. When
    /// `undirected`, every arc is also added in reverse.
    ///
    /// # Panics
    /// If an index is out of range or a weight is not positive and finite
    /// (callers check user input before building).
    pub fn from_arcs(n: usize, arcs: &[(u32, u32, f64)], undirected: bool) -> WGraph {
        let mut all: Vec<(u32, u32, f64)> = Vec::with_capacity(arcs.len() * 2);
        for &(a, b, w) in arcs {
            assert!(
                (a as usize) < n && (b as usize) < n,
                "node index out of range"
            );
            assert!(
                w.is_finite() && w > 0.0,
                "weights must be positive and finite"
            );
            if a == b {
                continue;
            }
            all.push((a, b, w));
            if undirected {
                all.push((b, a, w));
            }
        }
        all.sort_unstable_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)).then(x.2.total_cmp(&y.2)));
        all.dedup_by(|later, first| later.0 == first.0 && later.1 == first.1);
        let mut offsets = vec![0u32; n + 1];
        for &(a, _, _) in &all {
            offsets[a as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        // Symmetric when every arc has its reverse with the same weight.
        let symmetric = all.iter().all(|&(a, b, w)| {
            let (lo, hi) = (
                offsets[b as usize] as usize,
                offsets[b as usize + 1] as usize,
            );
            all[lo..hi].iter().any(|&(_, h, w2)| h == a && w2 == w)
        });
        WGraph {
            offsets,
            heads: all.iter().map(|x| x.1).collect(),
            weights: all.iter().map(|x| x.2).collect(),
            directed: !symmetric,
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.offsets.len() - 1
    }
    /// Number of arcs (twice the edges of an undirected graph).
    pub fn arc_count(&self) -> usize {
        self.heads.len()
    }
    /// Arcs leaving `v` as (head, weight).
    #[inline]
    pub fn out(&self, v: u32) -> impl Iterator<Item = (u32, f64)> + '_ {
        let (lo, hi) = (
            self.offsets[v as usize] as usize,
            self.offsets[v as usize + 1] as usize,
        );
        self.heads[lo..hi]
            .iter()
            .copied()
            .zip(self.weights[lo..hi].iter().copied())
    }
    /// Number of arcs leaving `v`.
    pub fn out_degree(&self, v: u32) -> usize {
        (self.offsets[v as usize + 1] - self.offsets[v as usize]) as usize
    }
    /// Bytes held by the arrays (capacity, not length).
    pub fn heap_bytes(&self) -> usize {
        self.offsets.capacity() * 4 + self.heads.capacity() * 4 + self.weights.capacity() * 8
    }
    /// The transposed graph (every arc reversed).
    pub fn reversed(&self) -> WGraph {
        let n = self.node_count();
        let mut arcs = Vec::with_capacity(self.arc_count());
        for v in 0..n as u32 {
            for (h, w) in self.out(v) {
                arcs.push((h, v, w));
            }
        }
        let mut g = WGraph::from_arcs(n, &arcs, false);
        g.directed = self.directed;
        g
    }
}
