//! A fingerprint of a run's inputs and options, so that parts of different
//! runs are not merged.

use std::fmt::Write as _;

use crate::Network;
use crate::road::RoadGraph;

/// FNV-1a (64 bit) over a canonical text of the inputs and options. It
/// guards against merging parts of different runs by mistake; it is not a
/// cryptographic hash.
///
/// Content is hashed, not file paths: shards that read the same network from
/// different folders still match, and a file edited between two shards does
/// not.
#[derive(Debug, Clone)]
pub struct Fingerprint {
    state: u64,
}

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

impl std::fmt::Write for Fingerprint {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.bytes(s.as_bytes());
        Ok(())
    }
}

impl Fingerprint {
    /// A fingerprint started with the command's name.
    pub fn new(command: &str) -> Fingerprint {
        let mut f = Fingerprint { state: OFFSET };
        f.field("command", command);
        f
    }
    fn bytes(&mut self, b: &[u8]) {
        for &x in b {
            self.state ^= u64::from(x);
            self.state = self.state.wrapping_mul(PRIME);
        }
    }
    /// Adds a named value through its `Debug` text (exact for `f64`: the
    /// shortest text that reads back to the same number).
    pub fn field(&mut self, name: &str, value: impl std::fmt::Debug) {
        // Writing into the hash cannot fail.
        let _ = write!(self, "{name}={value:?}\u{1f}");
    }
    /// Adds the city network: cities (id, names, coordinates, populations,
    /// access minutes), links (ends, mode, minutes, km, services, line,
    /// direction) and agglomerations (id, kind, cores, members). Provenance
    /// and file locations are left out.
    pub fn network(&mut self, net: &Network) {
        self.field("cities", net.cities().len());
        for c in net.cities() {
            self.field(
                "city",
                (
                    &c.id,
                    &c.name,
                    &c.name_zh,
                    c.lon,
                    c.lat,
                    c.pop_2020,
                    c.pop_2010,
                    c.urban_pop_2020,
                    c.access_hsr_min,
                    c.access_rail_min,
                ),
            );
        }
        self.field("links", net.links().len());
        for l in net.links() {
            self.field(
                "link",
                (
                    l.from,
                    l.to,
                    l.mode,
                    l.minutes,
                    l.km,
                    l.services_per_day,
                    &l.line,
                    l.oneway,
                ),
            );
        }
        self.field("agglomerations", net.agglomerations().len());
        for a in net.agglomerations() {
            self.field("agglomeration", (&a.id, a.kind, &a.cores, &a.members));
        }
    }
    /// Adds a road graph: every node's label and coordinates and its arcs
    /// with their minutes.
    pub fn road_graph(&mut self, g: &RoadGraph) {
        self.field("nodes", g.node_count());
        self.field("arcs", g.arc_count());
        for v in 0..g.node_count() as u32 {
            self.field("node", (g.label(v), g.lon(v), g.lat(v)));
            for (w, m) in g.graph().out(v) {
                self.field("arc", (w, m));
            }
        }
    }
    /// The fingerprint as 16 hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differs_with_content_and_order() {
        let h = |a: f64, b: &str| {
            let mut f = Fingerprint::new("x");
            f.field("a", a);
            f.field("b", b);
            f.hex()
        };
        assert_eq!(h(1.0, "p"), h(1.0, "p"));
        assert_ne!(h(1.0, "p"), h(1.0 + 1e-15, "p"));
        assert_ne!(h(1.0, "p"), h(1.0, "q"));
        assert_eq!(h(0.0, "").len(), 16);
        let net = crate::io::Input::Embedded.load().unwrap().0;
        let mut a = Fingerprint::new("m");
        a.network(&net);
        let mut data = net.to_data();
        data.links[0].minutes += 1.0;
        let other = Network::from_data(data).unwrap().0;
        let mut b = Fingerprint::new("m");
        b.network(&other);
        assert_ne!(a.hex(), b.hex());
    }
}
