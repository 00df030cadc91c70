-- InvokeAI 6.14 (commit 8e71a8a519) schema after migrations 1-33 and the dated ones, as sqlite_master holds it.
CREATE TABLE migrations (
                    version INTEGER PRIMARY KEY,
                    migrated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW'))
                );
CREATE TABLE applied_migrations (
                    migration_id TEXT PRIMARY KEY,
                    legacy_version INTEGER UNIQUE,
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
                deleted_at DATETIME, archived BOOLEAN DEFAULT FALSE, user_id TEXT DEFAULT 'system', is_public BOOLEAN NOT NULL DEFAULT FALSE, board_visibility TEXT NOT NULL DEFAULT 'private',
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
            , starred BOOLEAN DEFAULT FALSE, has_workflow BOOLEAN DEFAULT FALSE, user_id TEXT DEFAULT 'system', image_subfolder TEXT NOT NULL DEFAULT '');
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
            , workflow TEXT, error_type TEXT, error_message TEXT, origin TEXT, destination TEXT, retried_from_item_id INTEGER, user_id TEXT DEFAULT 'system', status_sequence INTEGER DEFAULT 0, device TEXT, workflow_call_id TEXT, parent_item_id INTEGER, parent_session_id TEXT, root_item_id INTEGER, workflow_call_depth INTEGER);
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
            , tags TEXT GENERATED ALWAYS AS (json_extract(workflow, '$.tags')) VIRTUAL, opened_at DATETIME, user_id TEXT DEFAULT 'system', is_public BOOLEAN NOT NULL DEFAULT FALSE);
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
            , user_id TEXT DEFAULT 'system', is_public BOOLEAN NOT NULL DEFAULT FALSE);
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
CREATE TABLE users (
                user_id TEXT NOT NULL PRIMARY KEY,
                email TEXT NOT NULL UNIQUE,
                display_name TEXT,
                password_hash TEXT NOT NULL,
                is_admin BOOLEAN NOT NULL DEFAULT FALSE,
                is_active BOOLEAN NOT NULL DEFAULT TRUE,
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                last_login_at DATETIME
            , token_epoch INTEGER NOT NULL DEFAULT 0);
CREATE INDEX idx_users_email ON users(email);
CREATE INDEX idx_users_is_admin ON users(is_admin);
CREATE INDEX idx_users_is_active ON users(is_active);
CREATE TRIGGER tg_users_updated_at
            AFTER UPDATE ON users FOR EACH ROW
            BEGIN
                UPDATE users SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
                WHERE user_id = old.user_id;
            END;
CREATE TABLE user_sessions (
                session_id TEXT NOT NULL PRIMARY KEY,
                user_id TEXT NOT NULL,
                token_hash TEXT NOT NULL,
                expires_at DATETIME NOT NULL,
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                last_activity_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                FOREIGN KEY (user_id) REFERENCES users(user_id) ON DELETE CASCADE
            );
CREATE INDEX idx_user_sessions_user_id ON user_sessions(user_id);
CREATE INDEX idx_user_sessions_token_hash ON user_sessions(token_hash);
CREATE INDEX idx_user_sessions_expires_at ON user_sessions(expires_at);
CREATE TABLE user_invitations (
                invitation_id TEXT NOT NULL PRIMARY KEY,
                email TEXT NOT NULL,
                invited_by TEXT NOT NULL,
                invitation_code TEXT NOT NULL UNIQUE,
                is_admin BOOLEAN NOT NULL DEFAULT FALSE,
                expires_at DATETIME NOT NULL,
                used_at DATETIME,
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                FOREIGN KEY (invited_by) REFERENCES users(user_id) ON DELETE CASCADE
            );
