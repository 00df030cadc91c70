-- Boards, images and the workflow library, with InvokeAI's table and column names (after its
-- migrations 27-29: user_id ownership columns defaulting to 'system', boards.board_visibility).
-- Ownership columns have no foreign key to users, as in InvokeAI: deleting a user leaves their content
-- (administrators can transfer it first).

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
    created_at DATETIME NOT NULL DEFAULT (STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    updated_at DATETIME NOT NULL DEFAULT (STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    deleted_at DATETIME,
    starred BOOLEAN NOT NULL DEFAULT FALSE,
    has_workflow BOOLEAN NOT NULL DEFAULT FALSE,
    image_subfolder TEXT NOT NULL DEFAULT '',
    user_id TEXT NOT NULL DEFAULT 'system'
);

CREATE INDEX idx_images_image_origin ON images (image_origin);
CREATE INDEX idx_images_image_category ON images (image_category);
CREATE INDEX idx_images_created_at ON images (created_at);
CREATE INDEX idx_images_starred ON images (starred);
-- "my images, newest first" is every non-admin's default gallery.
CREATE INDEX idx_images_user_id ON images (user_id, starred, created_at);

CREATE TRIGGER tg_images_updated_at
AFTER UPDATE ON images FOR EACH ROW
BEGIN
    UPDATE images SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW') WHERE image_name = old.image_name;
END;

CREATE TABLE boards (
    board_id TEXT NOT NULL PRIMARY KEY,
    board_name TEXT NOT NULL,
    -- Written by PATCH but never shown: the DTO's cover is computed (as InvokeAI does).
    cover_image_name TEXT,
    created_at DATETIME NOT NULL DEFAULT (STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    updated_at DATETIME NOT NULL DEFAULT (STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    deleted_at DATETIME,
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    user_id TEXT NOT NULL DEFAULT 'system',
    -- InvokeAI's legacy flag, superseded by board_visibility; kept for its sqlite3 recipes.
    is_public BOOLEAN NOT NULL DEFAULT FALSE,
    board_visibility TEXT NOT NULL DEFAULT 'private',
    FOREIGN KEY (cover_image_name) REFERENCES images (image_name) ON DELETE SET NULL
);

CREATE INDEX idx_boards_created_at ON boards (created_at);
CREATE INDEX idx_boards_user_id ON boards (user_id);
CREATE INDEX idx_boards_board_visibility ON boards (board_visibility);

CREATE TRIGGER tg_boards_updated_at
AFTER UPDATE ON boards FOR EACH ROW
BEGIN
    UPDATE boards SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW') WHERE board_id = old.board_id;
END;

-- An image is on at most one board (image_name is the key); deleting either side removes the link.
CREATE TABLE board_images (
    board_id TEXT NOT NULL,
    image_name TEXT NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL DEFAULT (STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    updated_at DATETIME NOT NULL DEFAULT (STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    deleted_at DATETIME,
    FOREIGN KEY (board_id) REFERENCES boards (board_id) ON DELETE CASCADE,
    FOREIGN KEY (image_name) REFERENCES images (image_name) ON DELETE CASCADE
);

CREATE INDEX idx_board_images_board_id ON board_images (board_id, image_name);

CREATE TABLE workflow_library (
    workflow_id TEXT NOT NULL PRIMARY KEY,
    workflow TEXT NOT NULL,
    created_at DATETIME NOT NULL DEFAULT (STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    updated_at DATETIME NOT NULL DEFAULT (STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    opened_at DATETIME,
    category TEXT GENERATED ALWAYS AS (json_extract(workflow, '$.meta.category')) VIRTUAL,
    name TEXT GENERATED ALWAYS AS (json_extract(workflow, '$.name')) VIRTUAL,
    description TEXT GENERATED ALWAYS AS (json_extract(workflow, '$.description')) VIRTUAL,
    tags TEXT GENERATED ALWAYS AS (json_extract(workflow, '$.tags')) VIRTUAL,
    user_id TEXT NOT NULL DEFAULT 'system',
    is_public BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE INDEX idx_workflow_library_user_id ON workflow_library (user_id);
CREATE INDEX idx_workflow_library_is_public ON workflow_library (is_public);

CREATE TRIGGER tg_workflow_library_updated_at
AFTER UPDATE OF workflow ON workflow_library FOR EACH ROW
BEGIN
    UPDATE workflow_library SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW') WHERE workflow_id = old.workflow_id;
END;
