package org.invokej.core.models;

import java.util.List;

/**
 * What a model manager action over several models did: the keys it was done to, and for each other key
 * why not. Each model is its own action, so one failure leaves the others done.
 */
public record BulkOutcome(List<String> done, List<Failure> failed) {

    /** A key the action failed for, with the reason a person reads. */
    public record Failure(String key, String error) {
    }

    public BulkOutcome {
        done = List.copyOf(done);
        failed = List.copyOf(failed);
    }
}
