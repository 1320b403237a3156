-- Operators (issue 16): admin accounts with roles, their console sessions, API tokens with
-- roles, and the audit log of every management change (docs/decisions.md, "Operators").

CREATE TABLE operators (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    login TEXT NOT NULL,
    -- The login lowercased: logins are unique case-insensitively.
    login_key TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    -- Base32 TOTP secret; NULL while no second factor is set.
    totp_secret TEXT,
    -- The last TOTP time step accepted: a code is accepted once (RFC 6238 §5.2).
    totp_last_step BIGINT,
    blocked BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE operator_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    operator_id BIGINT NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
    -- SHA-256 (hex) of the cookie's value; the value itself is never stored.
    token_hash TEXT NOT NULL UNIQUE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    -- The absolute end, whatever the use.
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX operator_sessions_by_operator ON operator_sessions (operator_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    -- `admin:<login>`, `token:<name>` or `token:OPENENTRY_ADMIN_TOKEN`.
    actor TEXT NOT NULL,
    -- create, update, delete, or a verb of the resource (`settle`, `refund`, `replay`).
    action TEXT NOT NULL,
    resource TEXT NOT NULL,
    -- What was changed, in the resource's own terms (`products/shirt`, `orders/12`).
    target TEXT NOT NULL,
    -- JSON of the thing before and after; NULL for a creation or a deletion.
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_by_target ON audit_log (resource, target, id);
CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
