-- The delivery log per user and the catalog events (issue 14).
--
-- A delivery knows the user it concerns, where there is one (the order's customer, the
-- subscriber, the sender of a form), so operators read the log per user. Deliveries routed
-- before this column existed get the customer of their order.
ALTER TABLE deliveries ADD COLUMN user_id BIGINT;
UPDATE deliveries SET user_id = (
    SELECT o.user_id FROM outbox x JOIN orders o ON o.id = x.aggregate_id
    WHERE x.id = deliveries.outbox_id AND x.aggregate = 'order');
CREATE INDEX deliveries_by_user ON deliveries (user_id, created_at);
CREATE INDEX deliveries_by_event ON deliveries (event, created_at);

-- Why an outbox row was routed without deliveries on purpose: rows written before the
-- project had any event are marked, not sent (docs/decisions.md, "Events: catalog, forms,
-- delivery log, reliability").
ALTER TABLE outbox ADD COLUMN skipped TEXT;

-- A subscriber's price threshold in the product's minor units (`price_below` fires when the
-- price falls below it); the price when subscribing if the subscriber named none.
ALTER TABLE event_subscriptions ADD COLUMN threshold_minor BIGINT;
