//! Answers of public content reads, kept per project revision.
//!
//! Content (pages, blocks, menus, locales, templates, general types) is read-mostly and an
//! answer depends only on the project and the request's method, path, query and body: never on
//! the user, the time or the database. So a read's 200 answer is kept with the project it came
//! from and the next identical read is served from memory. The cache lives inside [`Project`],
//! so a reload (an import on any node) starts from an empty one: a cached answer can never be
//! older than the project that serves it.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::body::{Body, Bytes, HttpBody as _, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::project::Project;
use crate::state::AppState;

/// Most answers kept per revision; when full, the cache starts over (content sites have a few
/// hundred distinct reads, so this only bounds memory against crawlers of random queries).
const MAX_ENTRIES: usize = 4096;
/// Largest answer kept.
const MAX_ANSWER: usize = 256 * 1024;
/// Largest request body a cached read may have (product filters); larger ones pass through.
const MAX_KEY_BODY: usize = 16 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    method: Method,
    uri: String,
    body: Bytes,
}

#[derive(Debug, Clone)]
struct Answer {
    content_type: Option<HeaderValue>,
    body: Bytes,
}

/// The kept answers of one project revision.
#[derive(Debug, Clone, Default)]
pub struct AnswerCache {
    answers: Arc<RwLock<HashMap<Key, Answer>>>,
}

impl AnswerCache {
    fn get(&self, key: &Key) -> Option<Answer> {
        let map = match self.answers.read() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        map.get(key).cloned()
    }

    fn put(&self, key: Key, answer: Answer) {
        let mut map = match self.answers.write() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, answer);
    }

    /// How many answers are kept.
    pub fn len(&self) -> usize {
        match self.answers.read() {
            Ok(m) => m.len(),
            Err(poisoned) => poisoned.into_inner().len(),
        }
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Middleware for public content routes: serves a kept answer, or runs the handler and keeps
/// its 200 answer. Only for routes whose answer depends on the project and the request alone.
pub(crate) async fn cached(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let project: Arc<Project> = state.project();
    let (parts, body) = req.into_parts();
    let Ok(body) = to_bytes(body, MAX_KEY_BODY).await else {
        return ApiError::PayloadTooLarge(MAX_KEY_BODY).into_response();
    };
    let key = Key {
        method: parts.method.clone(),
        uri: parts.uri.to_string(),
        body: body.clone(),
    };
    if let Some(answer) = project.answers.get(&key) {
        return respond(answer);
    }
    let response = next.run(Request::from_parts(parts, Body::from(body))).await;
    // Only whole, known-size answers are kept: one that streams or is large passes through.
    let small = response
        .body()
        .size_hint()
        .exact()
        .is_some_and(|n| n <= MAX_ANSWER as u64);
    if response.status() != StatusCode::OK || !small {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ANSWER).await else {
        return ApiError::Internal(anyhow::anyhow!("a content answer could not be read"))
            .into_response();
    };
    let answer = Answer {
        content_type: parts.headers.get(header::CONTENT_TYPE).cloned(),
        body: bytes.clone(),
    };
    project.answers.put(key, answer);
    Response::from_parts(parts, Body::from(bytes))
}

fn respond(answer: Answer) -> Response {
    let mut r = Response::new(Body::from(answer.body));
    if let Some(ct) = answer.content_type {
        r.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    r
}
