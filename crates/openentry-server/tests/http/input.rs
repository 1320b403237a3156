//! The shared input rules (finding 9): a NUL or control character anywhere in a body, query or
//! path, a key given twice, JSON nested too deep or a number out of range is a 400 with the
//! error body that names the field, the same on SQLite and PostgreSQL; a value the database
//! itself refuses is never a 500.

use openentry_testkit::{Resp, TestServer, auth_body, sign_up_body};
use reqwest::Method;
use serde_json::{Value, json};

const AUTH: &str = "/api/content/users-auth-providers/marker/email/users";

fn assert_400(r: &Resp, says: &str, what: &str) {
    assert_eq!(r.status, 400, "{what}: {:?}", r.body);
    assert_eq!(r.body["statusCode"], 400, "{what}: {:?}", r.body);
    assert!(r.body["timestamp"].is_string(), "{what}: {:?}", r.body);
    assert!(
        r.message().contains(says),
        "{what}: {:?} should say {says:?}",
        r.body
    );
}

/// Sends `body` as is (it may be JSON no serializer would write).
async fn raw(s: &TestServer, method: Method, path: &str, bearer: Option<&str>, body: &str) -> Resp {
    let mut req = s
        .http
        .request(method, format!("{}{path}", s.url))
        .header("x-app-token", &s.app_token)
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(t) = bearer {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let body = r.json().await.unwrap_or(Value::Null);
    Resp {
        status,
        headers,
        body,
    }
}

#[tokio::test]
async fn a_nul_anywhere_is_a_400_naming_the_field() {
    let s = TestServer::spawn().await;
    let access = s.user(&crate::email("nul")).await;
    // Body values: a login, a one-time code's identifier, a locale.
    let r = s
        .post(
            &format!("{AUTH}/sign-up"),
            None,
            sign_up_body("nul\u{0}@example.com", "correct horse battery"),
        )
        .await;
    assert_400(&r, "`authData[0].value` contains a NUL", "login");
    let r = s
        .post(
            &format!("{AUTH}/generate-code"),
            None,
            json!({"userIdentifier": "a\u{0}b@example.com", "eventIdentifier": "reg"}),
        )
        .await;
    assert_400(&r, "`userIdentifier` contains a NUL", "identifier");
    let r = s
        .call(
            Method::PUT,
            "/api/content/users/me",
            Some(&access),
            Some(json!({"langCode": "en\u{0}"})),
        )
        .await;
    assert_400(&r, "`langCode` contains a NUL", "langCode");
    // A key.
    let r = raw(
        &s,
        Method::POST,
        &format!("{AUTH}/auth"),
        None,
        r#"{"auth\u0000Data":[]}"#,
    )
    .await;
    assert_400(&r, "contains a NUL", "key");
    // A query value and a path segment.
    let r = s
        .get("/api/content/products/ids?ids=15&langCode=en%00US", None)
        .await;
    assert_400(&r, "parameter `langCode` contains a NUL", "query");
    for method in [Method::POST, Method::DELETE] {
        let r = s
            .call(
                method.clone(),
                "/api/content/users/me/fcm-token/tok%00en",
                Some(&access),
                None,
            )
            .await;
        assert_400(&r, "parameter `token` contains a NUL", "path");
    }
    // Other control characters: refused in names and paths, tab and newline kept in text.
    let r = s
        .call(
            Method::POST,
            "/api/content/users/me/fcm-token/tok%1Ben",
            Some(&access),
            None,
        )
        .await;
    assert_400(&r, "contains a control character", "escape in a path");
    let long = format!("/api/content/users/me/fcm-token/{}", "t".repeat(1025));
    let r = s.call(Method::POST, &long, Some(&access), None).await;
    assert_400(
        &r,
        "`token` is longer than 1024 bytes",
        "long path parameter",
    );
    let r = s
        .post(
            &format!("{AUTH}/auth"),
            None,
            auth_body("bell\u{7}@example.com", "x"),
        )
        .await;
    assert_400(&r, "contains a control character", "bell in a value");
}

#[tokio::test]
async fn a_line_break_is_refused_in_a_one_line_field_by_name() {
    let s = TestServer::spawn().await;
    // Line breaks pass the input checks; a one-line field (`string`) refuses them by name, as
    // form submissions do (multi-line values belong in a `text` field).
    let mut body = sign_up_body(&crate::email("multi"), "correct horse battery");
    body["formData"]["en_US"][0]["value"] = json!("Line one\nline\ttwo\r\n");
    let r = s.post(&format!("{AUTH}/sign-up"), None, body).await;
    assert_400(
        &r,
        "field \"name\" must not hold control characters",
        "a line break in a string field",
    );
}

#[tokio::test]
async fn a_key_given_twice_is_a_400() {
    let s = TestServer::spawn().await;
    let access = s.user(&crate::email("dup")).await;
    // createOrder reads its body as a JSON value: serde_json alone would keep the second
    // `products` (100 units of another product) and create the order.
    let orders = "/api/content/orders-storage/marker/orders/orders";
    let body = r#"{"formIdentifier":"order","paymentAccountIdentifier":"cash",
        "formData":{"en_US":[{"type":"string","marker":"name","value":"D"}]},
        "products":[{"productId":15,"quantity":1}],
        "products":[{"productId":16,"quantity":100}]}"#;
    let r = raw(&s, Method::POST, orders, Some(&access), body).await;
    assert_400(&r, "`products` is given twice", "createOrder");
    let once = body.replacen(r#""products":[{"productId":15,"quantity":1}],"#, "", 1);
    let r = raw(&s, Method::POST, orders, Some(&access), &once).await;
    assert_eq!(
        r.status, 201,
        "the same body without the repeat: {:?}",
        r.body
    );
    // A map keyed by product id (a refund's `products`): the second "16" would win.
    let refund = format!("/api/content/orders/{}/refund", r.body["id"]);
    let body = r#"{"products":{"16":{"quantity":1},"16":{"quantity":100}}}"#;
    let r = raw(&s, Method::POST, &refund, Some(&access), body).await;
    assert_400(&r, "`products.16` is given twice", "refund");
    // Inside an array of objects.
    let body =
        r#"{"authData":[{"marker":"email_reg","value":"a@example.com","value":"b@example.com"}]}"#;
    let r = raw(&s, Method::POST, &format!("{AUTH}/auth"), None, body).await;
    assert_400(&r, "`authData[0].value` is given twice", "nested");
}

#[tokio::test]
async fn deep_json_and_huge_numbers_are_a_400() {
    let s = TestServer::spawn().await;
    let e = crate::email("deep");
    s.sign_up(&e, "correct horse battery").await;
    let path = format!("{AUTH}/auth");
    let with_extra = |extra: &str| {
        let mut text = auth_body(&e, "correct horse battery").to_string();
        text.pop();
        format!("{text},\"extra\":{extra}}}")
    };
    // Within serde_json's own limit of 128, beyond the layer's 32.
    let nested = format!("{}{}", "[".repeat(60), "]".repeat(60));
    let r = raw(&s, Method::POST, &path, None, &with_extra(&nested)).await;
    assert_400(&r, "nested deeper than 32 levels", "60 levels");
    let r = raw(&s, Method::POST, &path, None, &"{\"a\":".repeat(10_000)).await;
    assert_400(&r, "nested deeper", "10,000 levels");
    for n in ["9223372036854775808", "1e300", "-1e20"] {
        let r = raw(&s, Method::POST, &path, None, &with_extra(n)).await;
        assert_400(&r, "`extra` is a number out of range", n);
    }
    let r = raw(&s, Method::POST, &path, None, &with_extra("1e309")).await;
    assert_400(&r, "Malformed JSON", "1e309");
    // Within the rules the same body signs in.
    let r = raw(
        &s,
        Method::POST,
        &path,
        None,
        &with_extra("[[1.5, -7, 9007199254740991]]"),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}

/// The safety net: a login longer than PostgreSQL can index (SQLSTATE 54000) is the caller's
/// fault, so never a 500 (the auth rules add a length limit of their own).
#[tokio::test]
async fn a_value_the_database_refuses_is_never_a_500() {
    let s = TestServer::spawn().await;
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let login: String = (0..6000)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[(seed % 36) as usize])
        })
        .chain("@example.com".chars())
        .collect();
    for path in ["sign-up", "auth"] {
        let body = if path == "sign-up" {
            sign_up_body(&login, "correct horse battery")
        } else {
            auth_body(&login, "correct horse battery")
        };
        let r = s.post(&format!("{AUTH}/{path}"), None, body).await;
        assert!(r.status < 500, "{path}: {} {:?}", r.status, r.body);
        if r.status >= 400 {
            assert_eq!(r.body["statusCode"], r.status, "{path}: {:?}", r.body);
        }
    }
    let r = s
        .post(
            &format!("{AUTH}/generate-code"),
            None,
            json!({"userIdentifier": login, "eventIdentifier": "reg"}),
        )
        .await;
    assert!(r.status < 500, "generate-code: {} {:?}", r.status, r.body);
}
