//! The seed flow (`docs/seed-flow.md`) in Rust: a registered user signs in, orders product 15
//! from the `orders` storage, opens a payment session for the order and reads the order's
//! sessions back. Each step's answer is printed as pretty JSON, as the seed document shows it.
//!
//! ```sh
//! OPENENTRY_APP_TOKEN=… cargo run -p openentry-client --example pay_order -- \
//!     --url http://127.0.0.1:3000 --email ann@example.com --password 'correct horse' [--sign-up] [--json]
//! ```
//!
//! Options (each also from the environment): `--url` (`OPENENTRY_URL`, default
//! `http://127.0.0.1:3000`), `--token` (`OPENENTRY_APP_TOKEN`), `--email`
//! (`OPENENTRY_EMAIL`), `--password` (`OPENENTRY_PASSWORD`). `--sign-up` registers the user
//! first; `--json` prints one JSON object `{user, order, session, sessions}` instead.

#![allow(clippy::print_stdout)] // an example talks on stdout

use std::process::ExitCode;

use openentry_client::types::auth::{
    AuthDataItem, AuthRequest, AuthResponse, NotificationData, SignUpRequest,
};
use openentry_client::types::orders::{OrderCreated, OrderRequest, ProductQuantity};
use openentry_client::types::payments::PaymentSession;
use openentry_client::{Config, OneEntry, SessionType};
use serde::Serialize;
use serde_json::json;

/// Where and as whom to run.
#[derive(Debug)]
struct Args {
    url: String,
    token: Option<String>,
    email: String,
    password: String,
    sign_up: bool,
    json: bool,
}

// The example's configuration: its settings come from the environment and the command line.
#[allow(clippy::disallowed_methods)]
fn args() -> Result<Args, String> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let mut a = Args {
        url: env("OPENENTRY_URL").unwrap_or_else(|| "http://127.0.0.1:3000".to_owned()),
        token: env("OPENENTRY_APP_TOKEN"),
        email: env("OPENENTRY_EMAIL").unwrap_or_default(),
        password: env("OPENENTRY_PASSWORD").unwrap_or_default(),
        sign_up: false,
        json: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => a.url = value()?,
            "--token" => a.token = Some(value()?),
            "--email" => a.email = value()?,
            "--password" => a.password = value()?,
            "--sign-up" => a.sign_up = true,
            "--json" => a.json = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.email.is_empty() || a.password.is_empty() {
        return Err("give --email and --password (or OPENENTRY_EMAIL, OPENENTRY_PASSWORD)".into());
    }
    Ok(a)
}

fn show(title: &str, value: &impl Serialize) {
    println!("// {title}");
    println!(
        "{}\n",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

/// Signs up the user first when asked (`--sign-up`), then signs them in (step 3).
async fn sign_in(client: &OneEntry, a: &Args) -> Result<AuthResponse, openentry_client::Error> {
    let auth_data = vec![
        AuthDataItem {
            marker: "email_reg".into(),
            value: a.email.clone(),
        },
        AuthDataItem {
            marker: "password_reg".into(),
            value: a.password.clone(),
        },
    ];
    if a.sign_up {
        let body = SignUpRequest {
            form_identifier: Some("reg".into()),
            auth_data: auth_data.clone(),
            form_data: Some(
                json!([{"marker": "name", "type": "string", "value": "Christina Thomas"}]),
            ),
            notification_data: Some(NotificationData {
                email: a.email.clone(),
                ..NotificationData::default()
            }),
            lang_code: None,
        };
        let created = client.auth_provider().sign_up("email", &body).await?;
        if !a.json {
            show("AuthProvider.sign_up(\"email\", …)", &created);
        }
    }
    // 3. User authorization
    let user = client
        .auth_provider()
        .auth("email", &AuthRequest { auth_data })
        .await?;
    if !a.json {
        show("3. AuthProvider.auth(\"email\", authData)", &user);
    }
    Ok(user)
}

async fn run(a: Args) -> Result<(), openentry_client::Error> {
    // 2. Creating an API client
    let client = OneEntry::new(
        &a.url,
        Config {
            token: a.token.clone(),
            ..Config::default()
        },
    )?;
    let user = sign_in(&client, &a).await?;
    // 4. Create order
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
    let order = client.orders().create_order("orders", &body).await?;
    if !a.json {
        show("4. Orders.create_order(\"orders\", body)", &order);
    }
    // 5. Creation of payment session
    let session = client
        .payments()
        .create_session(order.id, SessionType::Session)
        .await?;
    if !a.json {
        show("5. Payments.create_session(order.id, Session)", &session);
    }
    // 6. Payment sessions of the order
    let sessions = client.payments().get_session_by_order_id(order.id).await?;
    if a.json {
        // A struct, not `json!`, so every answer keeps the server's key order.
        #[derive(Serialize)]
        struct Flow<'a> {
            user: &'a AuthResponse,
            order: &'a OrderCreated,
            session: &'a PaymentSession,
            sessions: &'a [PaymentSession],
        }
        let all = Flow {
            user: &user,
            order: &order,
            session: &session,
            sessions: &sessions,
        };
        println!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
    } else {
        show("6. Payments.get_session_by_order_id(order.id)", &sessions);
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("pay_order: {e}");
            return ExitCode::from(2);
        }
    };
    match run(a).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pay_order: {e}");
            ExitCode::FAILURE
        }
    }
}
