-- Discounts (docs/decisions.md, "Discounts"). The discounts themselves live in the project
-- definition; the database holds what orders did with them.
--
-- order_discounts: the discountConfig an order was priced with (JSON), its coupon and the
-- bonus it spent; written with the order, replaced when its products change.
CREATE TABLE order_discounts (
    order_id BIGINT PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
    config TEXT NOT NULL,
    coupon_code TEXT,
    bonus_applied_minor BIGINT NOT NULL
);
-- coupon_uses: a single-use coupon's one order. The primary key on the code is the claim: of
-- concurrent orders on any number of nodes exactly one insert succeeds. Deleted (released)
-- when the order is canceled before payment; goes with the order.
CREATE TABLE coupon_uses (
    code TEXT PRIMARY KEY,
    discount TEXT NOT NULL,
    order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    used_at BIGINT NOT NULL
);
CREATE INDEX coupon_uses_by_order ON coupon_uses (order_id);
-- bonus_ledger: every change of a user's bonus balance (ACCRUAL, USAGE, REDUCE,
-- REVERSAL_ACCRUAL, REVERSAL_USAGE, EXPIRATION) in hundredths of a point; the balance is the
-- sum. One entry per (order, kind, discount) makes accruals and reversals idempotent.
CREATE TABLE bonus_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    amount BIGINT NOT NULL,
    kind TEXT NOT NULL,
    discount TEXT NOT NULL,
    order_id BIGINT REFERENCES orders(id) ON DELETE SET NULL,
    comment TEXT,
    by_admin BOOLEAN NOT NULL,
    remaining BIGINT,
    expires_at BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (order_id, kind, discount)
);
CREATE INDEX bonus_ledger_by_user ON bonus_ledger (user_id, id);
