package org.invokej.core.content;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.events.Audience;
import org.invokej.core.events.EventPayload;
import org.invokej.core.events.EventSink;
import org.invokej.core.events.ServerEvent;
import org.invokej.core.store.Transactions;
import org.invokej.core.store.Tx;

import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The workflow library: each user's workflows, private until published ({@code is_public}), with the
 * rules of {@link ContentAccess}. Workflows made in single-user mode are public, so that they stay
 * readable by everyone after a switch to multi-user mode.
 */
public final class WorkflowService {

    /** A listing's filters as the API gives them. */
    public record Filter(Set<String> categories, List<String> tags, String text, Boolean hasBeenOpened, Boolean isPublic) {
    }

    /** InvokeAI's {@code PaginatedResults}. */
    public record Page(int page, int pages, int perPage, long total, List<Workflow> items) {
    }

    private final Transactions transactions;
    private final WorkflowRepository workflows;
    private final Clock clock;
    private final boolean multiuser;
    private final EventSink events;

    public WorkflowService(Transactions transactions, WorkflowRepository workflows, Clock clock, boolean multiuser) {
        this(transactions, workflows, clock, multiuser, EventSink.NONE);
    }

    /**
     * @param events where InvokeAI's {@code workflow_created/updated/deleted/access_revoked} go: to the
     *               owner and administrators, and to everyone when the workflow is (or was) public
     */
    public WorkflowService(Transactions transactions, WorkflowRepository workflows, Clock clock, boolean multiuser,
                           EventSink events) {
        this.transactions = transactions;
        this.workflows = workflows;
        this.clock = clock;
        this.multiuser = multiuser;
        this.events = events;
    }

    /** Saves a new workflow owned by the caller (a new id, whatever the document says). */
    public Workflow create(Actor actor, WorkflowDocument document) {
        refuseDefault(document);
        String id = UUID.randomUUID().toString();
        String json = document.withId(id).json();
        Workflow created = transactions.write(tx -> {
            workflows.insert(tx, id, json, actor.userId(), !multiuser);
            return workflows.find(tx, id).orElseThrow();
        });
        publish("workflow_created", created, created.isPublic(), new WorkflowEvents.Changed(created.workflowId(), created.ownerId(),
                created.isPublic()));
        return created;
    }

    public Workflow get(Actor actor, String workflowId) {
        return transactions.read(tx -> {
            Workflow workflow = find(tx, workflowId);
            ContentAccess.requireRead(actor, workflow);
            return workflow;
        });
    }

    /** Replaces a workflow's document; as in InvokeAI, the document's own {@code id} says which. */
    public Workflow update(Actor actor, WorkflowDocument document) {
        String id = document.id().orElseThrow(() -> DomainException.unprocessable("Invalid workflow: 'workflow.id' is required"));
        refuseDefault(document);
        Workflow updated = transactions.write(tx -> {
            Workflow workflow = writable(tx, actor, id, "update");
            workflows.update(tx, id, document.json(), workflow.isPublic());
            return workflows.find(tx, id).orElseThrow();
        });
        publishUpdate(updated, updated.isPublic());
        return updated;
    }

    public void delete(Actor actor, String workflowId) {
        Workflow deleted = transactions.write(tx -> {
            Workflow workflow = writable(tx, actor, workflowId, "delete");
            workflows.delete(tx, workflowId);
            return workflow;
        });
        publish("workflow_deleted", deleted, deleted.isPublic(), new WorkflowEvents.Changed(deleted.workflowId(), deleted.ownerId(),
                deleted.isPublic()));
    }

    /** Publishes or unpublishes a workflow, adding or removing its {@code shared} tag. */
    public Workflow setPublic(Actor actor, String workflowId, boolean isPublic) {
        boolean[] wasPublic = new boolean[1];
        Workflow changed = transactions.write(tx -> {
            Workflow workflow = writable(tx, actor, workflowId, "update");
            wasPublic[0] = workflow.isPublic();
            String json = WorkflowDocument.parse(workflow.document()).withSharedTag(isPublic).json();
            workflows.update(tx, workflowId, json, isPublic);
            return workflows.find(tx, workflowId).orElseThrow();
        });
        publishUpdate(changed, wasPublic[0]);
        return changed;
    }

