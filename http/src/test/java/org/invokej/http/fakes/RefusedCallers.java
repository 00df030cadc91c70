package org.invokej.http.fakes;

import org.invokej.core.Actor;
import org.invokej.core.users.UserService;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestTokens;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The callers every route refuses with 401, by name: no token, a deactivated administrator's token,
 * an expired token, and a user's token whose payload was changed to claim administrator rights.
 */
public final class RefusedCallers {

    /** The secret {@link CoreOnFakes} signs session tokens with. */
    static final String SECRET = "route-tests-secret-of-at-least-32-bytes";

    private RefusedCallers() {
    }

    public static Map<String, TestClient> of(CoreOnFakes core, TestClient anonymous) {
        Map<String, TestClient> callers = new LinkedHashMap<>();
        callers.put("anonymous", anonymous);
        TestUser deactivated = core.caller(anonymous, "deactivated", true);
        core.users.update(Actor.SYSTEM, deactivated.userId(), new UserService.UserChanges(null, null, null, false), "test");
        callers.put("deactivated", deactivated.client());
        TestUser user = core.caller(anonymous, "refused", false);
        callers.put("expired", anonymous.withToken(TestTokens.sign(SECRET, TestTokens.claims(user.userId(), user.user().email(), false,
                user.user().tokenEpoch(), core.clock.instant().minusSeconds(3600)))));
        callers.put("tampered", anonymous.withToken(TestTokens.tampered(core.token(user.user()), TestTokens.claims(user.userId(),
                user.user().email(), true, user.user().tokenEpoch(), core.clock.instant().plusSeconds(3600)))));
        return callers;
    }
}
