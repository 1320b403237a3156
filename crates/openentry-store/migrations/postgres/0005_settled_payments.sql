-- Whether a completed session paid its order. A completion that did not cover the order as
-- it was then (changed, already paid, closed) is completed (the money was taken) but did not
-- settle it; it raised an operator alert instead.
ALTER TABLE payment_sessions ADD COLUMN settled BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE payment_sessions SET settled = TRUE WHERE status = 'completed';
