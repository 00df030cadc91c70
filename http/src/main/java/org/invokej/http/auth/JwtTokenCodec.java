package org.invokej.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.invokej.core.auth.TokenClaims;
import org.invokej.core.auth.TokenCodec;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

/**
 * InvokeAI's session tokens: HS256 JWTs keyed on the UTF-8 bytes of {@code app_settings.jwt_secret}
 * (not hex-decoded), with the claims {@code user_id}, {@code email}, {@code is_admin},
 * {@code remember_me}, {@code token_epoch} and {@code exp}, and our session id {@code sid} (absent from
 * InvokeAI's tokens). A token minted by InvokeAI with the same
 * secret verifies here. Our tokens also carry a random {@code jti}, so each session's token is its own.
 * Every other algorithm, unsigned tokens, and tokens without an expiry are
 * refused (InvokeAI would take a token without {@code exp}; none is ever minted so).
 */
public final class JwtTokenCodec implements TokenCodec {

    /** HS256 needs a key of at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Clock clock;

    /**
     * @throws IllegalArgumentException if the secret is shorter than {@value #MIN_SECRET_BYTES} bytes
     */
    public JwtTokenCodec(String secret, Clock clock) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the token secret is " + key.length + " bytes; it must be at least " + MIN_SECRET_BYTES);
        }
        try {
            this.signer = new MACSigner(key);
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        this.clock = clock;
    }

    @Override
    public String mint(TokenClaims claims) {
        JWTClaimsSet set = new JWTClaimsSet.Builder()
                .claim("user_id", claims.userId())
                .claim("email", claims.email())
                .claim("is_admin", claims.admin())
                .claim("remember_me", claims.rememberMe())
                .claim("token_epoch", claims.tokenEpoch())
                .claim("sid", claims.sessionId())
                .expirationTime(Date.from(claims.expiresAt()))
                // Two logins in the same second would otherwise get the same token, and logging one out
                // would end the other. Nothing requires the claim: InvokeAI's tokens have none.
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), set);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign a token", e);
        }
        return jwt.serialize();
    }

    @Override
    public Optional<TokenClaims> verify(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            // The verifier would accept HS384/HS512 made with the same key; only HS256 is ours.
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet set = jwt.getJWTClaimsSet();
            Date exp = set.getExpirationTime();
            String userId = set.getStringClaim("user_id");
            String email = set.getStringClaim("email");
            Boolean admin = set.getBooleanClaim("is_admin");
            if (exp == null || userId == null || email == null || admin == null) {
                return Optional.empty();
            }
            Instant expiresAt = exp.toInstant();
            if (!clock.instant().isBefore(expiresAt)) {
                return Optional.empty();
            }
            Boolean rememberMe = set.getBooleanClaim("remember_me");
            Long epoch = set.getLongClaim("token_epoch");
            return Optional.of(new TokenClaims(userId, email, admin, rememberMe != null && rememberMe,
                    epoch == null ? 0 : Math.toIntExact(epoch), expiresAt, set.getStringClaim("sid")));
        } catch (ParseException | JOSEException | ArithmeticException | IllegalStateException e) {
            return Optional.empty();
        }
    }
}