CREATE INDEX idx_user_invitations_email ON user_invitations(email);
CREATE INDEX idx_user_invitations_invitation_code ON user_invitations(invitation_code);
CREATE INDEX idx_user_invitations_expires_at ON user_invitations(expires_at);
CREATE TABLE shared_boards (
                board_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                can_edit BOOLEAN NOT NULL DEFAULT FALSE,
                shared_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                PRIMARY KEY (board_id, user_id),
                FOREIGN KEY (board_id) REFERENCES boards(board_id) ON DELETE CASCADE,
                FOREIGN KEY (user_id) REFERENCES users(user_id) ON DELETE CASCADE
            );
CREATE INDEX idx_shared_boards_user_id ON shared_boards(user_id);
CREATE INDEX idx_shared_boards_board_id ON shared_boards(board_id);
CREATE INDEX idx_boards_user_id ON boards(user_id);
CREATE INDEX idx_boards_is_public ON boards(is_public);
CREATE INDEX idx_images_user_id ON images(user_id);
CREATE INDEX idx_session_queue_user_id ON session_queue(user_id);
CREATE INDEX idx_style_presets_user_id ON style_presets(user_id);
CREATE INDEX idx_style_presets_is_public ON style_presets(is_public);
CREATE TABLE client_state (
              user_id     TEXT NOT NULL,
              key         TEXT NOT NULL,
              value       TEXT NOT NULL,
              updated_at  DATETIME NOT NULL DEFAULT (CURRENT_TIMESTAMP),
              PRIMARY KEY (user_id, key),
              FOREIGN KEY (user_id) REFERENCES users(user_id) ON DELETE CASCADE
            );
CREATE INDEX idx_client_state_user_id ON client_state(user_id);
CREATE TRIGGER tg_client_state_updated_at
            AFTER UPDATE ON client_state
            FOR EACH ROW
            BEGIN
              UPDATE client_state
                SET updated_at = CURRENT_TIMESTAMP
              WHERE user_id = OLD.user_id AND key = OLD.key;
            END;
CREATE TABLE app_settings (
                key TEXT NOT NULL PRIMARY KEY,
                value TEXT NOT NULL,
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW'))
            );
CREATE TRIGGER tg_app_settings_updated_at
            AFTER UPDATE ON app_settings
            FOR EACH ROW
            BEGIN
                UPDATE app_settings SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
                WHERE key = OLD.key;
            END;
CREATE INDEX idx_workflow_library_user_id ON workflow_library(user_id);
CREATE INDEX idx_workflow_library_is_public ON workflow_library(is_public);
CREATE INDEX idx_boards_board_visibility ON boards(board_visibility);
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
CREATE TABLE image_subfolder_move_jobs (
                id INTEGER PRIMARY KEY,
                state TEXT NOT NULL CHECK (
                    state IN ('planned', 'moving', 'moved', 'committed', 'error')
                ),
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                error_message TEXT
            );
CREATE TABLE image_subfolder_move_items (
                job_id INTEGER NOT NULL REFERENCES image_subfolder_move_jobs(id),
                image_name TEXT NOT NULL REFERENCES images(image_name),
                old_subfolder TEXT NOT NULL,
                new_subfolder TEXT NOT NULL,
                is_intermediate BOOLEAN NOT NULL DEFAULT FALSE,
                old_path TEXT,
                new_path TEXT,
                old_thumbnail_path TEXT,
                new_thumbnail_path TEXT,
                state TEXT NOT NULL CHECK (
                    state IN ('planned', 'moved', 'committed', 'error')
                ),
                error_message TEXT,
                PRIMARY KEY (job_id, image_name)
            );
CREATE INDEX idx_image_subfolder_move_items_job_state
            ON image_subfolder_move_items(job_id, state);
CREATE INDEX idx_image_subfolder_move_items_image_name
            ON image_subfolder_move_items(image_name);
CREATE TRIGGER tg_image_subfolder_move_jobs_updated_at
            AFTER UPDATE
            ON image_subfolder_move_jobs FOR EACH ROW
            BEGIN
                UPDATE image_subfolder_move_jobs
                SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
                WHERE id = old.id;
            END;
