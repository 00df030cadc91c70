-- PostgreSQL twin of db/migration/V20. The workflow columns SQLite generates with json_extract are
-- STORED generated columns over the document read as jsonb.

CREATE TABLE images (
    image_name TEXT NOT NULL PRIMARY KEY,
    image_origin TEXT NOT NULL,
    image_category TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    session_id TEXT,
    node_id TEXT,
    metadata TEXT,
    is_intermediate BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL DEFAULT invokej_now(),
    updated_at TEXT NOT NULL DEFAULT invokej_now(),
    deleted_at TEXT,
    starred BOOLEAN NOT NULL DEFAULT FALSE,
    has_workflow BOOLEAN NOT NULL DEFAULT FALSE,
    image_subfolder TEXT NOT NULL DEFAULT '',
    user_id TEXT NOT NULL DEFAULT 'system'
);

CREATE INDEX idx_images_image_origin ON images (image_origin);
CREATE INDEX idx_images_image_category ON images (image_category);
CREATE INDEX idx_images_created_at ON images (created_at);
CREATE INDEX idx_images_starred ON images (starred);
CREATE INDEX idx_images_user_id ON images (user_id, starred, created_at);

CREATE TRIGGER tg_images_updated_at BEFORE UPDATE ON images
    FOR EACH ROW EXECUTE FUNCTION invokej_touch_updated_at();

CREATE TABLE boards (
    board_id TEXT NOT NULL PRIMARY KEY,
    board_name TEXT NOT NULL,
    cover_image_name TEXT REFERENCES images (image_name) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT invokej_now(),
    updated_at TEXT NOT NULL DEFAULT invokej_now(),
    deleted_at TEXT,
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    user_id TEXT NOT NULL DEFAULT 'system',
    is_public BOOLEAN NOT NULL DEFAULT FALSE,
    board_visibility TEXT NOT NULL DEFAULT 'private'
);

CREATE INDEX idx_boards_created_at ON boards (created_at);
CREATE INDEX idx_boards_user_id ON boards (user_id);
CREATE INDEX idx_boards_board_visibility ON boards (board_visibility);

CREATE TRIGGER tg_boards_updated_at BEFORE UPDATE ON boards
    FOR EACH ROW EXECUTE FUNCTION invokej_touch_updated_at();

CREATE TABLE board_images (
    board_id TEXT NOT NULL REFERENCES boards (board_id) ON DELETE CASCADE,
    image_name TEXT NOT NULL PRIMARY KEY REFERENCES images (image_name) ON DELETE CASCADE,
    created_at TEXT NOT NULL DEFAULT invokej_now(),
    updated_at TEXT NOT NULL DEFAULT invokej_now(),
    deleted_at TEXT
);

CREATE INDEX idx_board_images_board_id ON board_images (board_id, image_name);

CREATE TABLE workflow_library (
    workflow_id TEXT NOT NULL PRIMARY KEY,
    workflow TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT invokej_now(),
    updated_at TEXT NOT NULL DEFAULT invokej_now(),
    opened_at TEXT,
    category TEXT GENERATED ALWAYS AS (workflow::jsonb #>> '{meta,category}') STORED,
    name TEXT GENERATED ALWAYS AS (workflow::jsonb ->> 'name') STORED,
    description TEXT GENERATED ALWAYS AS (workflow::jsonb ->> 'description') STORED,
    tags TEXT GENERATED ALWAYS AS (workflow::jsonb ->> 'tags') STORED,
    user_id TEXT NOT NULL DEFAULT 'system',
    is_public BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE INDEX idx_workflow_library_user_id ON workflow_library (user_id);
CREATE INDEX idx_workflow_library_is_public ON workflow_library (is_public);

-- As in SQLite, only a change of the document itself counts as an update.
CREATE TRIGGER tg_workflow_library_updated_at BEFORE UPDATE OF workflow ON workflow_library
    FOR EACH ROW EXECUTE FUNCTION invokej_touch_updated_at();
