package org.invokej.persistence;

import io.helidon.dbclient.DbRow;
import org.invokej.core.events.Audience;
import org.invokej.core.events.EventOutbox;
import org.invokej.core.events.EventPayload;
import org.invokej.core.events.ServerEvent;
import org.invokej.core.events.WrittenPayload;
import org.invokej.core.store.Tx;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code queue_event_outbox}: each event whole — its payloads as the JSON the publisher wrote
 * ({@link WrittenPayload}), its audience as JSON with a {@code type} naming the {@link Audience} kind —
 * so that a web node delivers it with the same rooms and the same redacted copies as the process that
 * published it. An access change is a row for the web nodes themselves: named {@value #ACCESS_CHANGED},
 * its payload {@code {"user_id": …}}, its audience {@code {"type": "web_nodes"}}.
 *
 * <p>On PostgreSQL every row also sends {@code NOTIFY} {@value #CHANNEL} with the row's id (delivered at
 * commit), which wakes the web nodes' relays ({@link OutboxNotifications}). Ids follow commit order:
 * every write transaction takes the database's write-order lock before it inserts, so a reader that
 * saw row N never misses a row below N committed later.
 */
public final class SqlEventOutbox implements EventOutbox {

    /** The PostgreSQL notification channel of new outbox rows. */
    public static final String CHANNEL = "invokej_outbox";
    static final String ACCESS_CHANGED = "user_access_changed";
    private static final String WEB_NODES = "web_nodes";

    @Override
    public long append(Tx tx, ServerEvent event, String origin, Instant now) {
        return insert(tx, event.name(), text(event.payload()), JsonText.write(audience(event.audience())), origin, now);
    }

    @Override
    public long appendAccessChange(Tx tx, String userId, String origin, Instant now) {
        return insert(tx, ACCESS_CHANGED, JsonText.write(Map.of("user_id", userId)), JsonText.write(Map.of("type", WEB_NODES)), origin, now);
    }

    private static long insert(Tx tx, String name, String payload, String audience, String origin, Instant now) {
        long id = SqlTx.of(tx).get("INSERT INTO queue_event_outbox (created_at, name, payload, audience, origin) VALUES (?, ?, ?, ?, ?) "
                + "RETURNING event_id", now.toEpochMilli(), name, payload, audience, origin).map(row -> Columns.longOf(row, "event_id"))
                .orElseThrow();
        if (SqlTx.dialectOf(tx) == SqlDialect.POSTGRESQL) {
            // NOTIFY takes no parameters; the id is a number. Small on purpose: the row carries the event.
            SqlTx.of(tx).dml("NOTIFY " + CHANNEL + ", '" + id + "'");
        }
        return id;
    }

    @Override
    public List<Entry> entriesAfter(Tx tx, long eventId, int limit, String skipOrigin) {
        String sql = "SELECT event_id, name, payload, audience FROM queue_event_outbox WHERE event_id > ?"
                + (skipOrigin == null ? "" : " AND (origin IS NULL OR origin <> ?)") + " ORDER BY event_id LIMIT ?";
        Object[] parameters = skipOrigin == null ? new Object[]{eventId, limit} : new Object[]{eventId, skipOrigin, limit};
        try (Stream<DbRow> rows = SqlTx.of(tx).query(sql, parameters)) {
            return rows.map(SqlEventOutbox::entry).toList();
        }
    }

    private static Entry entry(DbRow row) {
        long id = Columns.longOf(row, "event_id");
        Map<String, Object> audience = JsonText.map(Columns.textOf(row, "audience"));
        if (WEB_NODES.equals(audience.get("type"))) {
            return new AccessChanged(id, (String) JsonText.map(Columns.textOf(row, "payload")).get("user_id"));
        }
        return new Stored(id, new ServerEvent(Columns.textOf(row, "name"), payload(Columns.textOf(row, "payload")), audience(audience)));
    }

    @Override
    public long lastId(Tx tx) {
        return SqlTx.of(tx).get("SELECT COALESCE(MAX(event_id), 0) AS id FROM queue_event_outbox").map(row -> Columns.longOf(row, "id"))
                .orElse(0L);
    }

    @Override
    public int pruneBefore(Tx tx, Instant cutoff) {
        return (int) SqlTx.of(tx).delete("DELETE FROM queue_event_outbox WHERE created_at < ?", cutoff.toEpochMilli());
    }

    static Map<String, Object> audience(Audience audience) {
        Map<String, Object> json = new LinkedHashMap<>();
        switch (audience) {
            case Audience.Admins admins -> json.put("type", "admins");
            case Audience.User user -> {
                json.put("type", "user");
                json.put("user_id", user.userId());
            }
            case Audience.UserAndAdmins user -> {
                json.put("type", "user_and_admins");
                json.put("user_id", user.userId());
            }
            case Audience.QueueItem item -> {
                json.put("type", "queue_item");
                json.put("queue_id", item.queueId());
                json.put("owner_id", item.ownerId());
                json.put("others_payload", text(item.othersPayload()));
            }
            case Audience.QueueByOwner byOwner -> {
                json.put("type", "queue_by_owner");
                json.put("queue_id", byOwner.queueId());
                Map<String, String> owners = new LinkedHashMap<>();
                byOwner.ownerPayloads().forEach((owner, payload) -> owners.put(owner, text(payload)));
                json.put("owner_payloads", owners);
                json.put("others_payload", text(byOwner.othersPayload()));
            }
            case Audience.QueueRoom room -> {
                json.put("type", "queue_room");
                json.put("queue_id", room.queueId());
            }
            case Audience.Everyone everyone -> json.put("type", "everyone");
        }
        return json;
    }

    /** The outbox stores what the publisher wrote; a payload that is still a record was never meant to cross processes. */
    private static String text(EventPayload payload) {
        return switch (payload) {
            case null -> null;
            case WrittenPayload written -> written.json();
            default -> throw new IllegalArgumentException("queue_event_outbox stores payloads written as JSON, not "
                    + payload.getClass().getSimpleName());
        };
    }

    private static WrittenPayload payload(String text) {
        return text == null ? null : new WrittenPayload(text);
    }

    @SuppressWarnings("unchecked")
    static Audience audience(Map<String, Object> json) {
        String type = (String) json.get("type");
        return switch (type) {
            case "admins" -> new Audience.Admins();
            case "user" -> new Audience.User((String) json.get("user_id"));
            case "user_and_admins" -> new Audience.UserAndAdmins((String) json.get("user_id"));
            case "queue_item" -> new Audience.QueueItem((String) json.get("queue_id"), (String) json.get("owner_id"),
                    payload((String) json.get("others_payload")));
            case "queue_by_owner" -> {
                Map<String, EventPayload> owners = new LinkedHashMap<>();
                ((Map<String, String>) json.get("owner_payloads")).forEach((owner, text) -> owners.put(owner, payload(text)));
                yield new Audience.QueueByOwner((String) json.get("queue_id"), owners, payload((String) json.get("others_payload")));
            }
            case "queue_room" -> new Audience.QueueRoom((String) json.get("queue_id"));
            case "everyone" -> new Audience.Everyone();
            default -> throw new IllegalStateException("Unknown event audience '" + type + "' in queue_event_outbox");
        };
    }
}
