//! The demo project's users and orders as the SDK sends them: unique logins, sign-up and
//! sign-in bodies, and the seed's order.

use serde_json::{Value, json};

use crate::TestServer;

/// The demo storage's orders route (`Orders.createOrder('orders', …)`).
pub const ORDERS: &str = "/api/content/orders-storage/marker/orders/orders";

/// The password [`TestServer::user`] signs up with.
pub const PASSWORD: &str = "correct horse battery";

/// A login unique within the run: `{tag}-{8 hex digits}@example.com`.
pub fn unique_email(tag: &str) -> String {
    let mut b = [0u8; 4];
    getrandom::fill(&mut b).unwrap();
    format!("{tag}-{}@example.com", hex::encode(b))
}

/// The sign-up body the SDK sends.
pub fn sign_up_body(email: &str, password: &str) -> Value {
    json!({
        "formIdentifier": "reg",
        "authData": [{"marker": "email_reg", "value": email}, {"marker": "password_reg", "value": password}],
        "formData": {"en_US": [{"marker": "name", "type": "string", "value": "Christina Thomas"}]},
        "notificationData": {"email": email, "phonePush": []},
        "langCode": "en_US"
    })
}

/// The sign-in body the SDK sends.
pub fn auth_body(email: &str, password: &str) -> Value {
    json!({"authData": [{"marker": "email_reg", "value": email}, {"marker": "password_reg", "value": password}]})
}

/// The seed's order (form `order`, one product 15, the name Christina Thomas) paid through the
/// payment account `account`, as the SDK sends it (`formData` wrapped in the language).
pub fn order_body(account: &str) -> Value {
    json!({
        "formIdentifier": "order", "paymentAccountIdentifier": account,
        "formData": {"en_US": [{"type": "string", "marker": "name", "value": "Christina Thomas"}]},
        "products": [{"productId": 15, "quantity": 1}]
    })
}

impl TestServer {
    /// Signs a user up with the demo provider `email`; asserts success.
    pub async fn sign_up(&self, email: &str, password: &str) -> Value {
        let r = self
            .post(
                "/api/content/users-auth-providers/marker/email/users/sign-up",
                None,
                sign_up_body(email, password),
            )
            .await;
        assert_eq!(r.status, 201, "sign-up failed: {:?}", r.body);
        r.body
    }

    /// Signs in with the demo provider; returns the raw answer.
    pub async fn auth(&self, email: &str, password: &str) -> crate::Resp {
        self.post(
            "/api/content/users-auth-providers/marker/email/users/auth",
            None,
            auth_body(email, password),
        )
        .await
    }

    /// Signs in; returns `(accessToken, refreshToken)`.
    pub async fn sign_in(&self, email: &str, password: &str) -> (String, String) {
        let r = self.auth(email, password).await;
        assert_eq!(r.status, 200, "sign-in failed: {:?}", r.body);
        (
            r.body["accessToken"].as_str().unwrap().to_owned(),
            r.body["refreshToken"].as_str().unwrap().to_owned(),
        )
    }

    /// Signs up and in with [`PASSWORD`]; returns the access token.
    pub async fn user(&self, email: &str) -> String {
        self.sign_up(email, PASSWORD).await;
        self.sign_in(email, PASSWORD).await.0
    }

    /// Creates the seed's order (see [`order_body`]) in the demo storage as the user of `token`;
    /// asserts 201 and returns its id.
    pub async fn create_order(&self, token: &str, account: &str) -> i64 {
        let r = self.post(ORDERS, Some(token), order_body(account)).await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        r.body["id"].as_i64().unwrap()
    }
}
