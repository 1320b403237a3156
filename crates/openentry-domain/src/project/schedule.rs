//! The schedule of a `timeInterval` attribute: the days and hours a storefront offers (a
//! delivery calendar, opening hours). Storefronts read it from the attribute of the set
//! (`getSingleAttributeByMarkerSet`) and the SDK expands it into slots (docs/wire.md, "Time
//! interval schedules").

use serde::{Deserialize, Serialize};
use time::macros::format_description;
use time::{Date, Time};

/// One schedule: `{ from = "2026-01-01", to = "2027-12-31", times = [["09:00", "12:00"]],
/// holidays = ["2026-12-25"] }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleDef {
    /// First day (inclusive), `YYYY-MM-DD`.
    pub from: String,
    /// Last day (inclusive), `YYYY-MM-DD`; the same as `from` for one day.
    pub to: String,
    /// Windows of each day, `["HH:MM", "HH:MM"]`, in UTC (as the SDK reads them).
    pub times: Vec<[String; 2]>,
    /// Repeat each day of the range weekly (the platform's `inEveryWeek`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub every_week: bool,
    /// Repeat each day of the range monthly (the platform's `inEveryMonth`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub every_month: bool,
    /// Days the storefront must not offer (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<String>,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_false(b: &bool) -> bool {
    !*b
}

/// A checked schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
    /// Daily windows, each starting before it ends.
    pub times: Vec<(Time, Time)>,
    /// Weekly repetition.
    pub every_week: bool,
    /// Monthly repetition.
    pub every_month: bool,
    /// Days not offered.
    pub holidays: Vec<Date>,
}

impl ScheduleDef {
    /// The schedule, or what is wrong with it (`(field, message)`).
    pub fn parse(&self) -> Result<Schedule, (String, String)> {
        let from = day(&self.from).map_err(|e| ("from".to_owned(), e))?;
        let to = day(&self.to).map_err(|e| ("to".to_owned(), e))?;
        if to < from {
            return Err((
                "to".to_owned(),
                format!("{} is before from = {}", self.to, self.from),
            ));
        }
        if self.times.is_empty() {
            return Err(("times".to_owned(), "give at least one window".to_owned()));
        }
        let mut times = Vec::with_capacity(self.times.len());
        for (k, [start, end]) in self.times.iter().enumerate() {
            let at = format!("times[{k}]");
            let s = hour(start).map_err(|e| (at.clone(), e))?;
            let e = hour(end).map_err(|e| (at.clone(), e))?;
            if e <= s {
                return Err((at, format!("{start} does not come before {end}")));
            }
            times.push((s, e));
        }
        let mut holidays = Vec::with_capacity(self.holidays.len());
        for (k, h) in self.holidays.iter().enumerate() {
            holidays.push(day(h).map_err(|e| (format!("holidays[{k}]"), e))?);
        }
        Ok(Schedule {
            from,
            to,
            times,
            every_week: self.every_week,
            every_month: self.every_month,
            holidays,
        })
    }
}

fn day(s: &str) -> Result<Date, String> {
    Date::parse(s, format_description!("[year]-[month]-[day]"))
        .map_err(|_| format!("\"{s}\" is not a day written YYYY-MM-DD"))
}

fn hour(s: &str) -> Result<Time, String> {
    Time::parse(s, format_description!("[hour]:[minute]"))
        .map_err(|_| format!("\"{s}\" is not a time of day written HH:MM"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(from: &str, to: &str, times: &[[&str; 2]]) -> ScheduleDef {
        ScheduleDef {
            from: from.into(),
            to: to.into(),
            times: times
                .iter()
                .map(|[a, b]| [(*a).into(), (*b).into()])
                .collect(),
            every_week: false,
            every_month: false,
            holidays: vec!["2026-12-25".into()],
        }
    }

    #[test]
    fn a_schedule_parses_days_windows_and_holidays() {
        let s = def("2026-01-01", "2026-12-31", &[["09:00", "12:30"]]).parse();
        let s = s.expect("valid");
        assert_eq!(s.times.len(), 1);
        assert_eq!(s.times[0].1.minute(), 30);
        assert_eq!(s.holidays[0].day(), 25);
    }

    #[test]
    fn mistakes_name_their_field() {
        let field = |d: ScheduleDef| d.parse().map(|_| ()).map_err(|(f, _)| f);
        assert_eq!(
            field(def("2026-02-30", "2026-03-01", &[["09:00", "10:00"]])),
            Err("from".to_owned())
        );
        assert_eq!(
            field(def("2026-03-02", "2026-03-01", &[["09:00", "10:00"]])),
            Err("to".to_owned())
        );
        assert_eq!(
            field(def("2026-03-01", "2026-03-01", &[["10:00", "10:00"]])),
            Err("times[0]".to_owned())
        );
        assert_eq!(
            field(def("2026-03-01", "2026-03-01", &[["9am", "10:00"]])),
            Err("times[0]".to_owned())
        );
        assert_eq!(
            field(def("2026-03-01", "2026-03-01", &[])),
            Err("times".to_owned())
        );
    }
}