CREATE TABLE videos (
                video_name TEXT NOT NULL PRIMARY KEY,
                video_origin TEXT NOT NULL,
                video_category TEXT NOT NULL,
                width INTEGER NOT NULL,
                height INTEGER NOT NULL,
                duration REAL NOT NULL DEFAULT 0.0,
                fps REAL,
                session_id TEXT,
                node_id TEXT,
                metadata TEXT,
                is_intermediate BOOLEAN DEFAULT FALSE,
                starred BOOLEAN DEFAULT FALSE,
                has_workflow BOOLEAN DEFAULT FALSE,
                -- Deliberately no FK to users(user_id), matching images/boards/workflows
                -- (migration_27 adds those user_id columns with an index only): deleting a
                -- user leaves their media in place for admin review/cleanup rather than
                -- cascading a row delete that would strand the files on disk.
                user_id TEXT NOT NULL DEFAULT 'system',
                video_subfolder TEXT NOT NULL DEFAULT '',
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                -- Updated via trigger
                updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                -- Soft delete, currently unused
                deleted_at DATETIME
            );
CREATE UNIQUE INDEX idx_videos_video_name ON videos(video_name);
CREATE INDEX idx_videos_video_origin ON videos(video_origin);
CREATE INDEX idx_videos_video_category ON videos(video_category);
CREATE INDEX idx_videos_created_at ON videos(created_at);
CREATE INDEX idx_videos_starred ON videos(starred);
CREATE INDEX idx_videos_user_id ON videos(user_id);
CREATE TRIGGER tg_videos_updated_at
            AFTER UPDATE
            ON videos FOR EACH ROW
            BEGIN
                UPDATE videos SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
                    WHERE video_name = old.video_name;
            END;
CREATE TABLE board_videos (
                board_id TEXT NOT NULL,
                video_name TEXT NOT NULL,
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                -- updated via trigger
                updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                -- Soft delete, currently unused
                deleted_at DATETIME,
                -- enforce one-to-many board↔video using PK on video_name
                PRIMARY KEY (video_name),
                FOREIGN KEY (board_id) REFERENCES boards (board_id) ON DELETE CASCADE,
                FOREIGN KEY (video_name) REFERENCES videos (video_name) ON DELETE CASCADE
            );
CREATE INDEX idx_board_videos_board_id ON board_videos (board_id);
CREATE INDEX idx_board_videos_board_id_created_at ON board_videos (board_id, created_at);
CREATE TRIGGER tg_board_videos_updated_at
            AFTER UPDATE
            ON board_videos FOR EACH ROW
            BEGIN
                UPDATE board_videos SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
                    WHERE board_id = new.board_id AND video_name = old.video_name;
            END;
CREATE INDEX idx_session_queue_workflow_call_id ON session_queue(workflow_call_id);
CREATE INDEX idx_session_queue_parent_item_id ON session_queue(parent_item_id);
CREATE INDEX idx_session_queue_parent_session_id ON session_queue(parent_session_id);
CREATE INDEX idx_session_queue_root_item_id ON session_queue(root_item_id);
CREATE INDEX idx_session_queue_workflow_call_depth ON session_queue(workflow_call_depth);
CREATE INDEX idx_session_queue_round_robin_pending
            ON session_queue (status, user_id, priority DESC, item_id ASC);
CREATE INDEX idx_session_queue_user_started_at
            ON session_queue (user_id, started_at);
CREATE TABLE system_prompts (
                id TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                content TEXT NOT NULL,
                user_id TEXT NOT NULL DEFAULT 'system',
                is_public BOOLEAN NOT NULL DEFAULT FALSE,
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW'))
            );
CREATE TRIGGER tg_system_prompts_updated_at
            AFTER UPDATE
            ON system_prompts FOR EACH ROW
            BEGIN
                UPDATE system_prompts SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
                    WHERE id = old.id;
            END;
CREATE INDEX idx_system_prompts_name ON system_prompts(name);
CREATE INDEX idx_system_prompts_user_id ON system_prompts(user_id);
