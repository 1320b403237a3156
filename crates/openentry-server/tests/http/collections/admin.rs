//! The operator's API: every row of a collection with who wrote it, and deleting any row.

use reqwest::Method;
use serde_json::{Value, json};

use super::{create, message, spawn, wish};
use crate::email;

#[tokio::test]
async fn operators_list_every_row_with_its_writer_and_delete_any() {
    let s = spawn(|_| {}).await;
    let login = email("writer");
    let a = s.user(&login).await;
    let op = s.admin_token.clone();
    assert_eq!(
        create(&s, "wishlist", Some(&a), wish("bag")).await.status,
        200
    );
    assert_eq!(
        create(&s, "guestbook", None, message("hi")).await.status,
        200
    );
    assert_eq!(
        create(&s, "guestbook", Some(&op), message("welcome"))
            .await
            .status,
        200
    );

    let admin_rows = |marker: &str| format!("/api/admin/collections/{marker}/rows");
    let wishes = s.admin(Method::GET, &admin_rows("wishlist"), None).await;
    assert_eq!(wishes.status, 200, "{:?}", wishes.body);
    let first = &wishes.body["items"][0];
    assert_eq!(
        (first["userIdentifier"].clone(), first["byOperator"].clone()),
        (json!(login), json!(false))
    );
    assert_eq!(first["formData"][0]["value"], "bag");
    let book = s
        .admin(
            Method::GET,
            &format!("{}?limit=1&offset=1", admin_rows("guestbook")),
            None,
        )
        .await;
    assert_eq!(book.body["total"], 2);
    let by_op = &book.body["items"][0];
    assert_eq!(
        (by_op["userId"].clone(), by_op["byOperator"].clone()),
        (Value::Null, json!(true))
    );

    let id = first["id"].clone();
    let path = format!("{}/{id}", admin_rows("wishlist"));
    assert_eq!(s.admin(Method::DELETE, &path, None).await.body, json!(true));
    assert_eq!(s.admin(Method::DELETE, &path, None).await.status, 404);
    assert_eq!(
        s.admin(Method::GET, &admin_rows("nope"), None).await.status,
        404
    );
    let no_token = s
        .http
        .get(format!("{}{}", s.url, admin_rows("wishlist")))
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), 401);
}
