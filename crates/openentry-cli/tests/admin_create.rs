//! `openentry admin create`: the first owner made from the command line signs in to the
//! management API of a server on the same database.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails loudly

use std::io::Write as _;
use std::process::{Command, Stdio};

#[path = "common/listening.rs"]
mod listening;
#[path = "common/shop.rs"]
mod shop;

use shop::{BIN, start};

fn create(db: &str, login: &str, role: &str, password: &str) -> (bool, String) {
    let mut child = Command::new(BIN)
        .args([
            "admin",
            "create",
            "--login",
            login,
            "--role",
            role,
            "--password-stdin",
        ])
        .args(["--database-url", db])
        .env("OPENENTRY_ARGON2_M_KIB", "256")
        .env("OPENENTRY_ARGON2_T", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test]
async fn the_first_owner_is_made_by_the_cli_and_signs_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("shop.db").display());
    let (ok, said) = create(&db, "owner@shop.test", "owner", "a long owner password");
    assert!(ok, "{said}");
    assert!(
        said.contains("created operator owner@shop.test (owner)"),
        "{said}"
    );

    let (ok, said) = create(&db, "OWNER@shop.test", "owner", "a long owner password");
    assert!(!ok && said.contains("exists already"), "{said}");
    let (ok, said) = create(&db, "x@shop.test", "king", "a long owner password");
    assert!(
        !ok && said.contains("owner, manager, editor, support"),
        "{said}"
    );
    let (ok, said) = create(&db, "y@shop.test", "editor", "short");
    assert!(!ok && said.contains("password"), "{said}");

    let server = start(&db);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{}/api/admin/sign-in", server.base))
        .json(&serde_json::json!({"login": "owner@shop.test", "password": "a long owner password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}
