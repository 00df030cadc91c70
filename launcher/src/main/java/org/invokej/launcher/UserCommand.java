package org.invokej.launcher;

import org.invokej.core.Actor;
import org.invokej.core.users.User;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * What the user-management commands share: {@code --root}, opening the root's accounts, asking
 * questions, printing a user, and who the audit log names as the actor.
 */
abstract class UserCommand implements Callable<Integer> {

    static final String ROOT_HELP = "Path to the InvokeAI root directory. If omitted, the root is resolved in this order: "
            + "the $INVOKEAI_ROOT environment variable, the active virtual environment's parent directory, or $HOME/invokeai.";
    static final String SERVER_NOTE = "ℹ️  A running server applies this to the next request of that user at once.";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"--root", "-r"}, paramLabel = "ROOT", description = ROOT_HELP)
    String root;

    @Override
    public final Integer call() {
        ConsoleLogging.configure("error");
        try (LocalAccounts accounts = LocalAccounts.open(Optional.ofNullable(root), note -> out().println("ℹ️  " + note), createsRoot())) {
            return run(accounts, new Prompter(out()));
        }
    }

    /** Whether a missing root is made (adding a user to a new root); the others refuse a missing root. */
    boolean createsRoot() {
        return false;
    }

    /** Does the command's work; returns the exit status. Refusals are thrown as exceptions (exit 1, one line). */
    abstract int run(LocalAccounts accounts, Prompter prompter);

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The actor the audit log records for this command. */
    Actor actor() {
        return LocalRoot.commandLineActor(spec.name());
    }

    void print(User user) {
        PrintWriter out = out();
        out.println("   User ID:      " + user.userId());
        out.println("   Email:        " + user.email());
        out.println("   Display name: " + (user.displayName() == null || user.displayName().isEmpty() ? "(not set)" : user.displayName()));
        out.println("   Admin:        " + (user.admin() ? "Yes" : "No"));
        out.println("   Active:       " + (user.active() ? "Yes" : "No"));
    }

    /** A refusal the person can act on: printed as one "Error: …" line, exit status 1. */
    static final class Refusal extends RuntimeException {
        Refusal(String message) {
            super(message);
        }
    }
}
