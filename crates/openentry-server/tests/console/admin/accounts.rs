//! An owner helps an operator back in from the admins screen: a new password for one who
//! forgot theirs, the second factor removed for one who lost their authenticator. Both end the
//! operator's sessions, are owners' alone and are in the audit log as the API's edits are.
//! Roles read in the console's language.

use openentry_domain::clock::Clock;
use openentry_testkit::TestServer;
use openentry_testkit::operators::{OPERATOR_PASSWORD, Session};
use reqwest::Method;
use serde_json::json;

use super::http::{page, post};

fn code(secret: &str, unix: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret).unwrap();
    let totp = totp_rs::Builder::new().with_secret(secret).build().unwrap();
    totp.generate(u64::try_from(unix).unwrap()).to_string()
}

#[tokio::test]
async fn an_owner_resets_a_forgotten_password_and_removes_a_lost_second_factor() {
    let server = TestServer::spawn().await;
    server.create_operator("olga", "owner").await;
    let tim = server.create_operator("tim", "editor").await;
    let id = tim["id"].as_i64().unwrap();
    server.create_operator("max", "manager").await;

    // Tim turns on a second factor, then loses the phone.
    let tims = turn_on_totp(&server, "tim").await;

    let olga = server.session("olga").await;
    let (status, html) = page(&server, &olga, "/admin/admins").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("id=\"totp-off-{id}\"")), "{html}");
    assert!(html.contains(&format!("id=\"reset-{id}\"")), "{html}");

    // Neither form is a manager's: refused, nothing changes.
    let max = server.session("max").await;
    let password = format!("/admin/admins/{id}/password");
    let totp = format!("/admin/admins/{id}/totp");
    let new = [("password", "a brand new pass 2026")];
    assert_eq!(post(&server, &max, &password, &new).await.0, 403);
    assert_eq!(post(&server, &max, &totp, &[]).await.0, 403);

    // A password the rules refuse is said so, and changes nothing.
    let (status, text) = post(&server, &olga, &password, &[("password", "short")]).await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("The password is not accepted"), "{text}");
    let me = server
        .as_session(&tims, false, Method::GET, "/api/admin/me", None)
        .await;
    assert_eq!(me.status, 200, "a refused reset ends no session");

    // The new password: Tim's sessions end; the second factor is still asked (every refused
    // sign-in has one answer, so which part failed shows once the factor is gone, below).
    assert_eq!(
        post(&server, &olga, &password, &new).await,
        (303, "/admin/admins?done=changed".to_owned())
    );
    let me = server
        .as_session(&tims, false, Method::GET, "/api/admin/me", None)
        .await;
    assert_eq!(me.status, 401, "{:?}", me.body);
    let old = server
        .operator_sign_in("tim", OPERATOR_PASSWORD, None)
        .await;
    assert_eq!(old.status, 403, "{:?}", old.body);
    let no_code = server
        .operator_sign_in("tim", "a brand new pass 2026", None)
        .await;
    assert_eq!(no_code.status, 403, "{:?}", no_code.body);

    // The second factor removed: the new password alone signs in, the old one does not, and
    // the button is gone.
    assert_eq!(post(&server, &olga, &totp, &[]).await.0, 303);
    let old = server
        .operator_sign_in("tim", OPERATOR_PASSWORD, None)
        .await;
    assert_eq!(old.status, 403, "{:?}", old.body);
    let back = server
        .operator_sign_in("tim", "a brand new pass 2026", None)
        .await;
    assert_eq!(back.status, 200, "{:?}", back.body);
    assert_eq!(back.body["operator"]["totp"], false);
    let (_, html) = page(&server, &olga, "/admin/admins").await;
    assert!(!html.contains(&format!("id=\"totp-off-{id}\"")), "{html}");

    // The log names both edits under the owner, the reset without the password.
    both_edits_are_audited(&server, id).await;
}

/// `login` enrols an authenticator and turns the second factor on; answers the session that
/// did it.
async fn turn_on_totp(server: &TestServer, login: &str) -> Session {
    let session = server.session(login).await;
    let enrol = server
        .as_session(&session, true, Method::POST, "/api/admin/me/totp", None)
        .await;
    let secret = enrol.body["secret"].as_str().unwrap().to_owned();
    let now = server.clock.now().unix_secs();
    let confirm = json!({"secret": secret, "code": code(&secret, now)});
    let r = server
        .as_session(
            &session,
            true,
            Method::PUT,
            "/api/admin/me/totp",
            Some(confirm),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    session
}

async fn both_edits_are_audited(server: &TestServer, id: i64) {
    let log = server
        .admin(
            Method::GET,
            &format!("/api/admin/audit?target=operators/{id}"),
            None,
        )
        .await;
    assert_eq!(log.status, 200, "{:?}", log.body);
    let text = log.body.to_string();
    assert!(!text.contains("a brand new pass"), "{text}");
    let actions: Vec<_> = log
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["actor"].clone(), e["action"].clone()))
        .collect();
    assert!(
        actions.contains(&(json!("admin:olga"), json!("reset"))),
        "{actions:?}"
    );
    assert!(
        actions.contains(&(json!("admin:olga"), json!("update"))),
        "{actions:?}"
    );
}

#[tokio::test]
async fn roles_are_named_in_the_consoles_language() {
    let server = TestServer::spawn().await;
    server.create_operator("olga", "owner").await;
    server.create_operator("max", "manager").await;
    let olga = server.session("olga").await;
    let r = crate::screens::raw()
        .get(format!("{}/admin/admins", server.url))
        .header(
            "cookie",
            format!("{}; openentry_console_lang=fr", olga.cookie),
        )
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert!(
        html.contains(r#"<td class="role" data-role="manager">Gestionnaire</td>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<option value="owner">Propriétaire</option>"#),
        "{html}"
    );
}
