package org.invokej.http.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.invokej.core.content.Workflow;
import org.invokej.http.ApiTimes;

import java.io.UncheckedIOException;

/** InvokeAI's workflow record DTOs. No call-compatibility checks here: that field is null. */
final class WorkflowDtos {

    private WorkflowDtos() {
    }

    /** {@code WorkflowRecordDTO} (create, update, is_public) and, with the null extras, {@code WorkflowRecordWithThumbnailDTO} (get). */
    record Record(String workflowId, String name, String createdAt, String updatedAt, String openedAt, String userId,
                  boolean isPublic, JsonNode workflow, String thumbnailUrl, Object callSavedWorkflowCompatibility) {

        static Record of(Workflow workflow, ObjectMapper mapper, String thumbnailUrl) {
            try {
                return new Record(workflow.workflowId(), workflow.name(), ApiTimes.sqlite(workflow.createdAt()),
                        ApiTimes.sqlite(workflow.updatedAt()), ApiTimes.sqlite(workflow.openedAt()), workflow.ownerId(),
                        workflow.isPublic(), mapper.readTree(workflow.document()), thumbnailUrl, null);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** {@code WorkflowRecordListItemWithThumbnailDTO}: no workflow body. */
    record ListItem(String workflowId, String name, String createdAt, String updatedAt, String openedAt, String userId,
                    boolean isPublic, String description, String category, String tags, String thumbnailUrl,
                    Object callSavedWorkflowCompatibility) {

        static ListItem of(Workflow workflow, String thumbnailUrl) {
            return new ListItem(workflow.workflowId(), workflow.name(), ApiTimes.sqlite(workflow.createdAt()),
                    ApiTimes.sqlite(workflow.updatedAt()), ApiTimes.sqlite(workflow.openedAt()), workflow.ownerId(),
                    workflow.isPublic(), workflow.description(), workflow.category(), workflow.tags(), thumbnailUrl, null);
        }
    }
}
