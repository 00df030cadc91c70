package org.invokej.launcher;

import org.invokej.core.audit.Auditor;
import org.invokej.core.content.ContentTransfer;
import org.invokej.core.store.Transactions;
import org.invokej.core.users.BcryptPasswordHasher;
import org.invokej.core.users.UserAccessListener;
import org.invokej.core.users.UserRepository;
import org.invokej.core.users.UserService;
import org.invokej.persistence.SqlAuditLog;
import org.invokej.persistence.SqlBoardRepository;
import org.invokej.persistence.SqlImageRepository;
import org.invokej.persistence.SqlWorkflowRepository;
import org.invokej.persistence.SqlUserRepository;

import java.time.Clock;

/**
 * The account services of a root, assembled the same way for the server and for the command line, so
 * both apply the same rules to the same tables. The command line always checks passwords strictly.
 */
record AccountServices(UserRepository userRepository, SqlAuditLog auditLog, Auditor auditor,
                       BcryptPasswordHasher hasher, ContentTransfer transfers, UserService users) implements AutoCloseable {

    static AccountServices assemble(Transactions transactions, InvokeConfig config, Clock clock,
                                    UserAccessListener accessListener, boolean strictPasswords) {
        UserRepository userRepository = new SqlUserRepository();
        SqlAuditLog auditLog = new SqlAuditLog();
        Auditor auditor = new Auditor(auditLog, clock);
        int threads = config.bcryptThreads() > 0 ? config.bcryptThreads() : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        BcryptPasswordHasher hasher = new BcryptPasswordHasher(config.bcryptCost(), threads);
        // Deleting a user may first hand their boards, images and workflows to another (same transaction).
        ContentTransfer transfers = new ContentTransfer(transactions, new SqlBoardRepository(), new SqlImageRepository(),
                new SqlWorkflowRepository(), userRepository, auditor);
        UserService users = new UserService(transactions, userRepository, hasher, auditor, accessListener,
                new UserService.Settings(config.multiuser(), strictPasswords), transfers);
        return new AccountServices(userRepository, auditLog, auditor, hasher, transfers, users);
    }

    @Override
    public void close() {
        hasher.close();
    }
}
