-- Files visitors upload (the FileUploading module). Each is an object of the media store under
-- `object_key` (`<128 random bits as hex>/<sanitized name>`), owned by a signed-in user (`owner`
-- `user:<id>`, `user_id` set: the rows go with the account; the server removes the objects)
-- or by an anonymous visitor's address (`addr:<address or IPv6 /64>`). `content_type` is
-- what the content's first bytes say, never the name.
CREATE TABLE uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    object_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX uploads_by_owner ON uploads (owner, id);
CREATE INDEX uploads_by_user ON uploads (user_id);

-- What each owner holds, kept beside the rows so that the quota is checked and spent by one
-- conditional UPDATE: concurrent uploads of one owner can never pass it together.
CREATE TABLE upload_usage (
    owner TEXT PRIMARY KEY,
    bytes BIGINT NOT NULL,
    files BIGINT NOT NULL
);
