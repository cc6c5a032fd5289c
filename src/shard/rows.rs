//! Some rows of a road travel-time matrix: the work of one shard.

use rayon::prelude::*;

use crate::algorithms::centrality::{RELABEL_MIN, WGraph};
use crate::road::SearchSpace;

/// Rows `rows` (0-based positions in `points`) of the road matrix between
/// `points`: row `r` holds the minutes from `points[r]` to every point
/// (infinite when unreachable), as the same rows of
/// [`road::matrix`](crate::road::matrix). Distances do not depend on the
/// order of search or on node labels, so the rows are that function's to
/// the bit; large graphs are searched relabelled in breadth-first order when
/// there are enough rows to pay for it.
///
/// # Complexity
/// One Dijkstra per row, stopped once every point is settled:
/// O(rows · (m + n log n)) at worst.
pub fn road_matrix_rows(g: &WGraph, points: &[u32], rows: &[usize]) -> Vec<Vec<f64>> {
    if g.node_count() < RELABEL_MIN || rows.len() < RELABEL_MIN_ROWS {
        return rows_in_order(g, points, rows);
    }
    let order = g.bfs_order();
    let mut new_id = vec![0u32; order.len()];
    for (i, &v) in order.iter().enumerate() {
        new_id[v as usize] = i as u32;
    }
    let relabelled: Vec<u32> = points.iter().map(|&p| new_id[p as usize]).collect();
    rows_in_order(&g.relabelled(&order), &relabelled, rows)
}

/// Rows from which a large graph is relabelled first: the relabelling costs
/// about two searches.
const RELABEL_MIN_ROWS: usize = 64;

fn rows_in_order(g: &WGraph, points: &[u32], rows: &[usize]) -> Vec<Vec<f64>> {
    let n = g.node_count();
    let mut is_target = vec![false; n];
    for &p in points {
        is_target[p as usize] = true;
    }
    let distinct = is_target.iter().filter(|&&b| b).count();
    rows.par_iter()
        .map_init(
            || SearchSpace::new(n),
            |ws, &r| {
                let d = ws.search(g, &[points[r]], f64::INFINITY, Some((&is_target, distinct)));
                points.iter().map(|&t| d.get(t)).collect()
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::road::{RoadGraph, matrix};

    /// The rows of every shard, put together, are the whole matrix, bit for
    /// bit, on seeded random graphs below and above the relabelling sizes.
    #[test]
    fn shard_rows_are_the_matrix_rows() {
        let mut seed = 7u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for (n, k) in [(50usize, 9usize), (RELABEL_MIN + 10, 70)] {
            let lon: Vec<f64> = (0..n).map(|i| i as f64 * 1e-3).collect();
            let arcs: Vec<(u32, u32, f64)> = (0..3 * n)
                .map(|_| {
                    let a = (next() % n as u64) as u32;
                    let b = (next() % n as u64) as u32;
                    (a, b, 0.1 + (next() % 1000) as f64 / 37.0)
                })
                .filter(|x| x.0 != x.1)
                .collect();
            let g = RoadGraph::new(lon.clone(), lon, &arcs, false, None).unwrap();
            let points: Vec<u32> = (0..k).map(|_| (next() % n as u64) as u32).collect();
            let whole = matrix(g.graph(), &points);
            for shards in [1, 2, 3] {
                for i in 1..=shards {
                    let s = crate::shard::Shard::new(i, shards).unwrap();
                    let rows: Vec<usize> = s.positions(k).collect();
                    let part = road_matrix_rows(g.graph(), &points, &rows);
                    for (r, row) in rows.iter().zip(&part) {
                        let same = whole[*r]
                            .iter()
                            .zip(row)
                            .all(|(a, b)| a.to_bits() == b.to_bits());
                        assert!(same, "n {n}, shard {s}, row {r}");
                    }
                }
            }
        }
    }
}
