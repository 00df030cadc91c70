package org.invokej.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

/**
 * Tokens made the way InvokeAI makes them (HS256 over the UTF-8 bytes of {@code app_settings.jwt_secret},
 * its claim names), and the bad ones a test needs: expired, tampered, signed with another key, unsigned.
 */
public final class TestTokens {

    private TestTokens() {
    }

    /** The token secret of a root's database (SQLite, or PostgreSQL in the PostgreSQL pass), read as an administrator would. */
    public static String secret(Path root) {
        try (Connection connection = TestPostgres.connectToRoot(root);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT value FROM app_settings WHERE key = 'jwt_secret'")) {
            row.next();
            return row.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HS256 token with exactly these claims, signed with {@code secret}. */
    public static String sign(String secret, Map<String, Object> claims) {
        return sign(secret, JWSAlgorithm.HS256, claims);
    }

    public static String sign(String secret, JWSAlgorithm algorithm, Map<String, Object> claims) {
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder();
        claims.forEach((name, value) -> set.claim(name, value instanceof Instant instant ? Date.from(instant) : value));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(), set.build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** InvokeAI's claims for a user. */
    public static Map<String, Object> claims(String userId, String email, boolean admin, int epoch, Instant expires) {
        return Map.of("user_id", userId, "email", email, "is_admin", admin, "remember_me", false,
                "token_epoch", epoch, "exp", expires.getEpochSecond());
    }

    /** An unsigned token ({@code "alg": "none"}) with these claims. */
    public static String unsigned(Map<String, Object> claims) {
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder();
        claims.forEach(set::claim);
        return new PlainJWT(set.build()).serialize();
    }

    /** {@code token} with its payload swapped for {@code claims}, keeping the original signature. */
    public static String tampered(String token, Map<String, Object> claims) {
        String[] parts = token.split("\\.");
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(TestClient.toJson(claims).getBytes(StandardCharsets.UTF_8));
        return parts[0] + "." + payload + "." + parts[2];
    }
}
