-- The console's dashboard counts today's orders and sums today's completed payments
-- (openentry_store::dashboard): without these, both read every row of their table, which
-- grows with the shop. The order list pages by id and needs none.
CREATE INDEX orders_by_created ON orders (created_at);
CREATE INDEX payment_sessions_by_status_updated ON payment_sessions (status, updated_at);
