//! What every operation shares, applied to the generated document in one place rather than
//! repeated on ~150 annotations: the security schemes and each path's default requirement, the
//! SDK error body for every 4xx and 5xx, a parameter for each `{name}` of a path template,
//! tags and unique operation ids, and the paths the router mounts twice.

use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    ContentBuilder, OpenApi as Document, Ref, RefOr, Required, ResponseBuilder, Schema,
};

use crate::operators::permissions::{Need, action, need};

/// The install's app token, which every Content API call carries.
pub(super) const APP_TOKEN: &str = "app_token";
/// A signed-in customer's access token (`Authorization: Bearer`).
pub(super) const USER_TOKEN: &str = "user_token";
/// The install's admin token (`Authorization: Bearer`).
pub(super) const ADMIN_TOKEN: &str = "admin_token";

const CONTENT: &str = "/api/content";
const ADMIN: &str = "/api/admin";

/// Under `/api/content` but outside the app-token guard: Stripe signs its deliveries.
const PUBLIC_CONTENT: &[&str] = &["/api/content/payments/webhook/stripe"];
/// Under `/api/admin` but outside the operator guard: how an operator gets past it.
const PUBLIC_ADMIN: &[&str] = &["/api/admin/sign-in"];

/// A path the router mounts again under another name (docs/wire.md): `from`'s operations
/// (GET only when `get_only`) are documented under `to` as well.
struct Alias {
    from: &'static str,
    to: &'static str,
    get_only: bool,
}

/// Wire quirks: the SDK calls some prefixes with a trailing slash, and sends Orders calls
/// under `/api/content/orders/...` while a refund call is in flight (routes/mod.rs).
const ALIASES: &[Alias] = &[
    Alias {
        from: "/api/content/payments/sessions",
        to: "/api/content/payments/sessions/",
        get_only: true,
    },
    Alias {
        from: "/api/content/sitemap",
        to: "/api/content/sitemap/",
        get_only: false,
    },
];
/// Every path under the first prefix is mounted under the second too.
const PREFIX_ALIASES: &[(&str, &str)] = &[("/api/content/orders-storage", "/api/content/orders")];

pub(super) fn apply(doc: &mut Document) {
    add_aliases(doc);
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        APP_TOKEN,
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            "x-app-token",
            "The install's app token (public: every storefront carries it)",
        ))),
    );
    components.add_security_scheme(USER_TOKEN, bearer("A customer's access token (JWT)"));
    components.add_security_scheme(
        ADMIN_TOKEN,
        bearer("An API token (`oe_...`), the install's OPENENTRY_ADMIN_TOKEN, or instead the console session's cookie with its CSRF token in X-CSRF-Token"),
    );
    components.responses.insert(
        "Error".to_owned(),
        RefOr::T(
            ResponseBuilder::new()
                .description("The SDK error body: `statusCode` repeats the HTTP status")
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build(),
        ),
    );
    for (path, item) in &mut doc.paths.paths {
        for (method, op) in operations(item) {
            default_security(path, op);
            error_responses(op);
            path_parameters(path, op);
            permission(path, method, op);
            op.tags = Some(vec![tag(path)]);
            op.operation_id = Some(operation_id(method, path));
        }
    }
}

fn bearer(description: &str) -> SecurityScheme {
    SecurityScheme::Http(
        HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(description))
            .build(),
    )
}

/// Copies the operations of every alias's source to its second name.
fn add_aliases(doc: &mut Document) {
    let paths = &mut doc.paths.paths;
    let mut copies: Vec<(String, PathItem)> = Vec::new();
    for alias in ALIASES {
        if let Some(item) = paths.get(alias.from) {
            let copy = if alias.get_only {
                let mut only = PathItem::default();
                only.get.clone_from(&item.get);
                only
            } else {
                item.clone()
            };
            copies.push((alias.to.to_owned(), copy));
        }
    }
    for (from, to) in PREFIX_ALIASES {
        for (path, item) in paths.iter() {
            if let Some(rest) = path.strip_prefix(from) {
                copies.push((format!("{to}{rest}"), item.clone()));
            }
        }
    }
    for (path, copy) in copies {
        let item = paths.entry(path).or_default();
        // Merge method by method: the second name may have operations of its own (refunds).
        for (method, op) in operations_owned(copy) {
            let slot = slot(item, method);
            if slot.is_none() {
                *slot = Some(op);
            }
        }
    }
}

