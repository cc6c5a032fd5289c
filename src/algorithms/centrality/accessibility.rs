//! Potential accessibility: `A_i = Σ_j P_j · f(t_ij)` over the destinations j
//! reachable from i (i itself included, at t = 0), with a choice of decay f.

use std::fmt;
use std::str::FromStr;

/// Decay function of travel time (minutes) used in accessibility.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decay {
    /// Negative exponential (Hansen): `exp(−β t)` with `β = ln 2 / half_life`.
    Exponential {
        /// Minutes after which the weight halves.
        half_life: f64,
    },
    /// Cumulative opportunities: 1 within `minutes`, 0 beyond.
    Step {
        /// The budget.
        minutes: f64,
    },
    /// Linear: `max(0, 1 − t / minutes)`.
    Linear {
        /// Minutes at which the weight reaches zero.
        minutes: f64,
    },
    /// Inverse power: `(1 + t / scale)^(−exponent)`; finite at t = 0.
    Power {
        /// Minutes scale.
        scale: f64,
        /// Exponent.
        exponent: f64,
    },
    /// Gaussian: `exp(−t² / (2 σ²))`.
    Gaussian {
        /// Standard deviation, minutes.
        sigma: f64,
    },
}

impl Decay {
    /// The weight of a destination `t` minutes away.
    pub fn weight(&self, t: f64) -> f64 {
        match *self {
            Decay::Exponential { half_life } => (-(std::f64::consts::LN_2 / half_life) * t).exp(),
            Decay::Step { minutes } => f64::from(u8::from(t <= minutes)),
            Decay::Linear { minutes } => (1.0 - t / minutes).max(0.0),
            Decay::Power { scale, exponent } => (1.0 + t / scale).powf(-exponent),
            Decay::Gaussian { sigma } => (-(t * t) / (2.0 * sigma * sigma)).exp(),
        }
    }
    /// Short name used in column headers.
    pub fn name(&self) -> &'static str {
        match self {
            Decay::Exponential { .. } => "exp",
            Decay::Step { .. } => "step",
            Decay::Linear { .. } => "linear",
            Decay::Power { .. } => "power",
            Decay::Gaussian { .. } => "gauss",
        }
    }
}

impl fmt::Display for Decay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The kinds of decay by name, for parsing with default parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecayKind {
    /// See [`Decay::Exponential`].
    Exponential,
    /// See [`Decay::Step`].
    Step,
    /// See [`Decay::Linear`].
    Linear,
    /// See [`Decay::Power`].
    Power,
    /// See [`Decay::Gaussian`].
    Gaussian,
}

impl FromStr for DecayKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.trim() {
            "exp" | "exponential" | "hansen" => DecayKind::Exponential,
            "step" | "cumulative" => DecayKind::Step,
            "linear" => DecayKind::Linear,
            "power" => DecayKind::Power,
            "gauss" | "gaussian" => DecayKind::Gaussian,
            o => {
                return Err(format!(
                    "unknown decay `{o}` (expected exp, step, linear, power, gauss)"
                ));
            }
        })
    }
}

/// Accessibility of every origin from its travel times: `times[i]` lists
/// (destination, minutes) pairs reached from i, i itself included at 0.
pub fn accessibility(times: &[Vec<(usize, f64)>], population: &[f64], decay: Decay) -> Vec<f64> {
    times
        .iter()
        .map(|row| {
            row.iter()
                .map(|&(j, t)| population[j] * decay.weight(t))
                .sum()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decays_have_their_documented_shape() {
        let e = Decay::Exponential { half_life: 30.0 };
        assert!((e.weight(30.0) - 0.5).abs() < 1e-12);
        assert_eq!(e.weight(0.0), 1.0);
        assert_eq!(Decay::Step { minutes: 60.0 }.weight(60.0), 1.0);
        assert_eq!(Decay::Step { minutes: 60.0 }.weight(60.1), 0.0);
        assert_eq!(Decay::Linear { minutes: 60.0 }.weight(30.0), 0.5);
        assert_eq!(Decay::Linear { minutes: 60.0 }.weight(90.0), 0.0);
        assert!(
            (Decay::Power {
                scale: 30.0,
                exponent: 2.0
            }
            .weight(30.0)
                - 0.25)
                .abs()
                < 1e-12
        );
        assert!((Decay::Gaussian { sigma: 30.0 }.weight(30.0) - (-0.5f64).exp()).abs() < 1e-12);
        let a = accessibility(&[vec![(0, 0.0), (1, 30.0)]], &[100.0, 200.0], e);
        assert!((a[0] - 200.0).abs() < 1e-9);
    }
}