    /**
     * {@code workflow_updated} to the owner and administrators, and to everyone while it is public; when
     * it stops being public, everyone else learns with {@code workflow_access_revoked} (which the UI's
     * owner and administrators ignore).
     */
    private void publishUpdate(Workflow workflow, boolean wasPublic) {
        publish("workflow_updated", workflow, workflow.isPublic(), new WorkflowEvents.Updated(workflow.workflowId(),
                workflow.ownerId(), wasPublic, workflow.isPublic()));
        if (wasPublic && !workflow.isPublic()) {
            publish("workflow_access_revoked", workflow, true, new WorkflowEvents.AccessRevoked(workflow.workflowId(),
                    workflow.ownerId()));
        }
    }

    private void publish(String event, Workflow workflow, boolean toEveryone, EventPayload payload) {
        events.publish(new ServerEvent(event, payload,
                toEveryone ? new Audience.Everyone() : new Audience.UserAndAdmins(workflow.ownerId())));
    }

    /** Records that the caller opened their workflow now. */
    public void opened(Actor actor, String workflowId) {
        transactions.write(tx -> {
            writable(tx, actor, workflowId, "update");
            workflows.setOpenedAt(tx, workflowId, clock.instant());
            return null;
        });
    }

    /** A page ({@code perPage} null: everything on page 0) of the workflows the caller may list. */
    public Page list(Actor actor, Filter filter, WorkflowRepository.Order order, boolean ascending, int page, Integer perPage) {
        WorkflowRepository.Query query = query(actor, filter);
        return transactions.read(tx -> {
            long total = workflows.count(tx, query);
            List<Workflow> items = workflows.list(tx, query, order, ascending,
                    perPage == null ? 0 : page * perPage, perPage);
            int size = perPage == null ? (int) total : perPage;
            int pages = perPage == null ? 1 : (int) ((total + perPage - 1) / Math.max(1, perPage));
            return new Page(page, pages, size, total, items);
        });
    }

    /** The distinct tags of the workflows the caller may list, sorted. */
    public List<String> tags(Actor actor, Filter filter) {
        return transactions.read(tx -> {
            Set<String> tags = new TreeSet<>();
            workflows.tags(tx, query(actor, filter)).forEach(text -> split(text).forEach(tags::add));
            return List.copyOf(tags);
        });
    }

    /** For each of {@code tags}, how many listed workflows carry it. */
    public Map<String, Long> countsByTag(Actor actor, List<String> tags, Filter filter) {
        return transactions.read(tx -> {
            List<List<String>> tagLists = workflows.tags(tx, query(actor, filter)).stream().map(WorkflowService::split).toList();
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String tag : tags) {
                counts.put(tag, tagLists.stream().filter(list -> list.contains(tag)).count());
            }
            return counts;
        });
    }

    /** For each of the filter's categories, how many listed workflows it has. */
    public Map<String, Long> countsByCategory(Actor actor, Filter filter) {
        return transactions.read(tx -> {
            Map<String, Long> found = workflows.countByCategory(tx, query(actor, filter));
            Map<String, Long> counts = new LinkedHashMap<>();
            filter.categories().forEach(category -> counts.put(category, found.getOrDefault(category, 0L)));
            return counts;
        });
    }

    private static WorkflowRepository.Query query(Actor actor, Filter filter) {
        return new WorkflowRepository.Query(filter.categories(), filter.tags(), filter.text(), filter.hasBeenOpened(),
                filter.isPublic(), ContentAccess.workflowOwner(actor, filter.categories(), filter.isPublic()));
    }

    private static List<String> split(String tags) {
        return tags == null ? List.of() : Arrays.stream(tags.split(",")).map(String::strip).filter(tag -> !tag.isEmpty()).toList();
    }

    private Workflow find(Tx tx, String workflowId) {
        return workflows.find(tx, workflowId).orElseThrow(() -> DomainException.notFound("Workflow not found"));
    }

    private Workflow writable(Tx tx, Actor actor, String workflowId, String verb) {
        Workflow workflow = find(tx, workflowId);
        ContentAccess.requireWrite(actor, workflow, verb);
        if (workflow.isDefault()) {
            throw DomainException.invalid("Default workflows cannot be changed or deleted");
        }
        return workflow;
    }

    private static void refuseDefault(WorkflowDocument document) {
        if (Workflow.DEFAULT_CATEGORY.equals(document.category())) {
            throw DomainException.invalid("Workflows of the default category cannot be created or changed");
        }
    }
}
