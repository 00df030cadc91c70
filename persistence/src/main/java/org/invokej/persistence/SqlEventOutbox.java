package org.invokej.persistence;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
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
 * every write transaction that inserts here takes the database's write-order lock first (claims and
 * lease renewals skip that lock, and write no rows here), so a reader that saw row N never misses a
 * row below N committed later.
 */
public final class SqlEventOutbox implements EventOutbox {

    /** The PostgreSQL notification channel of new outbox rows. */
    public static final String CHANNEL = "invokej_outbox";
    static final String ACCESS_CHANGED = "user_access_changed";
    private static final String WEB_NODES = "web_nodes";

    @Override
    public long append(Tx tx, ServerEvent event, String origin, Instant now) {
        return insert(tx, event.name(), text(event.payload()), StoredAudience.of(event.audience()), origin, now);
    }

    @Override
    public long appendAccessChange(Tx tx, String userId, String origin, Instant now) {
        return insert(tx, ACCESS_CHANGED, JsonText.write(Map.of("user_id", userId)), StoredAudience.kind(WEB_NODES), origin, now);
    }

    private static long insert(Tx tx, String name, String payload, StoredAudience audience, String origin, Instant now) {
        long id = SqlTx.of(tx).get("INSERT INTO queue_event_outbox (created_at, name, payload, audience, origin) VALUES (?, ?, ?, ?, ?) "
                + "RETURNING event_id", now.toEpochMilli(), name, payload, JsonText.write(audience), origin)
                .map(row -> Columns.longOf(row, "event_id")).orElseThrow();
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
        StoredAudience audience = JsonText.read(Columns.textOf(row, "audience"), StoredAudience.class);
        if (WEB_NODES.equals(audience.type())) {
            return new AccessChanged(id, (String) JsonText.map(Columns.textOf(row, "payload")).get("user_id"));
        }
        return new Stored(id, new ServerEvent(Columns.textOf(row, "name"), payload(Columns.textOf(row, "payload")), audience.audience()));
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

    /**
     * An {@link Audience} as the outbox's {@code audience} column holds it: the kind, and the fields
     * that kind has (the others null), payloads as the JSON text the publisher wrote.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StoredAudience(String type, @JsonProperty("user_id") String userId, @JsonProperty("queue_id") String queueId,
                          @JsonProperty("owner_id") String ownerId, @JsonProperty("owner_payloads") Map<String, String> ownerPayloads,
                          @JsonProperty("others_payload") String othersPayload) {

        static StoredAudience of(Audience audience) {
            return switch (audience) {
                case Audience.Admins admins -> kind("admins");
                case Audience.User user -> new StoredAudience("user", user.userId(), null, null, null, null);
                case Audience.UserAndAdmins user -> new StoredAudience("user_and_admins", user.userId(), null, null, null, null);
                case Audience.QueueItem item -> new StoredAudience("queue_item", null, item.queueId(), item.ownerId(), null,
                        text(item.othersPayload()));
                case Audience.QueueByOwner byOwner -> {
                    Map<String, String> owners = new LinkedHashMap<>();
                    byOwner.ownerPayloads().forEach((owner, payload) -> owners.put(owner, text(payload)));
                    yield new StoredAudience("queue_by_owner", null, byOwner.queueId(), null, owners, text(byOwner.othersPayload()));
                }
                case Audience.QueueRoom room -> new StoredAudience("queue_room", null, room.queueId(), null, null, null);
                case Audience.Everyone everyone -> kind("everyone");
            };
        }

        private static StoredAudience kind(String type) {
            return new StoredAudience(type, null, null, null, null, null);
        }

        Audience audience() {
            return switch (type) {
                case "admins" -> new Audience.Admins();
                case "user" -> new Audience.User(userId);
                case "user_and_admins" -> new Audience.UserAndAdmins(userId);
                case "queue_item" -> new Audience.QueueItem(queueId, ownerId, payload(othersPayload));
                case "queue_by_owner" -> {
                    Map<String, EventPayload> owners = new LinkedHashMap<>();
                    ownerPayloads.forEach((owner, text) -> owners.put(owner, payload(text)));
                    yield new Audience.QueueByOwner(queueId, owners, payload(othersPayload));
                }
                case "queue_room" -> new Audience.QueueRoom(queueId);
                case "everyone" -> new Audience.Everyone();
                default -> throw new IllegalStateException("Unknown event audience '" + type + "' in queue_event_outbox");
            };
        }
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

}
