//! One fuzz case: a route's valid request, then one or two mutations of its body, path, query,
//! credentials or headers. Case `i` of seed `s` is always the same request.

use super::mutate::{self, Rng};
use super::routes::{Route, Who};
use super::wire::Raw;

/// Valid credentials and ids the setup created.
pub(crate) struct Ctx {
    pub(crate) app: &'static str,
    pub(crate) admin: &'static str,
    pub(crate) webhook_secret: &'static str,
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
    let mut draft = Draft::valid(route, ctx);
    let rounds = if rng.chance(25) { 2 } else { 1 };
    for _ in 0..rounds {
        draft.mutate(&mut rng);
    }
    draft.finish()
}

/// A request being built: the route's valid request, then mutated.
struct Draft<'a> {
    route: &'a Route,
    ctx: &'a Ctx,
    /// Path segments, and which of them are parameters.
    segments: Vec<String>,
    params: Vec<usize>,
    query: String,
    body: Option<Vec<u8>>,
    bearer: Option<String>,
    app: Option<String>,
    admin: Option<String>,
    /// Headers added by mutations.
    extra: Vec<(&'static str, String)>,
    /// Webhook deliveries are signed at the end (over the mutated body) unless a credential
    /// mutation replaced the signature.
    sign: bool,
    /// What was done, for the failure report.
    what: Vec<String>,
}

impl<'a> Draft<'a> {
    /// The valid request of `route`.
    fn valid(route: &'a Route, ctx: &'a Ctx) -> Self {
        let mut params = Vec::new();
        let segments: Vec<String> = ctx
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
        let (bearer, app, admin) = match route.who {
            Who::User => (Some(ctx.user.clone()), Some(ctx.app.to_owned()), None),
            Who::Victim => (Some(ctx.victim.clone()), Some(ctx.app.to_owned()), None),
            Who::App => (None, Some(ctx.app.to_owned()), None),
            Who::Admin => (None, None, Some(ctx.admin.to_owned())),
            Who::Nobody | Who::Webhook => (None, None, None),
        };
        Self {
            route,
            ctx,
            segments,
            params,
            query: ctx.ids(route.query),
            body: route.body.map(|b| ctx.ids(b).into_bytes()),
            bearer,
            app,
            admin,
            extra: Vec::new(),
            sign: route.who == Who::Webhook,
            what: Vec::new(),
        }
    }

    /// One mutation of the body, path, query, a credential or a header.
    fn mutate(&mut self, rng: &mut Rng) {
        let roll = rng.below(10);
        let kind = if roll < if self.body.is_some() { 5 } else { 1 } {
            "body"
        } else if !self.params.is_empty() && roll < 7 {
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
                // From the valid body (or `{}`), also in a second round: mutating a mutated
                // body adds little and can cost much (100,000-element arrays).
                let base = self.route.body.map_or("{}".to_owned(), |b| self.ctx.ids(b));
                let (mut b, note) = mutate::body(rng, &base);
                b.truncate(mutate::MAX_BODY);
                self.body = Some(b);
                self.what.push(format!("body: {note}"));
            }
            "path" => {
                let note = mutate::path(rng, &mut self.segments, &self.params);
                self.what.push(format!("path: {note}"));
            }
            "query" => {
                let (q, note) = mutate::query(rng, &self.query);
                self.query = q;
                self.what.push(format!("query: {note}"));
            }
            "credential" => self.mutate_credential(rng),
            _ => self.mutate_header(rng),
        }
    }

    /// Replaces the route's credential (the app token for routes without one) by a bad one.
    fn mutate_credential(&mut self, rng: &mut Rng) {
        let who = self.route.who;
        let slot = match who {
            Who::User | Who::Victim => &mut self.bearer,
            Who::Admin => &mut self.admin,
            _ => &mut self.app,
        };
        let valid = slot.clone().unwrap_or_else(|| self.ctx.app.to_owned());
        *slot = mutate::token(rng, &valid);
        if who == Who::Webhook {
            self.sign = false;
            if let Some(sig) = slot.take() {
                let t = now_secs();
                self.extra
                    .push(("stripe-signature", format!("t={t},v1={sig},v0=aa")));
            }
        }
        self.what.push("credential".to_owned());
    }

    /// Adds an odd header.
    fn mutate_header(&mut self, rng: &mut Rng) {
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
        self.extra.push((header.0, header.1.to_owned()));
        self.what.push(format!("header: {}", header.0));
    }

    /// The request as sent, and the note of what was done to it.
    fn finish(self) -> (Raw, String) {
        let Self {
            route,
            ctx,
            segments,
            query,
            body,
            bearer,
            app,
            admin,
            extra,
            sign,
            what,
            ..
        } = self;
        let mut headers = extra;
        if sign {
            let payload = body.as_deref().unwrap_or_default();
            headers.push((
                "stripe-signature",
                stripe_signature(ctx.webhook_secret, payload),
            ));
        }
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
}

/// Stripe signs with the wall clock, and the server checks against its own.
#[allow(clippy::disallowed_methods)]
fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A valid `Stripe-Signature` for `payload`: HMAC-SHA256 over `"{t}.{payload}"`.
fn stripe_signature(secret: &str, payload: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let t = now_secs();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(payload);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}
