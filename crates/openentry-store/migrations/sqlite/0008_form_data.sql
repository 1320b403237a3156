-- Form submissions (the FormData module): what visitors and users send through data forms
-- (reviews, contact messages). Each belongs to a form of the definition (a form cannot be
-- removed while it has submissions), optionally to an entity (`entity_identifier`: a product
-- id for reviews) and a parent submission (replies; a thread goes with its root). The sender
-- is a user (their submissions go with their account), an operator (`by_operator`) or nobody
-- (anonymous, with the device fingerprint the SDK sends). `form_data` is the checked items as
-- JSON in the language `lang`; `seed_key` marks the entries the definition itself holds.
CREATE TABLE form_data (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    form_id BIGINT NOT NULL REFERENCES forms(id),
    module_config_id BIGINT NOT NULL,
    entity_identifier TEXT NOT NULL,
    parent_id BIGINT REFERENCES form_data(id) ON DELETE CASCADE,
    depth BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    by_operator BOOLEAN NOT NULL,
    fingerprint TEXT,
    status TEXT NOT NULL,
    lang TEXT NOT NULL,
    form_data TEXT NOT NULL,
    seed_key TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (form_id, seed_key)
);
CREATE INDEX form_data_by_entity ON form_data (form_id, entity_identifier, id);
CREATE INDEX form_data_by_user ON form_data (user_id, id);
CREATE INDEX form_data_by_parent ON form_data (parent_id);
