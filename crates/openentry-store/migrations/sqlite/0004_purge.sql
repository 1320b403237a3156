-- Indexes for the periodic purge of stale rows (throttle counters, spent or expired codes,
-- old idempotency keys, ended sessions, old notifications), so it never scans whole tables.
CREATE INDEX auth_throttle_by_window ON auth_throttle (window_start);
CREATE INDEX one_time_codes_by_expiry ON one_time_codes (expires_at);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
CREATE INDEX user_sessions_by_expiry ON user_sessions (expires_at);
CREATE INDEX notifications_by_age ON notifications (created_at);
CREATE INDEX user_sessions_by_revocation ON user_sessions (revoked_at);
