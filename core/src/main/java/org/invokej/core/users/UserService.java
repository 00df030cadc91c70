package org.invokej.core.users;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.audit.AuditAction;
import org.invokej.core.audit.Auditor;
import org.invokej.core.store.Transactions;
import org.invokej.core.store.Tx;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Accounts: first-run setup, administration of users and each user's own profile. The rules live here
 * so that the REST API and the command line share them: the password policy, email normalisation, the
 * {@code system} user's invariants and the last-administrator guard, re-checked inside the write
 * transaction so that concurrent requests cannot both pass it.
 */
public final class UserService {

    /** The most users {@link #list} returns, as InvokeAI's endpoint. */
    public static final int LIST_LIMIT = 100;
    static final int MAX_DISPLAY_NAME = 200;

    static final String SYSTEM_USER_PROTECTED =
            "The system user cannot be deleted, deactivated, promoted to administrator, or given a password";
    static final String LAST_ADMIN = "Cannot remove the last administrator";

    /** How accounts are run: multi-user or not, and whether passwords must pass the strict rule. */
    public record Settings(boolean multiuser, boolean strictPasswords) {
    }

    /** What {@code GET /auth/status} tells. */
    public record SetupStatus(boolean setupRequired, boolean multiuserEnabled, boolean strictPasswordChecking) {
    }

    /** A user to create. */
    public record NewAccount(String email, String displayName, String password, boolean admin) {
    }

    /** An administrator's changes to a user; null fields stay as they are. */
    public record UserChanges(String displayName, String password, Boolean admin, Boolean active) {
    }

    /** A user's changes to their own profile; null fields stay as they are. */
    public record ProfileChanges(String displayName, String currentPassword, String newPassword) {
    }

    private final Transactions transactions;
    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Auditor auditor;
    private final UserAccessListener accessListener;
    private final Settings settings;
    private final ContentHandover handover;

    public UserService(Transactions transactions, UserRepository users, PasswordHasher hasher, Auditor auditor,
                       UserAccessListener accessListener, Settings settings) {
        this(transactions, users, hasher, auditor, accessListener, settings, ContentHandover.NONE);
    }

    public UserService(Transactions transactions, UserRepository users, PasswordHasher hasher, Auditor auditor,
                       UserAccessListener accessListener, Settings settings, ContentHandover handover) {
        this.transactions = transactions;
        this.users = users;
        this.hasher = hasher;
        this.auditor = auditor;
        this.accessListener = accessListener;
        this.settings = settings;
        this.handover = handover;
    }

    public SetupStatus status() {
        boolean required = settings.multiuser() && transactions.read(tx -> users.countActiveAdmins(tx)) == 0;
        return new SetupStatus(required, settings.multiuser(), settings.strictPasswords());
    }

    /** Creates the first administrator. Of many concurrent calls exactly one succeeds. */
    public User setup(NewAccount account, String client) {
        String email = EmailAddress.normalize(account.email());
        if (!settings.multiuser()) {
            throw DomainException.forbidden("Multiuser mode is disabled. Admin setup is not required in single-user mode.");
        }
        if (transactions.read(tx -> users.countActiveAdmins(tx)) > 0) {
            throw DomainException.invalid("Administrator account already configured");
        }
        PasswordPolicy.checkStrong(account.password());
        String displayName = displayName(account.displayName());
        String hash = hasher.hash(account.password());
        return transactions.write(tx -> {
            if (users.countActiveAdmins(tx) > 0) {
                throw DomainException.invalid("Admin user already exists");
            }
            User admin = insert(tx, email, displayName, hash, true);
            auditor.record(tx, admin.actor(), client, AuditAction.SETUP, admin.userId(), admin.email(), "first administrator");
            return admin;
        });
    }

    /** An administrator creates a user. */
    public User create(Actor actor, NewAccount account, String client) {
        requireAdmin(actor);
        String email = EmailAddress.normalize(account.email());
        PasswordPolicy.check(account.password(), settings.strictPasswords(), account.admin());
        String displayName = displayName(account.displayName());
        String hash = hasher.hash(account.password());
        return transactions.write(tx -> {
            User user = insert(tx, email, displayName, hash, account.admin());
            auditor.record(tx, actor, client, AuditAction.USER_CREATED, user.userId(), user.email(),
                    account.admin() ? "administrator" : "user");
            return user;
        });
    }

