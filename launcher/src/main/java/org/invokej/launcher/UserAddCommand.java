package org.invokej.launcher;

import org.invokej.core.users.EmailAddress;
import org.invokej.core.users.PasswordPolicy;
import org.invokej.core.users.User;
import org.invokej.core.users.UserService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code invoke-useradd}: adds a user, from flags or by asking. */
@Command(name = "useradd", aliases = "invoke-useradd", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Add a user to the InvokeAI database. Without --email and --password it asks for everything.")
final class UserAddCommand extends UserCommand {

    @Option(names = {"--email", "-e"}, paramLabel = "EMAIL", description = "User email address")
    String email;

    @Option(names = {"--password", "-p"}, paramLabel = "PASSWORD", description = "User password")
    String password;

    @Option(names = {"--name", "-n"}, paramLabel = "NAME", description = "User display name (optional)")
    String name;

    @Option(names = {"--admin", "-a"}, description = "Make the user an administrator")
    boolean admin;

    @Override
    boolean createsRoot() {
        return true;
    }

    @Override
    int run(LocalAccounts accounts, Prompter prompter) {
        UserService.NewAccount account;
        if (email != null || password != null) {
            if (email == null || password == null) {
                throw new Refusal("Both --email and --password are required (run without arguments for interactive mode)");
            }
            PasswordPolicy.strictProblem(password).ifPresent(problem -> {
                throw new Refusal(PasswordPolicy.strongRequired(problem));
            });
            requireNewEmail(accounts, email);
            account = new UserService.NewAccount(email, name, password, admin);
        } else {
            account = ask(accounts, prompter);
        }
        User user = accounts.users().create(actor(), account, null);
        out().println("✅ User created successfully");
        print(user);
        return 0;
    }

    private UserService.NewAccount ask(LocalAccounts accounts, Prompter prompter) {
        out().println("Add a user to InvokeAI");
        String address = prompter.ask("Email address: ").orElseThrow(UserAddCommand::noInput);
        if (address.isEmpty()) {
            throw new Refusal("An email address is required");
        }
        // Before the password is typed twice, not after.
        requireNewEmail(accounts, address);
        String displayName = prompter.ask("Display name (optional): ").orElseThrow(UserAddCommand::noInput);
        String secret = askNewPassword(prompter, this);
        boolean isAdmin = prompter.askYesNo("Make this user an administrator? (y/N): ").orElse(false);
        return new UserService.NewAccount(address, displayName.isEmpty() ? null : displayName, secret, isAdmin);
    }

    /** Refuses an address (as the database would store it) that another user already has. */
    private static void requireNewEmail(LocalAccounts accounts, String address) {
        String normalized = EmailAddress.normalize(address);
        if (accounts.users().findByEmail(normalized).isPresent()) {
            throw new Refusal("User with email " + normalized + " already exists");
        }
    }

    /** Asks for a new password twice until both agree and it passes the strict rule. */
    static String askNewPassword(Prompter prompter, UserCommand command) {
        while (true) {
            String first = prompter.askSecret("Password: ").orElseThrow(UserAddCommand::noInput);
            String second = prompter.askSecret("Confirm password: ").orElseThrow(UserAddCommand::noInput);
            if (!first.equals(second)) {
                command.err().println("❌ Passwords do not match. Try again.");
                continue;
            }
            var problem = PasswordPolicy.strictProblem(first);
            if (problem.isPresent()) {
                command.err().println("❌ " + PasswordPolicy.strongRequired(problem.get()) + ". Try again.");
                continue;
            }
            return first;
        }
    }

    static RuntimeException noInput() {
        return new Refusal("No answer (end of input); nothing was changed");
    }
}
