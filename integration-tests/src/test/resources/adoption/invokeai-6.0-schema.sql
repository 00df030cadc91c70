-- InvokeAI 6.0 (schema version 21, single-user): the 5.x schema plus migration 21's client_state,
-- one JSON row for the whole web UI.
CREATE TABLE migrations (
                    version INTEGER PRIMARY KEY,
                    migrated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW'))
                );
CREATE TABLE board_images (
                board_id TEXT NOT NULL,
                image_name TEXT NOT NULL,
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                -- updated via trigger
                updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                -- Soft delete, currently unused
                deleted_at DATETIME,
                -- enforce one-to-many relationship between boards and images using PK
                -- (we can extend this to many-to-many later)
                PRIMARY KEY (image_name),
                FOREIGN KEY (board_id) REFERENCES boards (board_id) ON DELETE CASCADE,
                FOREIGN KEY (image_name) REFERENCES images (image_name) ON DELETE CASCADE
            );
CREATE INDEX idx_board_images_board_id ON board_images (board_id);
CREATE INDEX idx_board_images_board_id_created_at ON board_images (board_id, created_at);
CREATE TRIGGER tg_board_images_updated_at
            AFTER UPDATE
            ON board_images FOR EACH ROW
            BEGIN
                UPDATE board_images SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
                    WHERE board_id = old.board_id AND image_name = old.image_name;
            END;
CREATE TABLE boards (
                board_id TEXT NOT NULL PRIMARY KEY,
                board_name TEXT NOT NULL,
                cover_image_name TEXT,
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                -- Updated via trigger
                updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                -- Soft delete, currently unused
                deleted_at DATETIME, archived BOOLEAN DEFAULT FALSE,
                FOREIGN KEY (cover_image_name) REFERENCES images (image_name) ON DELETE SET NULL
            );
CREATE INDEX idx_boards_created_at ON boards (created_at);
CREATE TRIGGER tg_boards_updated_at
            AFTER UPDATE
            ON boards FOR EACH ROW
            BEGIN
                UPDATE boards SET updated_at = current_timestamp
                    WHERE board_id = old.board_id;
            END;
CREATE TABLE images (
                image_name TEXT NOT NULL PRIMARY KEY,
                -- This is an enum in python, unrestricted string here for flexibility
                image_origin TEXT NOT NULL,
                -- This is an enum in python, unrestricted string here for flexibility
                image_category TEXT NOT NULL,
                width INTEGER NOT NULL,
                height INTEGER NOT NULL,
                session_id TEXT,
                node_id TEXT,
                metadata TEXT,
                is_intermediate BOOLEAN DEFAULT FALSE,
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                -- Updated via trigger
                updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                -- Soft delete, currently unused
                deleted_at DATETIME
            , starred BOOLEAN DEFAULT FALSE, has_workflow BOOLEAN DEFAULT FALSE);
CREATE UNIQUE INDEX idx_images_image_name ON images(image_name);
CREATE INDEX idx_images_image_origin ON images(image_origin);
CREATE INDEX idx_images_image_category ON images(image_category);
CREATE INDEX idx_images_created_at ON images(created_at);
CREATE INDEX idx_images_starred ON images(starred);
CREATE TRIGGER tg_images_updated_at
            AFTER UPDATE
            ON images FOR EACH ROW
            BEGIN
                UPDATE images SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
                    WHERE image_name = old.image_name;
            END;
CREATE TABLE session_queue (
                item_id INTEGER PRIMARY KEY AUTOINCREMENT, -- used for ordering, cursor pagination
                batch_id TEXT NOT NULL, -- identifier of the batch this queue item belongs to
                queue_id TEXT NOT NULL, -- identifier of the queue this queue item belongs to
                session_id TEXT NOT NULL UNIQUE, -- duplicated data from the session column, for ease of access
                field_values TEXT, -- NULL if no values are associated with this queue item
                session TEXT NOT NULL, -- the session to be executed
                status TEXT NOT NULL DEFAULT 'pending', -- the status of the queue item, one of 'pending', 'in_progress', 'completed', 'failed', 'canceled'
                priority INTEGER NOT NULL DEFAULT 0, -- the priority, higher is more important
                error_traceback TEXT, -- any errors associated with this queue item
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')), -- updated via trigger
                started_at DATETIME, -- updated via trigger
                completed_at DATETIME -- updated via trigger, completed items are cleaned up on application startup
                -- Ideally this is a FK, but graph_executions uses INSERT OR REPLACE, and REPLACE triggers the ON DELETE CASCADE...
                -- FOREIGN KEY (session_id) REFERENCES graph_executions (id) ON DELETE CASCADE
            , workflow TEXT, error_type TEXT, error_message TEXT, origin TEXT, destination TEXT, retried_from_item_id INTEGER);
CREATE UNIQUE INDEX idx_session_queue_item_id ON session_queue(item_id);
CREATE UNIQUE INDEX idx_session_queue_session_id ON session_queue(session_id);
CREATE INDEX idx_session_queue_batch_id ON session_queue(batch_id);
CREATE INDEX idx_session_queue_created_priority ON session_queue(priority);
CREATE INDEX idx_session_queue_created_status ON session_queue(status);
CREATE TRIGGER tg_session_queue_completed_at
            AFTER UPDATE OF status ON session_queue
            FOR EACH ROW
            WHEN
            NEW.status = 'completed'
            OR NEW.status = 'failed'
            OR NEW.status = 'canceled'
            BEGIN
            UPDATE session_queue
            SET completed_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
            WHERE item_id = NEW.item_id;
            END;
