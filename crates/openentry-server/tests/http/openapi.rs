//! The OpenAPI document (`GET /api/openapi.json`, `docs/openapi.json`) against the code: the
//! checked-in copy is what the code generates, every route the router registers is in it
//! (and nothing else), its links lead somewhere, and the server serves it and its reference
//! page (with the page's viewer, from this server alone) without a token.

use std::collections::BTreeSet;
use std::sync::Arc;

use openentry_domain::clock::ManualClock;
use openentry_server::App;
use openentry_testkit::{T0, TestServer, test_catalog, test_config};
use serde_json::Value;

const CHECKED_IN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
const REGENERATE: &str = "cargo run --locked -- openapi > docs/openapi.json";

#[test]
fn the_checked_in_document_is_what_the_code_generates() {
    let generated = openentry_server::openapi_json().unwrap();
    let checked_in = std::fs::read_to_string(CHECKED_IN).unwrap_or_default();
    if generated != checked_in {
        let line = generated
            .lines()
            .zip(checked_in.lines())
            .position(|(a, b)| a != b)
            .map_or_else(|| "its end".to_owned(), |n| format!("line {}", n + 1));
        panic!(
            "docs/openapi.json differs from the document the code generates (first at {line}).\n\
             Regenerate it and commit the result:\n    {REGENERATE}"
        );
    }
}

#[tokio::test]
async fn every_route_the_router_registers_is_documented_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let mut config = test_config(&url);
    config.media_dir = Some(dir.path().join("media"));
    let app = App::build(config, Arc::new(ManualClock::new(T0)), test_catalog())
        .await
        .unwrap();
    // The operator console's HTML pages (`/admin`) are not the API and not in its document.
    let registered: BTreeSet<_> = registered_routes(&format!("{:?}", app.router()))
        .into_iter()
        .filter(|(_, path)| path != "/admin" && !path.starts_with("/admin/"))
        .collect();
    // A floor, so a change in axum's debug output cannot make this check pass vacuously.
    assert!(registered.len() > 150, "{registered:?}");
    let documented = documented_routes(&openentry_server::openapi_document());
    let missing: Vec<_> = registered.difference(&documented).collect();
    let phantom: Vec<_> = documented.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the OpenAPI document: annotate their handlers with \
         #[utoipa::path] and list them in routes/openapi (or admin/openapi.rs): {missing:?}"
    );
    assert!(
        phantom.is_empty(),
        "documented routes the router does not serve: {phantom:?}"
    );
}

/// `(method, path template)` of every route, read from the router's `Debug` output (axum
/// lists its routes by id, then each id's path): the router is the one source of truth, so a
/// route added anywhere shows up here without a list to keep.
fn registered_routes(debug: &str) -> BTreeSet<(String, String)> {
    // Only the routes proper, not the fallback router's catch-all routes.
    let routes = debug.split("fallback_router:").next().unwrap();
    let (endpoints, paths) = routes.split_once("node: Node").unwrap();
    let mut out = BTreeSet::new();
    for (id, path) in id_entries(paths) {
        if path.contains("__private__") {
            continue; // axum's own catch-all for a nested router
        }
        let endpoint = endpoint_of(endpoints, &id);
        for method in [
            "get", "head", "delete", "options", "patch", "post", "put", "trace",
        ] {
            let set = endpoint.contains(&format!("{method}: Route"))
                || endpoint.contains(&format!("{method}: BoxedHandler"));
            if set {
                out.insert((method.to_owned(), path.clone()));
            }
        }
    }
    out
}

/// The `RouteId(n): "path"` entries of the node's path map.
fn id_entries(paths: &str) -> Vec<(String, String)> {
    paths
        .split("RouteId(")
        .skip(1)
        .filter_map(|entry| {
            let (id, rest) = entry.split_once("): \"")?;
            let path = rest.split('"').next()?;
            Some((id.to_owned(), path.to_owned()))
        })
        .collect()
}

