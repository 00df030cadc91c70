package org.invokej.persistence.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.util.HexFormat;

/**
 * Creates the token signing secret with the database, as InvokeAI does: 32 random bytes written as 64
 * lowercase hex characters into {@code app_settings.jwt_secret}. Written in Java rather than SQL so the
 * randomness is the JDK's, whatever the database.
 */
public final class V2__Create_jwt_secret extends BaseJavaMigration {

    private static final int SECRET_BYTES = 32;

    @Override
    public void migrate(Context context) throws Exception {
        byte[] secret = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        try (PreparedStatement insert = context.getConnection().prepareStatement(
                "INSERT INTO app_settings (key, value) VALUES ('jwt_secret', ?) ON CONFLICT (key) DO NOTHING")) {
            insert.setString(1, HexFormat.of().formatHex(secret));
            insert.executeUpdate();
        }
    }
}