/// The operations of a path item with their lower-case methods.
fn operations(item: &mut PathItem) -> Vec<(&'static str, &mut Operation)> {
    [
        ("get", &mut item.get),
        ("put", &mut item.put),
        ("post", &mut item.post),
        ("delete", &mut item.delete),
        ("patch", &mut item.patch),
        ("head", &mut item.head),
        ("options", &mut item.options),
        ("trace", &mut item.trace),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.as_mut().map(|op| (m, op)))
    .collect()
}

fn operations_owned(item: PathItem) -> Vec<(&'static str, Operation)> {
    [
        ("get", item.get),
        ("put", item.put),
        ("post", item.post),
        ("delete", item.delete),
        ("patch", item.patch),
        ("head", item.head),
        ("options", item.options),
        ("trace", item.trace),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.map(|op| (m, op)))
    .collect()
}

fn slot<'a>(item: &'a mut PathItem, method: &str) -> &'a mut Option<Operation> {
    match method {
        "get" => &mut item.get,
        "put" => &mut item.put,
        "post" => &mut item.post,
        "delete" => &mut item.delete,
        "patch" => &mut item.patch,
        "head" => &mut item.head,
        "options" => &mut item.options,
        _ => &mut item.trace,
    }
}

/// The guard the router puts on the path's prefix, unless the annotation said otherwise.
fn default_security(path: &str, op: &mut Operation) {
    if op.security.is_some() {
        return;
    }
    let scheme = if PUBLIC_ADMIN.contains(&path) {
        return;
    } else if path.starts_with(ADMIN) || path == "/metrics" {
        ADMIN_TOKEN
    } else if path.starts_with(CONTENT) && !PUBLIC_CONTENT.contains(&path) {
        APP_TOKEN
    } else {
        return;
    };
    op.security = Some(vec![SecurityRequirement::new::<_, _, &str>(scheme, [])]);
}

/// What an operator's role must allow, from the permission table the guard enforces:
/// `x-permission` (`catalog:write`, or `signed-in` for the operator's own routes), which the
/// role-matrix test reads back.
fn permission(path: &str, method: &str, op: &mut Operation) {
    let guarded = (path.starts_with(ADMIN) && !PUBLIC_ADMIN.contains(&path))
        || path == "/metrics"
        || (path.starts_with("/api/content/sitemap") && method != "get");
    if !guarded {
        return;
    }
    let method = http::Method::from_bytes(method.to_ascii_uppercase().as_bytes())
        .unwrap_or(http::Method::POST);
    let text = match need(path) {
        Some(Need::Signed) => "signed-in".to_owned(),
        Some(Need::Grant(resource)) => format!("{resource}:{}", action(&method)),
        None => "nobody".to_owned(),
    };
    op.extensions
        .get_or_insert_with(Default::default)
        .merge(Extensions::builder().add("x-permission", text).build());
}

/// Any 4xx and 5xx answer carries the SDK error body.
fn error_responses(op: &mut Operation) {
    for range in ["4XX", "5XX"] {
        op.responses
            .responses
            .entry(range.to_owned())
            .or_insert_with(|| RefOr::Ref(Ref::from_response_name("Error")));
    }
}

/// A string parameter for each `{name}` of the template the annotation did not describe.
fn path_parameters(path: &str, op: &mut Operation) {
    let params = op.parameters.get_or_insert_with(Vec::new);
    for name in template_names(path) {
        let known = params
            .iter()
            .any(|p| p.name == name && p.parameter_in == ParameterIn::Path);
        if !known {
            params.push(string_path_parameter(name));
        }
    }
}

fn string_path_parameter(name: &str) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .schema(Some(RefOr::T(Schema::Object(
            utoipa::openapi::ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::Type::String)
                .build(),
        ))))
        .build()
}

fn template_names(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
}

/// `content: products`, `admin: orders`, or `service` for the rest.
fn tag(path: &str) -> String {
    for (prefix, group) in [(CONTENT, "content"), (ADMIN, "admin")] {
        if let Some(rest) = path.strip_prefix(prefix) {
            let first = rest.trim_start_matches('/').split('/').next().unwrap_or("");
            return format!("{group}: {first}");
        }
    }
    "service".to_owned()
}

/// Unique and stable: the method and the path in camel case (`getContentProductsById`);
/// a trailing slash, which names another route, adds `Slash`.
fn operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_owned();
    for segment in path.trim_start_matches("/api").split('/') {
        let word = match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => {
                id.push_str("By");
                name
            }
            None => segment,
        };
        for part in word.split(['-', '.', '_']) {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                id.extend(first.to_uppercase());
                id.push_str(chars.as_str());
            }
        }
    }
    if path.ends_with('/') && path.len() > 1 {
        id.push_str("Slash");
    }
    id
}
