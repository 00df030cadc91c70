package org.invokej.core.content;

import org.invokej.core.store.Tx;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@code workflow_library} table. */
public interface WorkflowRepository {

    /**
     * A workflow listing's filters. {@code owner}, when present, limits it to that user's workflows and
     * the default ones (see {@link ContentAccess#workflowOwner}).
     */
    record Query(Set<String> categories, List<String> tags, String text, Boolean hasBeenOpened, Boolean isPublic,
                 Optional<String> owner) {
    }

    /** A workflow listing's order. */
    enum Order { NAME, CREATED_AT, UPDATED_AT, OPENED_AT, IS_PUBLIC }

    void insert(Tx tx, String workflowId, String document, String ownerId, boolean isPublic);

    Optional<Workflow> find(Tx tx, String workflowId);

    void update(Tx tx, String workflowId, String document, boolean isPublic);

    void setOpenedAt(Tx tx, String workflowId, Instant at);

    void delete(Tx tx, String workflowId);

    /** A page of a listing ({@code limit} null: all) and the number matching in all. */
    List<Workflow> list(Tx tx, Query query, Order order, boolean ascending, int offset, Integer limit);

    long count(Tx tx, Query query);

    /** The tags strings of the workflows matching. */
    List<String> tags(Tx tx, Query query);

    /** How many workflows of each category match. */
    Map<String, Long> countByCategory(Tx tx, Query query);

    /** Gives every workflow of {@code fromUserId} to {@code toUserId}; returns how many. */
    int reassign(Tx tx, String fromUserId, String toUserId);
}
