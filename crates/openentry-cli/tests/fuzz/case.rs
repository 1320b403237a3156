//! One fuzz case: a route's valid request, then one or two mutations of its body, path, query,
//! credentials or headers. Case `i` of seed `s` is always the same request.

use super::mutate::{self, Rng};
use super::routes::{Route, Who};
use super::wire::Raw;

/// Valid credentials and ids the setup created.
pub(crate) struct Ctx {
    pub(crate) app: &'static str,
    pub(crate) admin: &'static str,
    pub(crate) user: String,
    pub(crate) victim: String,
    pub(crate) order: i64,
    pub(crate) session: i64,
}

impl Ctx {
    fn ids(&self, text: &str) -> String {
        text.replace("ORDER_ID", &self.order.to_string())
            .replace("SESSION_ID", &self.session.to_string())
    }
}

/// The request of case `i`, and a note of what was done to it.
pub(crate) fn build(seed: u64, i: usize, route: &Route, ctx: &Ctx) -> (Raw, String) {
    let mut rng = Rng::new(seed ^ (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut params = Vec::new();
    let mut segments: Vec<String> = ctx
        .ids(route.path)
        .split('/')
        .enumerate()
        .map(|(n, seg)| match seg.strip_prefix([':', '#']) {
            Some(value) => {
                params.push(n);
                value.to_owned()
            }
            None => seg.to_owned(),
        })
        .collect();
    let mut query = ctx.ids(route.query);
    let mut body = route.body.map(|b| ctx.ids(b).into_bytes());
    let (mut bearer, mut app, mut admin) = match route.who {
        Who::User => (Some(ctx.user.clone()), Some(ctx.app.to_owned()), None),
        Who::Victim => (Some(ctx.victim.clone()), Some(ctx.app.to_owned()), None),
        Who::App => (None, Some(ctx.app.to_owned()), None),
        Who::Admin => (None, None, Some(ctx.admin.to_owned())),
        Who::Nobody | Who::Webhook => (None, None, None),
    };
    let mut extra: Vec<(&'static str, String)> = Vec::new();
    if route.who == Who::Webhook {
        extra.push(("stripe-signature", "t=1780745901,v1=00ff".to_owned()));
    }
    let mut what = Vec::new();
    let rounds = if rng.chance(25) { 2 } else { 1 };
    for _ in 0..rounds {
        let roll = rng.below(10);
        let kind = if roll < if body.is_some() { 5 } else { 1 } {
            "body"
        } else if !params.is_empty() && roll < 7 {
            "path"
        } else if roll < 8 {
            "query"
        } else if roll < 9 {
            "credential"
        } else {
            "header"
        };
        match kind {
            "body" => {
                let base = body
                    .as_deref()
                    .map_or("{}".to_owned(), |b| String::from_utf8_lossy(b).into_owned());
                // A body already mangled by a first round may be no JSON any more.
                let base = if serde_json::from_str::<serde_json::Value>(&base).is_ok() {
                    base
                } else {
                    "{}".to_owned()
                };
                let (mut b, note) = mutate::body(&mut rng, &base);
                b.truncate(mutate::MAX_BODY);
                body = Some(b);
                what.push(format!("body: {note}"));
            }
            "path" => what.push(format!(
                "path: {}",
                mutate::path(&mut rng, &mut segments, &params)
            )),
            "query" => {
                let (q, note) = mutate::query(&mut rng, &query);
                query = q;
                what.push(format!("query: {note}"));
            }
            "credential" => {
                let slot = match route.who {
                    Who::User | Who::Victim => &mut bearer,
                    Who::Admin => &mut admin,
                    _ => &mut app,
                };
                let valid = slot.clone().unwrap_or_else(|| ctx.app.to_owned());
                *slot = mutate::token(&mut rng, &valid);
                if route.who == Who::Webhook {
                    extra.clear();
                    if let Some(sig) = slot.take() {
                        extra.push(("stripe-signature", format!("t=1780745901,v1={sig},v0=aa")));
                    }
                }
                what.push("credential".to_owned());
            }
            _ => {
                let header = rng.pick(&[
                    ("content-type", "text/plain"),
                    ("content-type", "application/json; charset=latin1"),
                    ("idempotency-key", "a b"),
                    ("idempotency-key", "fuzz-key-1"),
                    (
                        "x-device-metadata",
                        r#"{"deviceInfo":{"os":"\u0000","browser":1}}"#,
                    ),
                    (
                        "x-device-metadata",
                        r#"{"deviceInfo":{"os":"a","browser":"b","location":"c"},"deviceInfo":{}}"#,
                    ),
                    ("x-forwarded-for", "999.1.1.1, ::1, garbage"),
                    ("authorization", "Basic Zm9vOmJhcg=="),
                ]);
                extra.push((header.0, header.1.to_owned()));
                what.push(format!("header: {}", header.0));
            }
        }
    }
    let mut headers = extra;
    if let Some(t) = app {
        headers.push(("x-app-token", t));
    }
    if let Some(t) = bearer.or(admin) {
        headers.push(("authorization", format!("Bearer {t}")));
    }
    if body.is_some() && !headers.iter().any(|(n, _)| *n == "content-type") {
        headers.push(("content-type", "application/json".to_owned()));
    }
    let mut target = segments.join("/");
    if !query.is_empty() {
        target.push('?');
        target.push_str(&query);
    }
    let raw = Raw {
        method: route.method,
        target: target.into_bytes(),
        headers,
        body,
    };
    (
        raw,
        format!("{} {}: {}", route.method, route.path, what.join(", ")),
    )
}
