package org.invokej.launcher;

import org.invokej.core.audit.AuditLog;
import org.invokej.core.audit.Auditor;
import org.invokej.core.auth.ApiKeys;
import org.invokej.core.content.ContentTransfer;
import org.invokej.core.users.BcryptPasswordHasher;
import org.invokej.core.users.UserAccessListener;
import org.invokej.core.users.UserRepository;
import org.invokej.core.users.UserService;

import java.time.Clock;

/**
 * The account services of a root, assembled the same way for the server and for the command line, so
 * both apply the same rules to the same tables. The command line always checks passwords strictly.
 */
record AccountServices(UserRepository userRepository, AuditLog auditLog, Auditor auditor,
                       BcryptPasswordHasher hasher, ContentTransfer transfers, UserService users, ApiKeys apiKeys) implements AutoCloseable {

    static AccountServices assemble(Repositories repositories, InvokeConfig config, Clock clock,
                                    UserAccessListener accessListener, boolean strictPasswords) {
        Auditor auditor = new Auditor(repositories.auditLog(), clock);
        int threads = config.bcryptThreads() > 0 ? config.bcryptThreads() : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        BcryptPasswordHasher hasher = new BcryptPasswordHasher(config.bcryptCost(), threads);
        // Deleting a user may first hand their boards, images and workflows to another (same transaction).
        ContentTransfer transfers = new ContentTransfer(repositories.transactions(), repositories.boards(), repositories.images(),
                repositories.workflows(), repositories.users(), auditor);
        UserService users = new UserService(repositories.transactions(), repositories.users(), hasher, auditor, accessListener,
                new UserService.Settings(config.multiuser(), strictPasswords), transfers);
        ApiKeys apiKeys = new ApiKeys(repositories.transactions(), repositories.apiKeys(), repositories.users(), auditor, clock);
        return new AccountServices(repositories.users(), repositories.auditLog(), auditor, hasher, transfers, users, apiKeys);
    }

    @Override
    public void close() {
        hasher.close();
    }
}