    private User insert(Tx tx, String email, String displayName, String hash, boolean admin) {
        if (users.findByEmail(tx, email).isPresent()) {
            throw DomainException.invalid("User with email " + email + " already exists");
        }
        String id = UUID.randomUUID().toString();
        users.insert(tx, new User(id, email, displayName, hash, admin, true, null, null, null, 0));
        return users.find(tx, id).orElseThrow();
    }

    /** An administrator changes a user's name, password, role or active flag. */
    public User update(Actor actor, String userId, UserChanges changes, String client) {
        requireAdmin(actor);
        User before = get(userId);
        checkInvariants(before, changes, transactions.read(tx -> users.countActiveAdmins(tx)));
        if (changes.password() != null) {
            // An administrator after this change (promoted now, or already one) needs a strong password.
            boolean adminAfter = changes.admin() != null ? changes.admin() : before.admin();
            PasswordPolicy.check(changes.password(), settings.strictPasswords(), adminAfter);
        }
        String displayName = changes.displayName() == null ? null : displayName(changes.displayName());
        String hash = changes.password() == null ? null : hasher.hash(changes.password());
        User after = transactions.write(tx -> {
            // Read again under the write lock: the checks above may have raced another change.
            User current = users.find(tx, userId).orElseThrow(() -> DomainException.notFound("User not found"));
            checkInvariants(current, changes, users.countActiveAdmins(tx));
            User updated = current;
            if (displayName != null) {
                updated = updated.withDisplayName(displayName);
            }
            if (hash != null) {
                updated = updated.withPasswordHash(hash);
            }
            if (changes.admin() != null) {
                updated = updated.withAdmin(changes.admin());
            }
            if (changes.active() != null) {
                updated = updated.withActive(changes.active());
            }
            users.update(tx, updated);
            audit(tx, actor, client, current, updated);
            return users.find(tx, userId).orElseThrow();
        });
        notifyIfAccessChanged(before, after);
        return after;
    }

    /** An administrator deletes a user. What the user owned stays, owned by the deleted id. */
    public void delete(Actor actor, String userId, String client) {
        delete(actor, userId, null, client);
    }

    /**
     * An administrator deletes a user, first giving everything they own to {@code transferTo} (when not
     * null) in the same transaction: either both happen or neither.
     */
    public void delete(Actor actor, String userId, String transferTo, String client) {
        requireAdmin(actor);
        User target = get(userId);
        checkDeletable(target, transactions.read(tx -> users.countActiveAdmins(tx)));
        if (userId.equals(transferTo)) {
            throw DomainException.invalid("Cannot transfer a user's content to that same user");
        }
        transactions.write(tx -> {
            User current = users.find(tx, userId).orElseThrow(() -> DomainException.notFound("User not found"));
            checkDeletable(current, users.countActiveAdmins(tx));
            if (transferTo != null) {
                User heir = users.find(tx, transferTo).orElseThrow(() -> DomainException.notFound("Transfer target user not found"));
                handover.handOver(tx, actor, current, heir, client);
            }
            users.delete(tx, userId);
            auditor.record(tx, actor, client, AuditAction.USER_DELETED, current.userId(), current.email(), null);
            return null;
        });
        accessListener.accessChanged(userId);
    }

    /** A user changes their own display name or password (the current password is required for that). */
    public User updateProfile(Actor actor, ProfileChanges changes, String client) {
        User before = get(actor.userId());
        String hash = null;
        if (changes.newPassword() != null) {
            if (changes.currentPassword() == null || changes.currentPassword().isEmpty()) {
                throw DomainException.invalid("Current password is required to set a new password");
            }
            if (!hasher.matches(changes.currentPassword(), before.passwordHash())) {
                throw DomainException.invalid("Current password is incorrect");
            }
            PasswordPolicy.check(changes.newPassword(), settings.strictPasswords(), before.admin());
            hash = hasher.hash(changes.newPassword());
        }
        String displayName = changes.displayName() == null ? null : displayName(changes.displayName());
        if (displayName == null && hash == null) {
            return before;
        }
        String newHash = hash;
        User after = transactions.write(tx -> {
            User current = users.find(tx, actor.userId()).orElseThrow(() -> DomainException.notFound("User not found"));
            User updated = current;
            if (displayName != null) {
                updated = updated.withDisplayName(displayName);
            }
            if (newHash != null) {
                updated = updated.withPasswordHash(newHash);
            }
            users.update(tx, updated);
            audit(tx, actor, client, current, updated);
            return users.find(tx, actor.userId()).orElseThrow();
        });
        notifyIfAccessChanged(before, after);
        return after;
    }