CREATE TRIGGER tg_session_queue_started_at
            AFTER UPDATE OF status ON session_queue
            FOR EACH ROW
            WHEN
            NEW.status = 'in_progress'
            BEGIN
            UPDATE session_queue
            SET started_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
            WHERE item_id = NEW.item_id;
            END;
CREATE TRIGGER tg_session_queue_updated_at
            AFTER UPDATE
            ON session_queue FOR EACH ROW
            BEGIN
                UPDATE session_queue
                SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
                WHERE item_id = old.item_id;
            END;
CREATE TABLE workflow_library (
                workflow_id TEXT NOT NULL PRIMARY KEY,
                workflow TEXT NOT NULL,
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                -- updated via trigger
                updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                -- updated manually when retrieving workflow
                category TEXT GENERATED ALWAYS as (json_extract(workflow, '$.meta.category')) VIRTUAL NOT NULL,
                name TEXT GENERATED ALWAYS as (json_extract(workflow, '$.name')) VIRTUAL NOT NULL,
                description TEXT GENERATED ALWAYS as (json_extract(workflow, '$.description')) VIRTUAL NOT NULL
            , tags TEXT GENERATED ALWAYS AS (json_extract(workflow, '$.tags')) VIRTUAL, opened_at DATETIME);
CREATE INDEX idx_workflow_library_created_at ON workflow_library(created_at);
CREATE INDEX idx_workflow_library_updated_at ON workflow_library(updated_at);
CREATE INDEX idx_workflow_library_category ON workflow_library(category);
CREATE INDEX idx_workflow_library_name ON workflow_library(name);
CREATE INDEX idx_workflow_library_description ON workflow_library(description);
CREATE TRIGGER tg_workflow_library_updated_at
            AFTER UPDATE
            ON workflow_library FOR EACH ROW
            BEGIN
                UPDATE workflow_library
                SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
                WHERE workflow_id = old.workflow_id;
            END;
CREATE TABLE style_presets (
                id TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                preset_data TEXT NOT NULL,
                type TEXT NOT NULL DEFAULT "user",
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                -- Updated via trigger
                updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW'))
            );
CREATE INDEX idx_style_presets_name ON style_presets(name);
CREATE TRIGGER style_presets
            AFTER UPDATE
            ON style_presets FOR EACH ROW
            BEGIN
                UPDATE style_presets SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
                    WHERE id = old.id;
            END;
CREATE INDEX idx_workflow_library_opened_at ON workflow_library(opened_at);
CREATE TABLE models (
                id TEXT NOT NULL PRIMARY KEY,
                hash TEXT GENERATED ALWAYS as (json_extract(config, '$.hash')) VIRTUAL NOT NULL,
                base TEXT GENERATED ALWAYS as (json_extract(config, '$.base')) VIRTUAL NOT NULL,
                type TEXT GENERATED ALWAYS as (json_extract(config, '$.type')) VIRTUAL NOT NULL,
                path TEXT GENERATED ALWAYS as (json_extract(config, '$.path')) VIRTUAL NOT NULL,
                format TEXT GENERATED ALWAYS as (json_extract(config, '$.format')) VIRTUAL NOT NULL,
                name TEXT GENERATED ALWAYS as (json_extract(config, '$.name')) VIRTUAL NOT NULL,
                description TEXT GENERATED ALWAYS as (json_extract(config, '$.description')) VIRTUAL,
                source TEXT GENERATED ALWAYS as (json_extract(config, '$.source')) VIRTUAL NOT NULL,
                source_type TEXT GENERATED ALWAYS as (json_extract(config, '$.source_type')) VIRTUAL NOT NULL,
                source_api_response TEXT GENERATED ALWAYS as (json_extract(config, '$.source_api_response')) VIRTUAL,
                trigger_phrases TEXT GENERATED ALWAYS as (json_extract(config, '$.trigger_phrases')) VIRTUAL,
                file_size INTEGER GENERATED ALWAYS as (json_extract(config, '$.file_size')) VIRTUAL NOT NULL,
                -- Serialized JSON representation of the whole config object, which will contain additional fields from subclasses
                config TEXT NOT NULL,
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                -- Updated via trigger
                updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                -- Explicit unique constraint on path
                UNIQUE(path)
            );
CREATE INDEX base_index ON models(base);
CREATE INDEX type_index ON models(type);
CREATE INDEX name_index ON models(name);
CREATE TRIGGER models_updated_at
            AFTER UPDATE
            ON models FOR EACH ROW
            BEGIN
                UPDATE models SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
                    WHERE id = old.id;
            END;
CREATE TABLE model_relationships (
                -- model_key_1 and model_key_2 are the same as the key(primary key) in the models table
                model_key_1 TEXT NOT NULL,
                model_key_2 TEXT NOT NULL,
                created_at TEXT DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                PRIMARY KEY (model_key_1, model_key_2),
                -- model_key_1 < model_key_2, to ensure uniqueness and prevent duplicates
                FOREIGN KEY (model_key_1) REFERENCES models(id) ON DELETE CASCADE,
                FOREIGN KEY (model_key_2) REFERENCES models(id) ON DELETE CASCADE
            );
CREATE INDEX keyx_model_relationships_model_key_2
            ON model_relationships(model_key_2);
CREATE TABLE client_state (
              id          INTEGER PRIMARY KEY CHECK(id = 1),
              data        TEXT    NOT NULL, -- Frontend will handle the shape of this data
              updated_at  DATETIME NOT NULL DEFAULT (CURRENT_TIMESTAMP)
            );
CREATE TRIGGER tg_client_state_updated_at
            AFTER UPDATE ON client_state
            FOR EACH ROW
            BEGIN
              UPDATE client_state
                SET updated_at = CURRENT_TIMESTAMP
              WHERE id = OLD.id;
            END;
