package org.invokej.core.auth;

import java.util.Optional;

/** Signs and checks session tokens. */
public interface TokenCodec {

    String mint(TokenClaims claims);

    /**
     * The claims of a token that is well-formed, correctly signed with the one accepted algorithm and not
     * expired; empty for anything else. Says nothing about whether its user may still use it.
     */
    Optional<TokenClaims> verify(String token);
}
