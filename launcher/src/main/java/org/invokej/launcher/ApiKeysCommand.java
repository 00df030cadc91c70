package org.invokej.launcher;

import org.invokej.core.Actor;
import org.invokej.core.auth.ApiKey;
import org.invokej.core.auth.ApiKeyScope;
import org.invokej.core.auth.ApiKeys;
import org.invokej.core.users.User;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code invokej apikeys list|create|revoke}: API keys at the server's console, on the root directly
 * (also while the server runs: it sees a revocation at the next request), recorded in the audit log as
 * the command line.
 */
@Command(name = "apikeys", mixinStandardHelpOptions = true,
        description = "List, create and revoke users' API keys (for administrators, on the server's machine).",
        subcommands = {ApiKeysCommand.ListKeys.class, ApiKeysCommand.CreateKey.class, ApiKeysCommand.RevokeKey.class})
final class ApiKeysCommand implements Runnable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The audit log names these as {@code apikeys create} etc. */
    abstract static class KeyCommand extends UserCommand {
        @Override
        Actor actor() {
            return LocalRoot.commandLineActor("apikeys " + spec.name());
        }

        User user(LocalAccounts accounts, String email) {
            return accounts.users().findByEmail(email).filter(user -> !user.isSystem())
                    .orElseThrow(() -> new Refusal("No user with email " + email));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists API keys (every user's, or one user's), newest first.")
    static final class ListKeys extends KeyCommand {

        @Option(names = "--email", paramLabel = "EMAIL", description = "Only this user's keys")
        String email;

        @Override
        int run(LocalAccounts accounts, Prompter prompter) {
            List<ApiKey> keys = email == null ? accounts.apiKeys().listAll(actor(), Integer.MAX_VALUE)
                    : accounts.apiKeys().listFor(actor(), user(accounts, email).userId());
            if (keys.isEmpty()) {
                out().println("No API keys.");
                return 0;
            }
            Instant now = Instant.now();
            out().printf("%-36s  %-12s  %-9s  %-8s  %-24s  %-16s  %s%n", "KEY ID", "PREFIX", "SCOPE", "STATUS", "OWNER", "LAST USED (UTC)", "NAME");
            for (ApiKey key : keys) {
                String status = key.revokedAt() != null ? "revoked" : key.usableAt(now) ? "active" : "expired";
                out().printf("%-36s  %-12s  %-9s  %-8s  %-24s  %-16s  %s%n", key.keyId(), key.prefix(), key.scope().wireName(), status,
                        key.ownerEmail(), key.lastUsedAt() == null ? "never" : TIME.format(key.lastUsedAt()), key.name());
            }
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates an API key for a user and prints it (only this once).")
    static final class CreateKey extends KeyCommand {

        @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "The user the key acts as")
        String email;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "What the key is for, e.g. \"nightly backup\"")
        String name;

        @Option(names = "--scope", paramLabel = "SCOPE", defaultValue = "full",
                description = "full, read_only or queue (default: ${DEFAULT-VALUE})")
        String scope;

        @Option(names = "--expires-in-days", paramLabel = "DAYS", description = "Days until it stops working (default: never)")
        Integer expiresInDays;

        @Override
        int run(LocalAccounts accounts, Prompter prompter) {
            ApiKeyScope parsed = ApiKeyScope.byName(scope)
                    .orElseThrow(() -> new Refusal("--scope must be one of " + ApiKeyScope.names()));
            ApiKeys.Created created = accounts.apiKeys().create(actor(), user(accounts, email).userId(),
                    new ApiKeys.NewKey(name, parsed, expiresInDays), null);
            out().println("✅ API key " + created.key().describe() + " created for " + created.key().ownerEmail()
                    + " (id " + created.key().keyId() + ")" + (created.key().expiresAt() == null ? "" : ", expires " + TIME.format(created.key().expiresAt()) + " UTC"));
            out().println("   Use it as 'Authorization: Bearer <key>'. It is shown only now:");
            out().println(created.secret());
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes an API key; a running server refuses it from the next request on.")
    static final class RevokeKey extends KeyCommand {

        @Parameters(paramLabel = "KEY_ID", description = "The key's id (see 'invokej apikeys list')")
        String keyId;

        @Override
        int run(LocalAccounts accounts, Prompter prompter) {
            ApiKey key = accounts.apiKeys().revoke(actor(), keyId, null);
            out().println("✅ API key " + key.describe() + " of " + key.ownerEmail() + " is revoked.");
            return 0;
        }
    }
}
