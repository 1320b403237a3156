//! What one iteration of each load mode does over HTTP, and the per-user setup it needs.

use std::time::Instant;

use serde_json::json;

use super::content::{Call, ContentCalls};

/// The single-operation modes of `bench op`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Op {
    /// Sign in with email and password.
    Login,
    /// createOrder (a 3-line cart).
    CreateOrder,
    /// getOrderByMarkerAndId.
    GetOrder,
    /// getSessionByOrderId.
    GetSession,
    /// getAllOrdersByMarker (the user's orders, first page).
    ListOrders,
    /// getPageByUrl (the demo's catalog page).
    Page,
    /// getMenusByMarker (the demo's first menu).
    Menu,
    /// getBlockByMarker (the demo's UI dictionary block).
    Block,
    /// getLocales.
    Locales,
    /// Every call one storefront page makes (shared layout + a catalog page), in turn.
    StorefrontPage,
    /// GET /healthz: the baseline read, run at the same schedule as a content read so their
    /// open-loop tails compare in one run.
    Healthz,
}

impl Op {
    /// Whether the operation reads public content (no user, no order needed).
    pub(crate) fn is_content(self) -> bool {
        matches!(
            self,
            Op::Page | Op::Menu | Op::Block | Op::Locales | Op::StorefrontPage | Op::Healthz
        )
    }
}

/// The seed flow, or one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// createOrder → createSession → getSessionByOrderId.
    Flow,
    /// One operation per iteration.
    Op(Op),
}

impl Mode {
    /// Names of the timed steps.
    pub(crate) fn steps(self) -> Vec<&'static str> {
        match self {
            Mode::Flow => vec!["createOrder", "createSession", "getSessionByOrderId"],
            Mode::Op(Op::Login) => vec!["login"],
            Mode::Op(Op::CreateOrder) => vec!["createOrder"],
            Mode::Op(Op::GetOrder) => vec!["getOrderByMarkerAndId"],
            Mode::Op(Op::GetSession) => vec!["getSessionByOrderId"],
            Mode::Op(Op::ListOrders) => vec!["getAllOrdersByMarker"],
            Mode::Op(Op::Page) => vec!["getPageByUrl"],
            Mode::Op(Op::Menu) => vec!["getMenusByMarker"],
            Mode::Op(Op::Block) => vec!["getBlockByMarker"],
            Mode::Op(Op::Locales) => vec!["getLocales"],
            Mode::Op(Op::StorefrontPage) => vec!["storefront page (all calls)"],
            Mode::Op(Op::Healthz) => vec!["healthz"],
        }
    }
}

/// A signed-in virtual user.
#[derive(Debug, Clone)]
pub(crate) struct User {
    email: String,
    access: String,
    /// An order of this user that has a payment session (read modes).
    order_id: i64,
}

/// Everything an iteration needs.
#[derive(Debug)]
pub(crate) struct Ctx {
    client: reqwest::Client,
    base: String,
    app_token: String,
    users: Vec<User>,
    /// The content calls (content operations only).
    content: Option<ContentCalls>,
}

const PASSWORD: &str = "correct horse battery";
const ORDERS: &str = "/api/content/orders-storage/marker/orders/orders";
const ORDER_BODY: &str = r#"{"formIdentifier":"order","paymentAccountIdentifier":"cash","formData":{"en_US":[{"type":"string","marker":"name","value":"Christina Thomas"}]},"products":[{"productId":15,"quantity":1},{"productId":16,"quantity":2},{"productId":17,"quantity":1}]}"#;

fn auth_body(email: &str) -> String {
    json!({"authData": [{"marker": "email_reg", "value": email}, {"marker": "password_reg", "value": PASSWORD}]}).to_string()
}

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

impl Ctx {
    /// Signs up and in `n` fresh users (unique to this run, so that an external server can be
    /// reused), and gives each the order and payment session the read modes fetch.
    pub(crate) async fn setup(
        base: &str,
        app_token: &str,
        n: usize,
        mode: Mode,
    ) -> anyhow::Result<Self> {
        let mut ctx = Ctx {
            client: reqwest::Client::new(),
            base: base.trim_end_matches('/').to_owned(),
            app_token: app_token.to_owned(),
            users: Vec::with_capacity(n),
            content: None,
        };
        if let Mode::Op(op) = mode
            && op.is_content()
        {
            // Content is public: no users to sign up.
            ctx.content = Some(ContentCalls::of(&demo_definition()?)?);
            return Ok(ctx);
        }
        let run = openentry_domain::clock::Clock::now(&openentry_domain::clock::SystemClock).0;
        let auth = |a: &str| format!("/api/content/users-auth-providers/marker/email/users/{a}");
        for i in 0..n {
            let email = format!("bench-{run}-{i}@example.com");
            let body = auth_body(&email);
            let r = ctx
                .post(&auth("sign-up"), None, body.clone())
                .send()
                .await?;
            anyhow::ensure!(r.status().is_success(), "sign-up: {}", r.text().await?);
            let r = ctx.post(&auth("auth"), None, body).send().await?;
            anyhow::ensure!(r.status().is_success(), "sign-in: {}", r.text().await?);
            let v: serde_json::Value = r.json().await?;
            let access = v["accessToken"].as_str().unwrap_or_default().to_owned();
            let mut user = User {
                email,
                access,
                order_id: 0,
            };
            if matches!(
                mode,
                Mode::Op(Op::GetOrder | Op::GetSession | Op::ListOrders)
            ) {
                let (id, _) = ctx
                    .create_order(&user, Instant::now())
                    .await
                    .map_err(anyhow::Error::msg)?;
                ctx.create_session(&user, id)
                    .await
                    .map_err(anyhow::Error::msg)?;
                user.order_id = id;
            }
            ctx.users.push(user);
        }
        Ok(ctx)
    }