/// The debug text of route `id`'s method router.
fn endpoint_of<'a>(endpoints: &'a str, id: &str) -> &'a str {
    let start = endpoints
        .find(&format!("RouteId({id}): "))
        .unwrap_or_else(|| panic!("route {id} has no endpoint in the router's debug output"));
    let rest = &endpoints[start..];
    let end = rest.find("allow_header").unwrap_or(rest.len());
    &rest[..end]
}

fn documented_routes(doc: &utoipa::openapi::OpenApi) -> BTreeSet<(String, String)> {
    let doc = serde_json::to_value(doc).unwrap();
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            out.insert((method.clone(), path.clone()));
        }
    }
    out
}

#[tokio::test]
async fn the_document_and_its_reference_page_are_served_without_a_token() {
    let s = TestServer::spawn().await;
    let r = s
        .http
        .get(format!("{}/api/openapi.json", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let served: Value = r.json().await.unwrap();
    let generated = serde_json::to_value(openentry_server::openapi_document()).unwrap();
    assert_eq!(served, generated);
    assert_eq!(served["openapi"], "3.1.0");

    let r = s
        .http
        .get(format!("{}/api/reference", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let csp = header(&r, "content-security-policy");
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let page = r.text().await.unwrap();
    assert!(page.contains("spec-url=\"/api/openapi.json\""), "{page}");
    // Nothing from another origin: no scheme, no protocol-relative address.
    for external in ["http:", "https:", "//"] {
        assert!(!page.contains(external), "{external} in {page}");
    }
    let script = page
        .split("<script src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    assert!(script.starts_with("/api/reference/"), "{script}");

    let r = s
        .http
        .get(format!("{}{script}", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-type"), "text/javascript; charset=utf-8");
    assert!(header(&r, "cache-control").contains("immutable"));
    let bundle = r.bytes().await.unwrap();
    assert!(bundle.len() > 500_000, "{} bytes", bundle.len());
    assert!(bundle.starts_with(b"/*! For license information"));
}

fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Every link names an operation of the document, and every parameter it fills is one that
/// operation takes, filled from a path parameter the source has or from its answer or body:
/// schemathesis refuses the whole stateful phase over one broken link.
#[test]
fn every_link_leads_to_a_documented_operation_and_its_parameters() {
    let doc = serde_json::to_value(openentry_server::openapi_document()).unwrap();
    let mut operations = std::collections::BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for op in item.as_object().unwrap().values() {
            operations.insert(op["operationId"].as_str().unwrap().to_owned(), (path, op));
        }
    }
    let mut count = 0;
    for (source_path, source) in operations.values() {
        for answer in source["responses"].as_object().unwrap().values() {
            let Some(links) = answer.get("links").and_then(Value::as_object) else {
                continue;
            };
            for (name, link) in links {
                count += 1;
                let id = link["operationId"].as_str().unwrap();
                let (_, target) = operations.get(id).unwrap_or_else(|| panic!("{name}: {id}"));
                let params = link["parameters"].as_object().cloned().unwrap_or_default();
                for (param, expression) in params {
                    let param = param.rsplit('.').next().unwrap();
                    assert!(
                        names(target).contains(&param.to_owned()),
                        "{name}: {id} takes no {param}"
                    );
                    let expression = expression.as_str().unwrap();
                    if let Some(from) = expression.strip_prefix("$request.path.") {
                        assert!(source_path.contains(&format!("{{{from}}}")), "{name}");
                    } else {
                        assert!(
                            expression.starts_with("$response.body#/")
                                || expression.starts_with("$request.body#/"),
                            "{name}: {expression}"
                        );
                    }
                }
            }
        }
    }
    // Every entry of routes/openapi/link_table.rs, the Orders ones twice (two mounts).
    assert!(count >= 52, "{count} links");
}

fn names(op: &Value) -> Vec<String> {
    op["parameters"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| p["name"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}
