-- Order storages, statuses and payment accounts (entities of the project definition), orders
-- with their price-snapshot lines, order history, refund requests and idempotency keys.
CREATE TABLE payment_accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    identifier TEXT NOT NULL UNIQUE,
    definition TEXT NOT NULL,
    version BIGINT NOT NULL,
    position BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE order_storages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    identifier TEXT NOT NULL UNIQUE,
    definition TEXT NOT NULL,
    version BIGINT NOT NULL,
    position BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE order_statuses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    identifier TEXT NOT NULL UNIQUE,
    definition TEXT NOT NULL,
    version BIGINT NOT NULL,
    position BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    storage_id BIGINT NOT NULL REFERENCES order_storages(id),
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    status_id BIGINT NOT NULL REFERENCES order_statuses(id),
    payment_account_id BIGINT NOT NULL REFERENCES payment_accounts(id),
    form_identifier TEXT NOT NULL,
    form_data TEXT NOT NULL,
    lang TEXT NOT NULL,
    currency TEXT NOT NULL,
    total_minor BIGINT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX orders_by_user ON orders (user_id, storage_id, id);

CREATE TABLE order_lines (
    order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    sku TEXT,
    preview_image TEXT,
    price_minor BIGINT NOT NULL,
    quantity BIGINT NOT NULL,
    is_gift BOOLEAN NOT NULL,
    PRIMARY KEY (order_id, position)
);

CREATE TABLE order_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX order_history_by_order ON order_history (order_id, id);

CREATE TABLE refund_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    note TEXT NOT NULL,
    products TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX refund_requests_by_order ON refund_requests (order_id);
-- At most one open refund request per order (cancelRefundRequest names none).
CREATE UNIQUE INDEX refund_requests_one_pending ON refund_requests (order_id) WHERE status = 'pending';

CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    scope TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code BIGINT,
    response TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, key)
);