    /// The users signed up for the run.
    pub(crate) fn users(&self) -> usize {
        self.users.len()
    }

    fn post(&self, path: &str, user: Option<&User>, body: String) -> reqwest::RequestBuilder {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("x-app-token", &self.app_token)
            .header("content-type", "application/json")
            .body(body);
        match user {
            Some(u) => r.bearer_auth(&u.access),
            None => r,
        }
    }

    fn get(&self, path: &str, user: &User) -> reqwest::RequestBuilder {
        self.client
            .get(format!("{}{path}", self.base))
            .header("x-app-token", &self.app_token)
            .bearer_auth(&user.access)
    }

    /// A public content call (no user).
    fn content(&self, call: &Call) -> reqwest::RequestBuilder {
        let url = format!("{}{}", self.base, call.path);
        let r = match call.body {
            Some(body) => self
                .client
                .post(url)
                .header("content-type", "application/json")
                .body(body),
            None => self.client.get(url),
        };
        r.header("x-app-token", &self.app_token)
    }

    /// Every call of a storefront page, one after the other, as a browser's server-side
    /// render makes them; the page's latency is from `intended` to the last answer.
    async fn storefront_page(
        &self,
        content: &ContentCalls,
        intended: Instant,
    ) -> Result<Vec<f64>, String> {
        let mut last = 0.0;
        for call in &content.storefront_page {
            last = Self::send(call.step, self.content(call), intended).await?.0;
        }
        Ok(vec![last])
    }

    /// Sends `req`; the latency from `from`, and the body on a 2xx, or `"step status"`.
    async fn send(
        step: &str,
        req: reqwest::RequestBuilder,
        from: Instant,
    ) -> Result<(f64, Vec<u8>), String> {
        let r = req.send().await.map_err(|_| format!("{step} transport"))?;
        let status = r.status();
        let body = r
            .bytes()
            .await
            .map_err(|_| format!("{step} transport"))?
            .to_vec();
        if !status.is_success() {
            return Err(format!("{step} {}", status.as_u16()));
        }
        Ok((ms_since(from), body))
    }

    async fn create_order(&self, u: &User, from: Instant) -> Result<(i64, f64), String> {
        let req = self.post(ORDERS, Some(u), ORDER_BODY.to_owned());
        let (ms, body) = Self::send("createOrder", req, from).await?;
        let v: serde_json::Value =
            serde_json::from_slice(&body).map_err(|_| "createOrder body".to_owned())?;
        Ok((v["id"].as_i64().unwrap_or_default(), ms))
    }

    async fn create_session(&self, u: &User, order_id: i64) -> Result<f64, String> {
        let body = json!({"orderId": order_id, "type": "session", "automaticTaxEnabled": false});
        let req = self.post("/api/content/payments/sessions", Some(u), body.to_string());
        Ok(Self::send("createSession", req, Instant::now()).await?.0)
    }

    /// One iteration of `mode` for user `w`, the first step timed from `intended`.
    pub(crate) async fn iterate(
        &self,
        mode: Mode,
        w: usize,
        intended: Instant,
    ) -> Result<Vec<f64>, String> {
        if let Mode::Op(op) = mode
            && op.is_content()
        {
            return self.iterate_content(op, intended).await;
        }
        let u = &self.users[w % self.users.len().max(1)];
        let one = |step: &'static str, req| async move {
            Ok(vec![Self::send(step, req, intended).await?.0])
        };
        match mode {
            Mode::Flow => {
                let (id, a) = self.create_order(u, intended).await?;
                let b = self.create_session(u, id).await?;
                let req = self.get(&format!("/api/content/payments/sessions/order/{id}"), u);
                let c = Self::send("getSessionByOrderId", req, Instant::now())
                    .await?
                    .0;
                Ok(vec![a, b, c])
            }
            Mode::Op(Op::Login) => {
                let path = "/api/content/users-auth-providers/marker/email/users/auth";
                one("login", self.post(path, None, auth_body(&u.email))).await
            }
            Mode::Op(Op::CreateOrder) => Ok(vec![self.create_order(u, intended).await?.1]),
            Mode::Op(Op::GetOrder) => {
                let req = self.get(&format!("{ORDERS}/{}", u.order_id), u);
                one("getOrderByMarkerAndId", req).await
            }
            Mode::Op(Op::GetSession) => {
                let path = format!("/api/content/payments/sessions/order/{}", u.order_id);
                one("getSessionByOrderId", self.get(&path, u)).await
            }
            Mode::Op(Op::ListOrders) => {
                one(
                    "getAllOrdersByMarker",
                    self.get(&format!("{ORDERS}?limit=30"), u),
                )
                .await
            }
            Mode::Op(_) => Err("not a user operation".to_owned()),
        }
    }

    async fn iterate_content(&self, op: Op, intended: Instant) -> Result<Vec<f64>, String> {
        let Some(content) = &self.content else {
            return Err("no content calls".to_owned());
        };
        let call = match op {
            Op::Page => &content.page,
            Op::Menu => &content.menu,
            Op::Block => &content.block,
            Op::Locales => &content.locales,
            Op::Healthz => &content.healthz,
            _ => return self.storefront_page(content, intended).await,
        };
        Ok(vec![
            Self::send(call.step, self.content(call), intended).await?.0,
        ])
    }
}

/// The demo project the in-process server serves (an external one must serve it too).
fn demo_definition() -> anyhow::Result<openentry_domain::project::ProjectDefinition> {
    openentry_server::project::parse_definition("demo", openentry_server::project::DEMO_PROJECT)
}
