package org.invokej.http.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.invokej.core.content.Workflow;
import org.invokej.core.content.WorkflowRepository;
import org.invokej.core.store.Tx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code workflow_library} in memory. Name, description, category and tags are read from the document,
 * as the table's generated columns do.
 */
public final class MemoryWorkflows implements WorkflowRepository {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final MemoryStore.Table<String, Workflow> workflows;
    private final Clock clock;

    public MemoryWorkflows(MemoryStore store, Clock clock) {
        this.workflows = store.table();
        this.clock = clock;
    }

    @Override
    public void insert(Tx tx, String workflowId, String document, String ownerId, boolean isPublic) {
        Instant now = clock.instant();
        workflows.rows().put(workflowId, row(workflowId, document, ownerId, isPublic, now, now, null));
    }

    @Override
    public Optional<Workflow> find(Tx tx, String workflowId) {
        return Optional.ofNullable(workflows.rows().get(workflowId));
    }

    @Override
    public void update(Tx tx, String workflowId, String document, boolean isPublic) {
        find(tx, workflowId).ifPresent(old -> workflows.rows().put(workflowId,
                row(workflowId, document, old.ownerId(), isPublic, old.createdAt(), clock.instant(), old.openedAt())));
    }

    @Override
    public void setOpenedAt(Tx tx, String workflowId, Instant at) {
        find(tx, workflowId).ifPresent(old -> workflows.rows().put(workflowId,
                row(workflowId, old.document(), old.ownerId(), old.isPublic(), old.createdAt(), old.updatedAt(), at)));
    }

    @Override
    public void delete(Tx tx, String workflowId) {
        workflows.rows().remove(workflowId);
    }

    @Override
    public List<Workflow> list(Tx tx, Query query, Order order, boolean ascending, int offset, Integer limit) {
        Function<Workflow, Comparable<?>> column = switch (order) {
            case NAME -> workflow -> workflow.name() == null ? "" : workflow.name().toLowerCase(java.util.Locale.ROOT);
            case CREATED_AT -> Workflow::createdAt;
            case UPDATED_AT -> Workflow::updatedAt;
            case OPENED_AT -> workflow -> workflow.openedAt() == null ? Instant.MIN : workflow.openedAt();
            case IS_PUBLIC -> Workflow::isPublic;
        };
        @SuppressWarnings("unchecked")
        Comparator<Workflow> sort = Comparator.comparing(workflow -> (Comparable<Object>) column.apply(workflow));
        sort = sort.thenComparing(Workflow::workflowId);
        return matching(query).sorted(ascending ? sort : sort.reversed())
                .skip(offset).limit(limit == null ? Long.MAX_VALUE : limit).toList();
    }

    @Override
    public long count(Tx tx, Query query) {
        return matching(query).count();
    }

    @Override
    public List<String> tags(Tx tx, Query query) {
        return matching(query).map(Workflow::tags).toList();
    }

    @Override
    public Map<String, Long> countByCategory(Tx tx, Query query) {
        return matching(query).collect(Collectors.groupingBy(Workflow::category, LinkedHashMap::new, Collectors.counting()));
    }

    @Override
    public int reassign(Tx tx, String fromUserId, String toUserId) {
        List<Workflow> owned = workflows.rows().values().stream().filter(workflow -> workflow.ownerId().equals(fromUserId)).toList();
        owned.forEach(old -> workflows.rows().put(old.workflowId(), row(old.workflowId(), old.document(), toUserId, old.isPublic(),
                old.createdAt(), old.updatedAt(), old.openedAt())));
        return owned.size();
    }

    private Stream<Workflow> matching(Query query) {
        return workflows.rows().values().stream()
                .filter(workflow -> query.categories().isEmpty() || query.categories().contains(workflow.category()))
                .filter(workflow -> query.tags().isEmpty() || query.tags().stream().anyMatch(tag -> contains(workflow.tags(), tag)))
                .filter(workflow -> query.text() == null || query.text().isBlank() || contains(workflow.name(), query.text())
                        || contains(workflow.description(), query.text()) || contains(workflow.tags(), query.text()))
                .filter(workflow -> query.hasBeenOpened() == null || query.hasBeenOpened() == (workflow.openedAt() != null))
                .filter(workflow -> query.isPublic() == null || query.isPublic() == workflow.isPublic())
                .filter(workflow -> query.owner().map(owner -> owner.equals(workflow.ownerId()) || workflow.isDefault()).orElse(true));
    }

    /** SQLite's LIKE: case-insensitive for ASCII. */
    private static boolean contains(String text, String part) {
        return text != null && text.toLowerCase(java.util.Locale.ROOT).contains(part.toLowerCase(java.util.Locale.ROOT));
    }

    private static Workflow row(String id, String document, String ownerId, boolean isPublic, Instant created, Instant updated,
                                Instant opened) {
        JsonNode json;
        try {
            json = MAPPER.readTree(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Workflow(id, document, text(json.path("name")), text(json.path("description")), text(json.path("meta").path("category")),
                text(json.path("tags")), ownerId, isPublic, created, updated, opened);
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }
}
