package org.invokej.launcher;

import org.invokej.core.DomainException;
import org.invokej.http.ApiServer;
import org.invokej.persistence.BackupException;
import org.invokej.persistence.DatabaseUnusableException;
import org.invokej.persistence.MigrationException;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Turns what made a command fail into the one line a person reads. */
final class CommandFailures {

    private static final Logger LOG = Logger.getLogger(CommandFailures.class.getName());

    private CommandFailures() {
    }

    static String message(Throwable e) {
        if (e instanceof ConfigException || e instanceof MigrationException || e instanceof DomainException
                || e instanceof UserCommand.Refusal
                || e instanceof DatabaseUnusableException || e instanceof ApiServer.CannotListen || e instanceof BackupException) {
            return e.getMessage();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message)
                + " (run with --log-level debug for details)";
    }

    /** The stack trace goes to the debug log only: a person sees one line. */
    static void logDetails(Throwable e) {
        LOG.log(Level.FINE, "Command failed", e);
    }
}
