package org.invokej.core.content;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.store.Transactions;

import java.nio.file.Path;

/**
 * The thumbnails InvokeAI's UI shows in the workflow library: set and removed by whoever may change the
 * workflow, seen by whoever may read it (InvokeAI serves them to anyone; here the workflow's rules hold).
 */
public final class WorkflowThumbnails {

    private final Transactions transactions;
    private final WorkflowRepository workflows;
    private final PreviewImages images;
    private final long maxPixels;

    public WorkflowThumbnails(Transactions transactions, WorkflowRepository workflows, PreviewImages images, long maxPixels) {
        this.transactions = transactions;
        this.workflows = workflows;
        this.images = images;
        this.maxPixels = maxPixels;
    }

    public boolean has(String workflowId) {
        return images.find(workflowId).isPresent();
    }

    /** Stores {@code image} (any readable image; 415 otherwise) shrunk to thumbnail size. */
    public void set(Actor actor, String workflowId, byte[] image) {
        ContentAccess.requireWrite(actor, find(workflowId), "update");
        images.save(workflowId, ImageCodec.thumbnail(ImageCodec.decode(image, maxPixels).pixels()));
    }

    public void delete(Actor actor, String workflowId) {
        ContentAccess.requireWrite(actor, find(workflowId), "update");
        images.delete(workflowId);
    }

    public Path get(Actor actor, String workflowId) {
        ContentAccess.requireRead(actor, find(workflowId));
        return images.find(workflowId).orElseThrow(() -> DomainException.notFound("Workflow thumbnail not found"));
    }

    private Workflow find(String workflowId) {
        return transactions.read(tx -> workflows.find(tx, workflowId))
                .orElseThrow(() -> DomainException.notFound("Workflow not found"));
    }
}
