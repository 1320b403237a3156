//! `/api/content/discounts/bonus-balance` (docs/wire.md §6.9): the signed-in user's bonus
//! balance and its history, read from the ledger (hundredths of a point served as numbers).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_domain::clock::Timestamp;
use serde::Deserialize;
use serde_json::{Value, json};

use openentry_store::bonus::Entry;

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, CurrentUser};
use crate::orders::bonus::points;
use crate::project::Project;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/bonus-balance", get(balance))
        .route("/bonus-balance/history", get(history))
}

#[utoipa::path(
    get,
    path = "/api/content/discounts/bonus-balance",
    responses((status = 200, description = "OK", body = serde_json::Value)),
    security(("app_token" = [], "user_token" = [])),
)]
async fn balance(State(state): State<AppState>, me: CurrentUser) -> ApiResult<Json<Value>> {
    let b = crate::orders::bonus::balance(&state, state.db.conn().await?, me.user_id).await?;
    Ok(Json(json!({ "balance": points(b) })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
struct HistoryQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    date_from: Option<String>,
    date_to: Option<String>,
    is_admin: Option<String>,
    discount_id: Option<String>,
    module_id: Option<String>,
}

/// The filters of a history query, read (bad values are 400, never ignored).
struct Filters {
    kind: Option<String>,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
    admin: Option<bool>,
    discount: Option<String>,
    module: Option<i64>,
}

fn bad(what: &str, v: &str, why: &str) -> ApiError {
    ApiError::BadRequest(format!("{what} \"{v}\" {why}"))
}

const KINDS: [&str; 6] = [
    "ACCRUAL",
    "USAGE",
    "REDUCE",
    "REVERSAL_ACCRUAL",
    "REVERSAL_USAGE",
    "EXPIRATION",
];

/// A date filter: RFC 3339, or a bare date (`2026-06-01`, midnight UTC).
fn date(key: &str, v: Option<&str>) -> ApiResult<Option<Timestamp>> {
    let Some(v) = v.filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    Timestamp::parse_rfc3339(v)
        .or_else(|| Timestamp::parse_rfc3339(&format!("{v}T00:00:00Z")))
        .map(Some)
        .ok_or_else(|| bad(key, v, "is not a date (RFC 3339 or YYYY-MM-DD)"))
}

fn id(key: &str, v: Option<&str>) -> ApiResult<Option<i64>> {
    v.filter(|v| !v.is_empty())
        .map(|v| crate::validate::canonical_id(v).ok_or_else(|| bad(key, v, "is not an id")))
        .transpose()
}

impl Filters {
    fn read(q: &HistoryQuery, project: &Project) -> ApiResult<Self> {
        let kind = q.kind.clone().filter(|k| !k.is_empty());
        if let Some(k) = kind.as_deref().filter(|k| !KINDS.contains(k)) {
            return Err(bad(
                "type",
                k,
                &format!("is not one of {}", KINDS.join(", ")),
            ));
        }
        let admin = match q.is_admin.as_deref() {
            None | Some("") => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(v) => return Err(bad("isAdmin", v, "is not true or false")),
        };
        // A discount id that names no discount matches no entry (it may have been deleted).
        let discount = id("discountId", q.discount_id.as_deref())?.map(|n| {
            usize::try_from(n - 1)
                .ok()
                .and_then(|i| project.def.discounts.get(i))
                .map_or_else(|| "\u{0}".to_owned(), |d| d.identifier.clone())
        });
        Ok(Self {
            kind,
            from: date("dateFrom", q.date_from.as_deref())?,
            to: date("dateTo", q.date_to.as_deref())?,
            admin,
            discount,
            module: id("moduleId", q.module_id.as_deref())?,
        })
    }

    fn keeps(&self, e: &Entry) -> bool {
        self.kind.as_deref().is_none_or(|k| k == e.kind)
            && self.from.is_none_or(|f| e.created_at >= f.0)
            && self.to.is_none_or(|t| e.created_at < t.0)
            && self.admin.is_none_or(|a| a == e.by_admin)
            && self.discount.as_deref().is_none_or(|d| d == e.discount)
            && self.module.is_none_or(|m| e.storage_id == Some(m))
    }
}

/// Entries oldest first, filtered by type, time (`dateFrom` inclusive, `dateTo` exclusive),
/// `isAdmin`, `discountId` (the discount that accrued or reversed the points) and `moduleId`
/// (the order storage of the entry's order).
#[utoipa::path(
    get,
    path = "/api/content/discounts/bonus-balance/history",
    params(HistoryQuery),
    responses((status = 200, description = "OK", body = serde_json::Value)),
    security(("app_token" = [], "user_token" = [])),
)]
async fn history(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<HistoryQuery>,
) -> ApiResult<Json<Value>> {
    let project = state.project();
    let f = Filters::read(&q, &project)?;
    crate::orders::bonus::balance(&state, state.db.conn().await?, me.user_id).await?;
    let all = openentry_store::bonus::history(&state.db, me.user_id).await?;
    let items: Vec<Value> = all
        .into_iter()
        .filter(|e| f.keeps(e))
        .map(|e| {
            let mut v = json!({
                "balanceId": me.user_id,
                "amount": points(e.amount),
                "type": e.kind,
                "isAdmin": e.by_admin,
                "triggerType": "EVENT",
                "createdAt": Timestamp(e.created_at).to_rfc3339(),
            });
            if let Some(o) = e.order_id {
                v["entityIdentifier"] = json!(o.to_string());
            }
            if let Some(m) = e.storage_id {
                v["moduleId"] = json!(m);
            }
            if let Some(d) = (1_i64..)
                .zip(&project.def.discounts)
                .find(|(_, d)| !e.discount.is_empty() && d.identifier == e.discount)
            {
                v["discountId"] = json!(d.0);
            }
            if let Some(x) = e.expires_at {
                v["expiresAt"] = json!(Timestamp(x).to_rfc3339());
            }
            if let Some(c) = e.comment {
                v["comment"] = json!(c);
            }
            v
        })
        .collect();
    Ok(Json(Value::Array(items)))
}
