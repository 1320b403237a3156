-- Discounts, second part (docs/decisions.md, "Discounts, second part").
--
-- bonus_ledger.refund_id: the approved refund request an entry answers (0: none). Partial
-- refunds reverse an order's accrual and give back its spent points once per refund, so the
-- entry that happens once is (order, kind, discount, refund). SQLite cannot drop a table
-- constraint: the table is rebuilt.
CREATE TABLE bonus_ledger_next (
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
    refund_id BIGINT NOT NULL DEFAULT 0,
    UNIQUE (order_id, kind, discount, refund_id)
);
INSERT INTO bonus_ledger_next (id, user_id, amount, kind, discount, order_id, comment, by_admin,
    remaining, expires_at, created_at, refund_id)
SELECT id, user_id, amount, kind, discount, order_id, comment, by_admin, remaining, expires_at,
    created_at, 0 FROM bonus_ledger;
DROP TABLE bonus_ledger;
ALTER TABLE bonus_ledger_next RENAME TO bonus_ledger;
CREATE INDEX bonus_ledger_by_user ON bonus_ledger (user_id, id);
-- coupon_codes: the codes a coupon mask generated at import, kept across imports (the same
-- file imported again generates nothing new). `mask` is the mask as written: the codes of a
-- mask the file no longer has are deleted, a smaller count deletes the newest. Codes are
-- unique across every discount, ignoring case (stored upper case, like manual codes). The
-- coupon's id is 1 000 000 + id (manual codes are numbered by their place in the file).
CREATE TABLE coupon_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    discount TEXT NOT NULL,
    mask TEXT NOT NULL,
    reusable BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX coupon_codes_by_discount ON coupon_codes (discount, mask);
