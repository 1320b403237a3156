-- Stable ids of content entities (pages, blocks, menus, locales, templates, template previews):
-- one table for every content kind, since they are all (kind, marker) → id, version, position.
-- Their definitions are served from the imported project; this table only keeps what must not
-- change between imports (ids) and what changes with them (version, position, updated_at).
-- Ids count per kind (the first page is 1, and so is the first block); an id is given again
-- only when the entity holding the highest id of its kind was removed.
CREATE TABLE content_entities (
    id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    identifier TEXT NOT NULL,
    definition TEXT NOT NULL,
    version BIGINT NOT NULL,
    position BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (kind, id),
    UNIQUE (kind, identifier)
);
