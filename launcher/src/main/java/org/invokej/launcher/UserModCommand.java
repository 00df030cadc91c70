package org.invokej.launcher;

import org.invokej.core.users.PasswordPolicy;
import org.invokej.core.users.User;
import org.invokej.core.users.UserService;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Optional;

/** {@code invoke-usermod}: changes a user's name, password, role or (beyond InvokeAI) active flag. */
@Command(name = "usermod", aliases = "invoke-usermod", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Modify a user in the InvokeAI database. Without --email it asks what to change.")
final class UserModCommand extends UserCommand {

    @Option(names = {"--email", "-e"}, paramLabel = "EMAIL", description = "Email of the user to modify")
    String email;

    @Option(names = {"--name", "-n"}, paramLabel = "NAME", description = "New display name")
    String name;

    @Option(names = {"--password", "-p"}, paramLabel = "PASSWORD", description = "New password")
    String password;

    @ArgGroup(exclusive = true)
    Role role;

    @ArgGroup(exclusive = true)
    Activity activity;

    static final class Role {
        @Option(names = {"--admin", "-a"}, description = "Make the user an administrator")
        boolean admin;

        @Option(names = "--no-admin", description = "Remove administrator rights")
        boolean noAdmin;
    }

    static final class Activity {
        @Option(names = "--activate", description = "Let the user log in again")
        boolean activate;

        @Option(names = "--deactivate", description = "Stop the user from logging in (ends their sessions); asks first unless --force")
        boolean deactivate;
    }

    @Option(names = {"--force", "-f", "--yes", "-y"}, description = "Deactivate without asking for confirmation")
    boolean force;

    @Override
    int run(LocalAccounts accounts, Prompter prompter) {
        if (email == null) {
            return interactive(accounts, prompter);
        }
        User user = find(accounts, email);
        Boolean makeAdmin = role == null ? null : role.admin;
        Boolean makeActive = activity == null ? null : activity.activate;
        if (name == null && password == null && makeAdmin == null && makeActive == null) {
            throw new Refusal("No changes specified. Use --name, --password, --admin, --no-admin, --activate or --deactivate");
        }
        if (password != null) {
            PasswordPolicy.strictProblem(password).ifPresent(problem -> {
                throw new Refusal(PasswordPolicy.strongRequired(problem));
            });
        }
        if (Boolean.FALSE.equals(makeActive) && user.active() && !force && !confirmDeactivation(prompter, user)) {
            err().println("Deactivation cancelled.");
            return 1;
        }
        apply(accounts, user, new UserService.UserChanges(name, password, makeAdmin, makeActive));
        return 0;
    }

    private int interactive(LocalAccounts accounts, Prompter prompter) {
        out().println("Modify an InvokeAI user");
        String address = prompter.ask("Email address: ").orElseThrow(UserAddCommand::noInput);
        User user = find(accounts, address);
        out().println("Current details:");
        print(user);
        String current = user.displayName() == null ? "" : user.displayName();
        String newName = prompter.ask("New display name [" + current + "]: ").orElseThrow(UserAddCommand::noInput);
        String newPassword = prompter.askYesNo("Change password? (y/N): ").orElse(false)
                ? UserAddCommand.askNewPassword(prompter, this) : null;
        Boolean makeAdmin = null;
        if (prompter.askYesNo("Change admin status? (y/N): ").orElse(false)) {
            makeAdmin = prompter.askYesNo("Make administrator? [current: " + (user.admin() ? "Yes" : "No") + "] (y/N): ").orElse(false);
        }
        Boolean makeActive = null;
        if (prompter.askYesNo("Change active status? (y/N): ").orElse(false)) {
            makeActive = prompter.askYesNo("Active? [current: " + (user.active() ? "Yes" : "No") + "] (y/N): ").orElse(false);
        }
        UserService.UserChanges changes = new UserService.UserChanges(newName.isEmpty() || newName.equals(current) ? null : newName,
                newPassword, makeAdmin == null || makeAdmin == user.admin() ? null : makeAdmin,
                makeActive == null || makeActive == user.active() ? null : makeActive);
        if (changes.equals(new UserService.UserChanges(null, null, null, null))) {
            out().println("No changes requested. User not modified.");
            return 0;
        }
        apply(accounts, user, changes);
        return 0;
    }

    private boolean confirmDeactivation(Prompter prompter, User user) {
        out().println("About to deactivate (they are signed out everywhere and cannot sign in until reactivated):");
        print(user);
        return prompter.askYesNo("Deactivate this user? (yes/no): ")
                .orElseThrow(() -> new Refusal("Nobody answered the confirmation (no terminal, or end of input); nothing was changed. "
                        + "Use --force to deactivate without asking."));
    }

    private void apply(LocalAccounts accounts, User user, UserService.UserChanges changes) {
        User updated = accounts.users().update(actor(), user.userId(), changes, null);
        out().println("✅ User updated successfully");
        print(updated);
        if (changes.password() != null || changes.admin() != null || changes.active() != null) {
            out().println(SERVER_NOTE);
        }
    }

    static User find(LocalAccounts accounts, String email) {
        Optional<User> user = accounts.users().findByEmail(email);
        return user.orElseThrow(() -> new Refusal("No user found with email '" + email + "'"));
    }
}
