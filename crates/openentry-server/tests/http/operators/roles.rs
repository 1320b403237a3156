//! The role matrix: every guarded route of the OpenAPI document × every role, expectations
//! generated from the permission table (`x-permission`, written from the table the guard
//! enforces, and `openentry_domain::operators::allows`).

use openentry_domain::operators::{Action, Resource, Role, allows};
use openentry_testkit::TestServer;
use reqwest::Method;
use serde_json::Value;

/// A concrete path for a template: ids and markers that exist nowhere, so no call changes
/// anything a later call depends on.
fn concrete(template: &str) -> String {
    template
        .split('/')
        .map(|seg| match seg {
            "{id}" => "999999".to_owned(),
            s if s.starts_with('{') => "no-such-thing".to_owned(),
            s => s.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn expected(permission: &str, role: Role) -> bool {
    if permission == "signed-in" {
        return true;
    }
    let (resource, action) = permission.split_once(':').expect("resource:action");
    let resource: Resource = resource.parse().expect("a known resource");
    let action: Action = action.parse().expect("a known action");
    allows(role, resource, action)
}

#[tokio::test]
async fn every_guarded_route_answers_each_role_as_the_permission_table_says() {
    let s = TestServer::spawn().await;
    let mut tokens = Vec::new();
    for role in Role::ALL {
        tokens.push((
            *role,
            s.operator_token(&format!("matrix-{role}"), role.as_str())
                .await,
        ));
    }
    let doc = s.get("/api/openapi.json", None).await.body;
    let mut checked = 0;
    for (template, item) in doc["paths"].as_object().expect("paths") {
        let guarded = template.starts_with("/api/admin") || template == "/metrics";
        for (method, op) in item.as_object().expect("operations") {
            let Some(permission) = op.get("x-permission").and_then(Value::as_str) else {
                assert!(
                    !guarded || template == "/api/admin/sign-in",
                    "{method} {template} has no permission in the table"
                );
                continue;
            };
            assert_ne!(
                permission, "nobody",
                "{method} {template} has no table entry"
            );
            let method: Method = method.to_uppercase().parse().expect("method");
            for (role, token) in &tokens {
                let mut req = s
                    .http
                    .request(method.clone(), format!("{}{}", s.url, concrete(template)))
                    .header("x-app-token", &s.app_token)
                    .bearer_auth(token);
                if method != Method::GET {
                    req = req.header("content-type", "application/json").body("{}");
                }
                let status = req.send().await.expect("answer").status().as_u16();
                let allowed = expected(permission, *role);
                if allowed {
                    assert!(
                        status != 401 && status != 403,
                        "{role} must pass {method} {template} ({permission}), got {status}"
                    );
                } else {
                    assert_eq!(
                        status, 403,
                        "{role} must be refused {method} {template} ({permission})"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 4 * 40, "the matrix covered only {checked} calls");
}
