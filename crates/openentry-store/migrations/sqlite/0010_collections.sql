-- Integration collections: the collections of the definition (ids kept across imports like
-- forms', so a collection cannot be removed while it has rows) and their rows. A row belongs to
-- whoever wrote it: a user (the rows go with the account), an operator (`by_operator`) or an
-- anonymous visitor (neither). `entity_type`/`entity_id` optionally tie it to something
-- (a product of a wishlist). Its values are stored per language, one row of
-- `collection_row_values` each, so writes in two languages never overwrite each other.
CREATE TABLE collections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    identifier TEXT NOT NULL UNIQUE,
    definition TEXT NOT NULL,
    version BIGINT NOT NULL,
    position BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE collection_rows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collection_id BIGINT NOT NULL REFERENCES collections(id),
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    by_operator BOOLEAN NOT NULL,
    entity_type TEXT,
    entity_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX collection_rows_by_collection ON collection_rows (collection_id, entity_type, entity_id, id);
CREATE INDEX collection_rows_by_user ON collection_rows (user_id, id);
CREATE TABLE collection_row_values (
    row_id BIGINT NOT NULL REFERENCES collection_rows(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    form_data TEXT NOT NULL,
    PRIMARY KEY (row_id, lang)
);
