//! What an event's templates see (`{{order.id}}`, `{{user.email}}`): the project, the event,
//! the user it is about, and the order, payment or form submission when there is one, read once per outbox
//! row. Only what [`openentry_domain::project::Condition::placeholders`] lists is offered,
//! under the same names, so `project check` and rendering agree.

use openentry_domain::project::text_in;
use openentry_store::form_data::SubmissionRecord;
use openentry_store::orders::OrderRecord;
use openentry_store::outbox::Event;
use openentry_store::users::UserRecord;
use serde_json::{Map, Value, json};

use crate::state::AppState;

/// The facts an outbox row's messages are rendered from.
#[derive(Debug, Clone)]
pub(super) struct Facts {
    /// The user the event is about (the order's customer, the user who signed up).
    pub(super) user: Option<UserRecord>,
    order: Option<OrderRecord>,
    storage: Option<String>,
    payment: Option<Value>,
    /// The submission a `form.submitted` row names, as its template object.
    form: Option<Value>,
    /// The status an `order.status` row moved to (the order may have moved on since).
    status_to: Option<String>,
    kind: String,
    created_at: i64,
}

/// Reads the user and order an outbox row names.
pub(super) async fn facts(
    state: &AppState,
    row: &Event,
    storage: Option<&str>,
) -> anyhow::Result<Facts> {
    let p = &row.payload;
    let order = match p.get("orderId").and_then(Value::as_i64) {
        Some(id) => openentry_store::orders::get(&state.db, id).await?,
        None => None,
    };
    let user_id = p
        .get("userId")
        .and_then(Value::as_i64)
        .or_else(|| order.as_ref().and_then(|o| o.user_id));
    let user = match user_id {
        Some(id) => openentry_store::users::get(&state.db, id).await?,
        None => None,
    };
    let payment = p.get("sessionId").and_then(Value::as_i64).map(|id| {
        json!({
            "id": id,
            "status": p.get("to").cloned().unwrap_or(Value::Null),
        })
    });
    let form = match p.get("formDataId").and_then(Value::as_i64) {
        Some(id) => openentry_store::form_data::get(&state.db, id)
            .await?
            .map(|s| form_value(&s, p.get("form").and_then(Value::as_str).unwrap_or(""))),
        None => None,
    };
    Ok(Facts {
        user,
        order,
        form,
        storage: storage.map(str::to_owned),
        payment,
        status_to: p
            .pointer("/detail/to")
            .and_then(Value::as_str)
            .map(str::to_owned),
        kind: row.kind.as_str().to_owned(),
        created_at: row.created_at,
    })
}

/// `{marker: value}` of stored form data (`{"<lang>": [items]}`), `lang` first.
fn form_values(data: &Value, lang: &str) -> Map<String, Value> {
    let mut out = Map::new();
    let langs = data.as_object().into_iter().flat_map(|m| {
        m.get(lang)
            .into_iter()
            .chain(m.iter().filter(|(k, _)| *k != lang).map(|(_, v)| v))
    });
    for items in langs {
        for item in items.as_array().into_iter().flatten() {
            if let Some(marker) = item.get("marker").and_then(Value::as_str) {
                out.entry(marker.to_owned())
                    .or_insert_with(|| item.get("value").cloned().unwrap_or(Value::Null));
            }
        }
    }
    out
}

/// The `form` object of a template: the submission's values by marker, then its `id`,
/// `identifier` (the form's marker), `status` and `createdAt` (which win over a field of the
/// same marker, as `user`'s own fields do).
fn form_value(s: &SubmissionRecord, identifier: &str) -> Value {
    let mut m: Map<String, Value> = s
        .form_data
        .iter()
        .map(|item| (item.marker.clone(), item.value.clone()))
        .collect();
    m.insert("id".to_owned(), json!(s.id));
    m.insert("identifier".to_owned(), json!(identifier));
    m.insert("status".to_owned(), json!(s.status.as_str()));
    m.insert("createdAt".to_owned(), json!(super::rfc3339(s.created_at)));
    Value::Object(m)
}

/// The address a user's messages go to: their notification e-mail, else a login that is one.
pub(super) fn address_of(u: &UserRecord) -> Option<String> {
    let email = u.notification_data.email.trim();
    if !email.is_empty() {
        return Some(email.to_owned());
    }
    openentry_domain::login::is_email(&u.identifier).then(|| u.identifier.clone())
}

/// The `user` object of a template.
pub(super) fn user_value(u: &UserRecord) -> Value {
    let mut m = form_values(&u.form_data, &u.locale);
    m.insert("id".to_owned(), json!(u.id));
    m.insert("login".to_owned(), json!(u.identifier));
    m.insert("email".to_owned(), json!(address_of(u).unwrap_or_default()));
    m.insert("locale".to_owned(), json!(u.locale));
    Value::Object(m)
}

/// The `project` object of a template, in `lang`.
pub(super) fn project_value(state: &AppState, lang: &str) -> Value {
    let project = state.project();
    json!({"name": project.def.project.name, "locale": lang})
}

impl Facts {
    /// The whole context in `lang` for the event `identifier`.
    pub(super) fn context(&self, state: &AppState, identifier: &str, lang: &str) -> Value {
        let project = state.project();
        let default = project.default_locale().to_owned();
        let mut ctx = Map::new();
        ctx.insert("project".to_owned(), project_value(state, lang));
        ctx.insert(
            "event".to_owned(),
            json!({
                "identifier": identifier,
                "kind": self.kind,
                "createdAt": super::rfc3339(self.created_at),
            }),
        );
        ctx.insert(
            "user".to_owned(),
            self.user.as_ref().map_or(Value::Null, user_value),
        );
        if let Some(o) = &self.order {
            let status = match &self.status_to {
                Some(to) => project.order_statuses.by_marker(to),
                None => project.order_statuses.by_id(o.status_id),
            };
            let total = openentry_domain::money::exponent(&o.currency)
                .map(|exp| openentry_domain::money::format_fixed(o.total_minor, exp))
                .unwrap_or_default();
            let mut m = form_values(&o.form_data, &o.lang);
            m.insert("id".to_owned(), json!(o.id));
            m.insert("storage".to_owned(), json!(self.storage));
            m.insert(
                "status".to_owned(),
                json!(status.map(|s| s.def.status.identifier.clone())),
            );
            m.insert(
                "statusTitle".to_owned(),
                json!(status.and_then(|s| text_in(&s.def.status.title, lang, &default))),
            );
            m.insert("total".to_owned(), json!(total));
            m.insert("currency".to_owned(), json!(o.currency));
            m.insert("createdAt".to_owned(), json!(super::rfc3339(o.created_at)));
            ctx.insert("order".to_owned(), Value::Object(m));
        }
        if let Some(p) = &self.payment {
            ctx.insert("payment".to_owned(), p.clone());
        }
        if let Some(f) = &self.form {
            ctx.insert("form".to_owned(), f.clone());
        }
        Value::Object(ctx)
    }
}
