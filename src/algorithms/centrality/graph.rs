//! A compact weighted graph for the centrality kernels.

use crate::error::GraphError;

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
    /// Whether the nodes are numbered for memory locality already
    /// ([`WGraph::relabelled_local`]), so kernels need not relabel them.
    local_order: bool,
}

impl WGraph {
    /// Builds a graph of `n` nodes from arcs `(tail, head, weight)`. Parallel
    /// arcs keep the smallest weight; self-loops are dropped. When
    /// `undirected`, every arc is also added in reverse.
    ///
    /// # Errors
    /// [`GraphError`] when an index is out of range, a weight is not positive
    /// and finite, or the graph is too large for `u32` indices.
    pub fn from_arcs(
        n: usize,
        arcs: &[(u32, u32, f64)],
        undirected: bool,
    ) -> Result<WGraph, GraphError> {
        let limit = u32::MAX as u64 - 1;
        if n as u64 > limit {
            return Err(GraphError::TooLarge {
                what: "nodes",
                limit,
            });
        }
        let total = arcs.len() as u64 * if undirected { 2 } else { 1 };
        if total > limit {
            return Err(GraphError::TooLarge {
                what: "arcs",
                limit,
            });
        }
        let mut all: Vec<(u32, u32, f64)> = Vec::with_capacity(total as usize);
        for (i, &(a, b, w)) in arcs.iter().enumerate() {
            for node in [a, b] {
                if node as usize >= n {
                    return Err(GraphError::NodeOutOfRange {
                        arc: i,
                        node,
                        nodes: n,
                    });
                }
            }
            if !(w.is_finite() && w > 0.0) {
                return Err(GraphError::BadWeight { arc: i, weight: w });
            }
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
        Ok(WGraph {
            offsets,
            heads: all.iter().map(|x| x.1).collect(),
            weights: all.iter().map(|x| x.2).collect(),
            directed: !symmetric,
            local_order: false,
        })
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
    /// A breadth-first order of the nodes (following out-arcs, each new tree
    /// rooted at the lowest unvisited node): `order[i]` is the node placed
    /// at `i`. Nodes near each other in the graph come near each other in
    /// this order, so relabelling by it keeps a search's memory accesses
    /// local ([`WGraph::relabelled`]).
    pub fn bfs_order(&self) -> Vec<u32> {
        let n = self.node_count();
        let mut seen = vec![false; n];
        let mut order = Vec::with_capacity(n);
        for root in 0..n as u32 {
            if seen[root as usize] {
                continue;
            }
            seen[root as usize] = true;
            let mut head = order.len();
            order.push(root);
            while head < order.len() {
                let v = order[head];
                head += 1;
                for (h, _) in self.out(v) {
                    if !seen[h as usize] {
                        seen[h as usize] = true;
                        order.push(h);
                    }
                }
            }
        }
        order
    }

    /// The same graph with node `order[i]` renamed `i` (`order` a
    /// permutation of the nodes); arcs of each node sorted by new head.
    pub fn relabelled(&self, order: &[u32]) -> WGraph {
        let n = self.node_count();
        assert_eq!(order.len(), n, "order must be a permutation of the nodes");
        let mut new_id = vec![u32::MAX; n];
        for (i, &v) in order.iter().enumerate() {
            new_id[v as usize] = i as u32;
        }
        let mut offsets = Vec::with_capacity(n + 1);
        let mut heads = Vec::with_capacity(self.arc_count());
        let mut weights = Vec::with_capacity(self.arc_count());
        let mut arcs: Vec<(u32, f64)> = Vec::new();
        offsets.push(0u32);
        for &v in order {
            arcs.clear();
            arcs.extend(self.out(v).map(|(h, w)| (new_id[h as usize], w)));
            arcs.sort_unstable_by_key(|a| a.0);
            heads.extend(arcs.iter().map(|a| a.0));
            weights.extend(arcs.iter().map(|a| a.1));
            offsets.push(heads.len() as u32);
        }
        WGraph {
            offsets,
            heads,
            weights,
            directed: self.directed,
            local_order: false,
        }
    }

    /// The graph relabelled in breadth-first order ([`WGraph::bfs_order`]),
    /// and that order (`order[i]` is the node now numbered `i`). The kernels
    /// that relabel large graphs for memory locality
    /// ([`path_centrality`](super::path_centrality), the road matrix and
    /// closeness) use such a graph as it is.
    pub fn bfs_relabelled(&self) -> (WGraph, Vec<u32>) {
        let order = self.bfs_order();
        (self.relabelled_local(&order), order)
    }

    /// [`WGraph::relabelled`] by an order chosen for memory locality
    /// (breadth-first, or along a space-filling curve), marked so that the
    /// kernels use it as it is ([`WGraph::is_local_order`]).
    pub fn relabelled_local(&self, order: &[u32]) -> WGraph {
        let mut g = self.relabelled(order);
        g.local_order = true;
        g
    }

    /// Whether the graph came from [`WGraph::relabelled_local`].
    pub fn is_local_order(&self) -> bool {
        self.local_order
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
        let mut g = WGraph::from_arcs(n, &arcs, false)
            .expect("the arcs of a valid graph, reversed, are valid");
        g.directed = self.directed;
        g
    }
}
