package org.invokej.launcher;

import org.invokej.core.users.User;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code invoke-userdel}: deletes a user after asking, or at once with {@code --force}. */
@Command(name = "userdel", aliases = "invoke-userdel", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Delete a user from the InvokeAI database. Asks for confirmation unless --force is given.")
final class UserDelCommand extends UserCommand {

    @Option(names = {"--email", "-e"}, paramLabel = "EMAIL", description = "Email of the user to delete")
    String email;

    @Option(names = {"--force", "-f"}, description = "Delete without asking for confirmation")
    boolean force;

    @Override
    int run(LocalAccounts accounts, Prompter prompter) {
        String address = email != null ? email : prompter.ask("Email address of the user to delete: ").orElseThrow(UserAddCommand::noInput);
        User user = UserModCommand.find(accounts, address);
        if (!force) {
            out().println("About to delete:");
            print(user);
            boolean sure = prompter.askYesNo("Are you sure you want to delete this user? (yes/no): ")
                    .orElseThrow(() -> new Refusal("Nobody answered the confirmation (end of input); nothing was deleted. "
                            + "Use --force to delete without asking."));
            if (!sure) {
                err().println("Deletion cancelled.");
                return 1;
            }
        }
        accounts.users().delete(actor(), user.userId(), null);
        out().println("✅ User " + user.email() + " deleted");
        out().println("ℹ️  What the user owned stays; a running server refuses their sessions at the next request.");
        return 0;
    }
}
