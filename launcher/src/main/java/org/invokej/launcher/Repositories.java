package org.invokej.launcher;

import org.invokej.core.audit.AuditLog;
import org.invokej.core.auth.ApiKeyRepository;
import org.invokej.core.auth.RevokedTokens;
import org.invokej.core.content.BoardRepository;
import org.invokej.core.content.ImageRepository;
import org.invokej.core.content.WorkflowRepository;
import org.invokej.core.models.ModelRecords;
import org.invokej.core.models.OnnxExportLinks;
import org.invokej.core.events.EventOutbox;
import org.invokej.core.queue.QueueClaims;
import org.invokej.core.queue.QueueRepository;
import org.invokej.core.store.Transactions;
import org.invokej.core.users.UserRepository;
import org.invokej.persistence.Database;
import org.invokej.persistence.SqlApiKeyRepository;
import org.invokej.persistence.SqlAppSettings;
import org.invokej.persistence.SqlAuditLog;
import org.invokej.persistence.SqlBoardRepository;
import org.invokej.persistence.SqlImageRepository;
import org.invokej.persistence.SqlModelRecords;
import org.invokej.persistence.SqlOnnxExportLinks;
import org.invokej.persistence.SqlEventOutbox;
import org.invokej.persistence.SqlQueueClaims;
import org.invokej.persistence.SqlQueueRepository;
import org.invokej.persistence.SqlRevokedTokens;
import org.invokej.persistence.SqlTransactions;
import org.invokej.persistence.SqlUserRepository;
import org.invokej.persistence.SqlWorkflowRepository;

/**
 * Every repository of one database, built once and handed to the parts that need them, so the server
 * and the commands read and write the same tables through the same objects.
 */
record Repositories(Transactions transactions, UserRepository users, AuditLog auditLog, RevokedTokens revokedTokens,
                    SqlAppSettings appSettings, BoardRepository boards, ImageRepository images,
                    WorkflowRepository workflows, QueueRepository queue, ModelRecords models,
                    OnnxExportLinks modelExports, ApiKeyRepository apiKeys, QueueClaims claims, EventOutbox outbox) {

    static Repositories of(Database database) {
        return new Repositories(new SqlTransactions(database), new SqlUserRepository(), new SqlAuditLog(),
                new SqlRevokedTokens(), new SqlAppSettings(), new SqlBoardRepository(), new SqlImageRepository(),
                new SqlWorkflowRepository(), new SqlQueueRepository(), new SqlModelRecords(), new SqlOnnxExportLinks(),
                new SqlApiKeyRepository(), new SqlQueueClaims(), new SqlEventOutbox());
    }
}
