//! A `timeInterval` attribute's schedule as the platform sends it on the attribute of a set.
//!
//! Wire quirk (docs/wire.md, "Time interval schedules"): `[{values: [{dates: [from, to],
//! times: [[{hours, minutes}, {hours, minutes}], …], inEveryWeek, inEveryMonth, external:
//! [{date}]}]}]`. SDK 1.0.149 expands a schedule into `timeIntervals` slots only when it
//! repeats weekly or monthly; storefronts read the slots and the holidays (`external`).

use openentry_domain::project::ScheduleDef;
use serde_json::{Value, json};
use time::{Date, Time};

/// The attribute's `value`: one group holding every schedule; `None` without a schedule.
/// Schedules were checked at import; one that no longer parses is left out.
pub(crate) fn schedule_json(defs: &[ScheduleDef]) -> Option<Value> {
    if defs.is_empty() {
        return None;
    }
    let values: Vec<Value> = defs
        .iter()
        .filter_map(|d| d.parse().ok())
        .map(|s| {
            json!({
                "dates": [midnight(s.from), midnight(s.to)],
                "times": s
                    .times
                    .iter()
                    .map(|(a, b)| json!([clock(*a), clock(*b)]))
                    .collect::<Vec<_>>(),
                "inEveryWeek": s.every_week,
                "inEveryMonth": s.every_month,
                "external": s
                    .holidays
                    .iter()
                    .map(|h| json!({"date": midnight(*h)}))
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    Some(json!([{ "values": values }]))
}

fn midnight(d: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}T00:00:00.000Z",
        d.year(),
        u8::from(d.month()),
        d.day()
    )
}

fn clock(t: Time) -> Value {
    json!({"hours": t.hour(), "minutes": t.minute()})
}
