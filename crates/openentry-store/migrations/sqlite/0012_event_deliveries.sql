-- Event deliveries (the relay): one row per outbox event x event definition x channel x target
-- (a webhook endpoint, a user). The id is derived from those four, so fanning the same outbox
-- row out twice (two nodes, a crash between insert and mark) inserts nothing new, and receivers
-- deduplicate on it (`webhook-id`). `due_at` is when the row may next be claimed: the next
-- attempt while `pending`, the end of the lease while `sending` (a claimer that died is
-- replaced after it). Response bodies are never stored: status and latency only.
CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    outbox_id BIGINT NOT NULL,
    event TEXT NOT NULL,
    channel TEXT NOT NULL,
    target TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    claim TEXT,
    last_status BIGINT,
    last_latency_ms BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (state, due_at);
CREATE INDEX deliveries_by_outbox ON deliveries (outbox_id);

-- Product subscriptions (Events module): a user asks to hear of one product through one
-- event (`price_below`, `back_in_stock`), in a locale. One row per user, event and product.
CREATE TABLE event_subscriptions (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    product_id BIGINT NOT NULL,
    locale TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, event, product_id)
);
CREATE INDEX event_subscriptions_by_product ON event_subscriptions (product_id, event);
