-- Payment sessions, provider webhook events (deduplication), payment alerts for operators,
-- and the outbox of domain events written in the same transaction as each change.
CREATE TABLE payment_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    account_id BIGINT NOT NULL REFERENCES payment_accounts(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    provider_ref TEXT,
    payment_url TEXT,
    client_secret TEXT,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX payment_sessions_by_order ON payment_sessions (order_id);
CREATE INDEX payment_sessions_by_user ON payment_sessions (user_id, id);
CREATE INDEX payment_sessions_by_provider_ref ON payment_sessions (provider_ref);
CREATE INDEX payment_sessions_waiting_expiry ON payment_sessions (status, expires_at);
-- At most one open session per order, enforced by the database.
CREATE UNIQUE INDEX payment_sessions_one_waiting ON payment_sessions (order_id) WHERE status = 'waiting';

CREATE TABLE webhook_events (
    provider TEXT NOT NULL,
    event_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (provider, event_id)
);

CREATE TABLE payment_alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id BIGINT REFERENCES payment_sessions(id) ON DELETE SET NULL,
    event_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    aggregate TEXT NOT NULL,
    aggregate_id BIGINT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT
);
CREATE INDEX outbox_undelivered ON outbox (delivered_at, id);
