-- Blocked users (issue 16): an operator's block refuses sign-in, refresh and every access
-- token of the user until it is lifted (docs/decisions.md, "Users' data under /api/admin").
-- NULL: not blocked; otherwise when the block began.
ALTER TABLE users ADD COLUMN blocked_at BIGINT;
