use std::fmt;
use std::str::FromStr;

/// Transport mode of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// High-speed and intercity rail (G/D/C trains).
    Hsr,
    /// Conventional rail.
    Rail,
    /// Expressway driving.
    Expressway,
    /// Other roads, bridges and land border crossings.
    Road,
    /// Ferry crossings.
    Ferry,
}

impl Mode {
    /// Every mode, in a fixed order.
    pub const ALL: [Mode; 5] = [
        Mode::Hsr,
        Mode::Rail,
        Mode::Expressway,
        Mode::Road,
        Mode::Ferry,
    ];

    /// The name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Hsr => "hsr",
            Mode::Rail => "rail",
            Mode::Expressway => "expressway",
            Mode::Road => "road",
            Mode::Ferry => "ferry",
        }
    }

    /// Whether trips on this mode run to a timetable (rail, ferry).
    pub fn is_scheduled(self) -> bool {
        matches!(self, Mode::Hsr | Mode::Rail | Mode::Ferry)
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for a mode name that is not one of [`Mode::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown mode `{0}` (expected one of hsr, rail, expressway, road, ferry)")]
pub struct UnknownMode(pub String);

impl FromStr for Mode {
    type Err = UnknownMode;
    fn from_str(s: &str) -> Result<Mode, UnknownMode> {
        Mode::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownMode(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_mode_and_rejects_others() {
        for m in Mode::ALL {
            assert_eq!(m.as_str().parse::<Mode>().unwrap(), m);
        }
        assert_eq!("HSR".parse::<Mode>().unwrap(), Mode::Hsr);
        assert!("maglev".parse::<Mode>().is_err());
    }
}
