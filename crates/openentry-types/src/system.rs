//! System wire types: `GET /api/content/system/api-stat` (`System.getApiStat`).
//!
//! The SDK types the answer `unknown` ("an object with date and count"), so the shape is this
//! server's own (docs/decisions.md, "System"). Counts are per node, since its start.

use serde::{Deserialize, Serialize};

/// Request counts of one node since it started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiStat {
    /// When the answer was made (RFC 3339, UTC, milliseconds).
    pub date: String,
    /// Requests answered since `since` (this one not yet counted).
    pub count: u64,
    /// When the node started counting.
    pub since: String,
    /// Whole seconds between `since` and `date`.
    pub uptime_secs: i64,
    /// `count` by status class.
    pub by_status: StatusCounts,
    /// Counts per route template and method, busiest first.
    pub routes: Vec<RouteStat>,
}

/// Requests by status class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCounts {
    /// 1xx answers.
    #[serde(rename = "1xx")]
    pub informational: u64,
    /// 2xx answers.
    #[serde(rename = "2xx")]
    pub success: u64,
    /// 3xx answers.
    #[serde(rename = "3xx")]
    pub redirection: u64,
    /// 4xx answers.
    #[serde(rename = "4xx")]
    pub client_error: u64,
    /// 5xx answers.
    #[serde(rename = "5xx")]
    pub server_error: u64,
}

/// The requests of one route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RouteStat {
    /// HTTP method.
    pub method: String,
    /// The matched route template (`/api/content/pages/{url}`), or `unmatched`.
    pub route: String,
    /// Requests answered.
    pub count: u64,
    /// `count` by status class.
    pub by_status: StatusCounts,
}
