package org.invokej.launcher;

import org.invokej.core.audit.Auditor;
import org.invokej.core.store.Transactions;
import org.invokej.core.users.BcryptPasswordHasher;
import org.invokej.core.users.UserAccessListener;
import org.invokej.core.users.UserRepository;
import org.invokej.core.users.UserService;
import org.invokej.persistence.SqlAuditLog;
import org.invokej.persistence.SqlUserRepository;

import java.time.Clock;

/**
 * The account services of a root, assembled the same way for the server and for the command line, so
 * both apply the same rules to the same tables. The command line always checks passwords strictly.
 */
record AccountServices(UserRepository userRepository, SqlAuditLog auditLog, Auditor auditor,
                       BcryptPasswordHasher hasher, UserService users) implements AutoCloseable {

    static AccountServices assemble(Transactions transactions, InvokeConfig config, Clock clock,
                                    UserAccessListener accessListener, boolean strictPasswords) {
        UserRepository userRepository = new SqlUserRepository();
        SqlAuditLog auditLog = new SqlAuditLog();
        Auditor auditor = new Auditor(auditLog, clock);
        int threads = config.bcryptThreads() > 0 ? config.bcryptThreads() : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        BcryptPasswordHasher hasher = new BcryptPasswordHasher(config.bcryptCost(), threads);
        UserService users = new UserService(transactions, userRepository, hasher, auditor, accessListener,
                new UserService.Settings(config.multiuser(), strictPasswords));
        return new AccountServices(userRepository, auditLog, auditor, hasher, users);
    }

    @Override
    public void close() {
        hasher.close();
    }
}