    public Optional<User> find(String userId) {
        return transactions.read(tx -> users.find(tx, userId));
    }

    /** The user, or 404 {@code User not found}. */
    public User get(String userId) {
        return find(userId).orElseThrow(() -> DomainException.notFound("User not found"));
    }

    /** Looks a user up by the email exactly as typed (the command line's lookup). */
    public Optional<User> findByEmail(String email) {
        return transactions.read(tx -> users.findByEmail(tx, email));
    }

    /** What the API lists: at most {@value #LIST_LIMIT} users, newest first, without {@code system}. */
    public List<User> list() {
        return transactions.read(tx -> users.listNewestFirst(tx, LIST_LIMIT)).stream()
                .filter(user -> !user.isSystem())
                .toList();
    }

    /** Every user up to {@code limit}, newest first, {@code system} included (the command line shows it). */
    public List<User> listAll(int limit) {
        return transactions.read(tx -> users.listNewestFirst(tx, limit));
    }

    private static void checkInvariants(User target, UserChanges changes, int activeAdmins) {
        if (target.isSystem() && (Boolean.FALSE.equals(changes.active()) || Boolean.TRUE.equals(changes.admin())
                || changes.password() != null)) {
            throw DomainException.invalid(SYSTEM_USER_PROTECTED);
        }
        boolean removesAdmin = Boolean.FALSE.equals(changes.admin()) || Boolean.FALSE.equals(changes.active());
        if (target.isActiveAdmin() && removesAdmin && activeAdmins <= 1) {
            throw DomainException.invalid(LAST_ADMIN);
        }
    }

    private static void checkDeletable(User target, int activeAdmins) {
        if (target.isSystem()) {
            throw DomainException.invalid(SYSTEM_USER_PROTECTED);
        }
        if (target.isActiveAdmin() && activeAdmins <= 1) {
            throw DomainException.invalid(LAST_ADMIN);
        }
    }

    private void audit(Tx tx, Actor actor, String client, User before, User after) {
        List<String> names = new ArrayList<>();
        if (!java.util.Objects.equals(before.displayName(), after.displayName())) {
            names.add("display_name");
        }
        if (!names.isEmpty()) {
            auditor.record(tx, actor, client, AuditAction.USER_UPDATED, after.userId(), after.email(), String.join(", ", names) + " changed");
        }
        if (before.admin() != after.admin()) {
            auditor.record(tx, actor, client, AuditAction.ROLE_CHANGED, after.userId(), after.email(),
                    "is_admin: " + before.admin() + " -> " + after.admin());
        }
        if (before.active() != after.active()) {
            auditor.record(tx, actor, client, AuditAction.ACTIVE_CHANGED, after.userId(), after.email(),
                    "is_active: " + before.active() + " -> " + after.active());
        }
        if (!before.passwordHash().equals(after.passwordHash())) {
            auditor.record(tx, actor, client, AuditAction.PASSWORD_CHANGED, after.userId(), after.email(),
                    actor.owns(after.userId()) ? "own password" : "set by an administrator");
        }
    }

    private void notifyIfAccessChanged(User before, User after) {
        if (before.admin() != after.admin() || before.active() != after.active() || before.tokenEpoch() != after.tokenEpoch()) {
            accessListener.accessChanged(after.userId());
        }
    }

    private static String displayName(String name) {
        if (name != null && name.codePointCount(0, name.length()) > MAX_DISPLAY_NAME) {
            throw DomainException.unprocessable("Display name is too long (at most " + MAX_DISPLAY_NAME + " characters)");
        }
        return name;
    }

    static void requireAdmin(Actor actor) {
        if (!actor.admin()) {
            throw DomainException.forbidden("Admin privileges required");
        }
    }
}
