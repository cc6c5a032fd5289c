//! The door-to-door time model.
//!
//! A trip from city A's centre to city B's centre costs
//! `access(A, first mode) + wait(first link) + Σ in-vehicle minutes +
//! Σ changes + egress(B, last mode)`, where a change at an intermediate
//! city costs nothing when the trip stays on the same line (or keeps driving),
//! `transfer + wait(next link)` when it changes line on the same mode, and
//! `egress(old mode) + transfer + access(new mode) + wait(next link)` when it
//! changes mode, where `transfer` counts only between two scheduled services:
//! between a road and a train or ferry the access and egress minutes already
//! stand for the change. Access and egress use the city's `access_*_min` where given,
//! else the mode's default; road modes have none. The wait is half the
//! headway of the link's services over an 18-hour service day, capped.

use crate::model::{City, Link, Mode};

/// Parameters of the door-to-door time model (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct TimeModel {
    /// Modes that may be used; others are ignored.
    pub modes: Vec<Mode>,
    /// Default minutes from a city centre to its high-speed rail station.
    pub access_hsr_min: f64,
    /// Default minutes from a city centre to its conventional rail station.
    pub access_rail_min: f64,
    /// Minutes from a city centre to its ferry terminal.
    pub access_ferry_min: f64,
    /// Whether to add the expected wait (half the headway).
    pub wait: bool,
    /// Hours of the service day over which `services_per_day` are spread.
    pub service_hours: f64,
    /// Upper bound of the expected wait, minutes.
    pub max_wait_min: f64,
    /// Expected wait when a scheduled link gives no `services_per_day`.
    pub default_wait_min: f64,
    /// Minutes added at each change of line or mode.
    pub transfer_min: f64,
    /// Include access and egress at the trip's ends.
    pub access: bool,
}

impl Default for TimeModel {
    fn default() -> Self {
        TimeModel {
            modes: Mode::ALL.to_vec(),
            access_hsr_min: 15.0,
            access_rail_min: 10.0,
            access_ferry_min: 15.0,
            wait: true,
            service_hours: 18.0,
            max_wait_min: 30.0,
            default_wait_min: 15.0,
            transfer_min: 10.0,
            access: true,
        }
    }
}

impl TimeModel {
    /// In-vehicle time only: no access, wait or transfer terms. Routing with
    /// it gives the fastest timetable time between two stations.
    pub fn in_vehicle() -> TimeModel {
        TimeModel {
            wait: false,
            transfer_min: 0.0,
            access: false,
            ..TimeModel::default()
        }
    }

    /// Minutes from `city`'s centre to the station or vehicle of `mode`.
    pub fn access(&self, city: &City, mode: Mode) -> f64 {
        if !self.access {
            return 0.0;
        }
        match mode {
            Mode::Hsr => city.access_hsr_min.unwrap_or(self.access_hsr_min),
            Mode::Rail => city.access_rail_min.unwrap_or(self.access_rail_min),
            Mode::Ferry => self.access_ferry_min,
            Mode::Expressway | Mode::Road => 0.0,
        }
    }

    /// Expected wait before boarding `link`.
    pub fn wait(&self, link: &Link) -> f64 {
        if !self.wait || !link.mode.is_scheduled() {
            return 0.0;
        }
        match link.services_per_day {
            Some(n) if n > 0.0 => (self.service_hours * 60.0 / n / 2.0).min(self.max_wait_min),
            _ => self.default_wait_min.min(self.max_wait_min),
        }
    }

    /// Whether `mode` may be used.
    pub fn allows(&self, mode: Mode) -> bool {
        self.modes.contains(&mode)
    }
}

/// Road modes share the car: driving on from an expressway to a road is no change.
pub(crate) fn same_vehicle_class(a: Mode, b: Mode) -> bool {
    a == b
        || (matches!(a, Mode::Expressway | Mode::Road)
            && matches!(b, Mode::Expressway | Mode::Road))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_is_half_headway_capped() {
        let m = TimeModel::default();
        let mut l = Link {
            from: 0,
            to: 1,
            mode: Mode::Hsr,
            minutes: 10.0,
            km: 10.0,
            services_per_day: Some(36.0),
            line: None,
            opened: None,
            oneway: false,
            source: None,
            geometry: None,
            loc: crate::error::Loc::file(&std::sync::Arc::from("t")),
        };
        assert_eq!(m.wait(&l), 15.0); // 1080 min / 36 / 2
        l.services_per_day = Some(4.0);
        assert_eq!(m.wait(&l), 30.0); // capped
        l.services_per_day = None;
        assert_eq!(m.wait(&l), 15.0);
        l.mode = Mode::Expressway;
        assert_eq!(m.wait(&l), 0.0);
    }
}
