//! `openentry demo`: the seed flow (`docs/seed-flow.md`) in one command. Starts the server
//! in-process on a temporary SQLite file with the demo project, registers a demo user, runs
//! the seed's six steps through the Rust client (`openentry-client`), prints what each step
//! called and what it answered, and stops the server.

use std::sync::Arc;

use clap::Args;
use openentry_client::types::auth::{AuthDataItem, AuthRequest, NotificationData, SignUpRequest};
use openentry_client::types::orders::{OrderRequest, ProductQuantity};
use openentry_client::{Config as ClientConfig, OneEntry, SessionType};
use openentry_domain::clock::SystemClock;
use openentry_server::{App, Config, ProjectSource};
use serde::Serialize;
use serde_json::json;

/// Options of `demo` (none yet).
#[derive(Debug, Args)]
#[command(after_help = "\
Example:
  openentry demo        start a throwaway server, pay for an order, print each step")]
pub(crate) struct DemoArgs {}

const PASSWORD: &str = "correct horse battery staple";

pub(crate) async fn run(_args: DemoArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("demo.db");
    // Production settings (argon2id m=19 MiB, t=2), on a file that disappears afterwards.
    let config = Config::new(format!("sqlite://{}", db.display()));
    let app = App::build(config, Arc::new(SystemClock), ProjectSource::Demo).await?;
    let app_token = app.app_token.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.serve(listener, async {
        let _ = stopped.await;
    }));
    println!("OpenEntry demo: the seed flow (docs/seed-flow.md) through the Rust client.\n");
    println!("  server   the demo project on {}, at {url}", db.display());
    let outcome = seed_flow(&url, &app_token).await;
    let _ = stop.send(());
    let _ = server.await;
    outcome?;
    println!("Done: every step answered as the seed document shows; the server is stopped.");
    Ok(())
}

async fn seed_flow(url: &str, app_token: &str) -> anyhow::Result<()> {
    // 2. Creating an API client
    let client = OneEntry::new(
        url,
        ClientConfig {
            token: Some(app_token.to_owned()),
            ..ClientConfig::default()
        },
    )?;
    let auth_data = sign_up(&client).await?;

    step(1, "Define PROJECT_URL and APP_TOKEN");
    println!("  PROJECT_URL = {url:?}\n  APP_TOKEN   = {app_token:?}\n");
    step(2, "Create the API client");
    println!(
        "  let client = OneEntry::new(PROJECT_URL, Config {{ token: Some(APP_TOKEN), ..Config::default() }})?;\n"
    );

    step(3, "Sign the user in");
    let auth = client
        .auth_provider()
        .auth("email", &AuthRequest { auth_data })
        .await?;
    call(
        "client.auth_provider().auth(\"email\", &AuthRequest { auth_data: [email_reg, password_reg] })",
    );
    let mut shown = auth.clone();
    shown.access_token = abbreviate(&auth.access_token);
    shown.refresh_token = abbreviate(&auth.refresh_token);
    answer(&shown)?;

    order_and_pay(&client).await
}

/// Registers a fresh demo user; returns the `authData` to sign in with.
async fn sign_up(client: &OneEntry) -> anyhow::Result<Vec<AuthDataItem>> {
    let email = format!(
        "demo-{}@example.com",
        &openentry_client::IdempotencyKey::generate()?.as_str()[3..11]
    );
    let auth_data = vec![
        AuthDataItem {
            marker: "email_reg".into(),
            value: email.clone(),
        },
        AuthDataItem {
            marker: "password_reg".into(),
            value: PASSWORD.into(),
        },
    ];
    let user = client
        .auth_provider()
        .sign_up(
            "email",
            &SignUpRequest {
                form_identifier: Some("reg".into()),
                auth_data: auth_data.clone(),
                form_data: Some(
                    json!([{"marker": "name", "type": "string", "value": "Christina Thomas"}]),
                ),
                notification_data: Some(NotificationData {
                    email: email.clone(),
                    ..NotificationData::default()
                }),
                lang_code: None,
            },
        )
        .await?;
    println!(
        "  sign-up  AuthProvider.sign_up(\"email\", …) registered {} (user id {})\n",
        user.identifier, user.id
    );
    Ok(auth_data)
}

/// Steps 4 to 6 as the signed-in user: an order, a payment session for it, and the order's
/// sessions read back.
async fn order_and_pay(client: &OneEntry) -> anyhow::Result<()> {
    step(4, "Create an order in the storage `orders`");
    let body = OrderRequest {
        form_identifier: Some("order".into()),
        payment_account_identifier: Some("cash".into()),
        form_data: Some(json!([{"type": "string", "marker": "name", "value": "Christina Thomas"}])),
        products: vec![ProductQuantity {
            product_id: 15,
            quantity: 1,
        }],
        ..OrderRequest::default()
    };
    call("client.orders().create_order(\"orders\", &body)");
    println!("  with the body (formData goes out wrapped by language, as the JS SDK sends it):");
    let mut sent = body.clone();
    sent.form_data = Some(json!({ client.lang_code(): body.form_data }));
    answer(&sent)?;
    let order = client.orders().create_order("orders", &body).await?;
    println!("  answered:");
    answer(&order)?;

    step(5, "Open a payment session for the order");
    call(&format!(
        "client.payments().create_session({}, SessionType::Session)",
        order.id
    ));
    let session = client
        .payments()
        .create_session(order.id, SessionType::Session)
        .await?;
    answer(&session)?;

    step(6, "Read the order's payment sessions");
    call(&format!(
        "client.payments().get_session_by_order_id({})",
        order.id
    ));
    let sessions = client.payments().get_session_by_order_id(order.id).await?;
    answer(&sessions)?;
    anyhow::ensure!(
        sessions == vec![session],
        "the order's sessions should be the session just opened"
    );
    Ok(())
}

fn step(n: u32, title: &str) {
    println!("Step {n}. {title}");
}

fn call(code: &str) {
    println!("  {code}");
}

/// The JSON answer, pretty and indented under its step.
fn answer(value: &impl Serialize) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    for line in text.lines() {
        println!("    {line}");
    }
    println!();
    Ok(())
}

/// A token shortened for the screen, as the seed document prints it.
fn abbreviate(token: &str) -> String {
    match token.char_indices().nth(24) {
        Some((i, _)) => format!("{}…", &token[..i]),
        None => token.to_owned(),
    }
}
