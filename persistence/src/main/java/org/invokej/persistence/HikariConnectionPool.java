package org.invokej.persistence;

import com.zaxxer.hikari.HikariDataSource;
import io.helidon.dbclient.jdbc.JdbcConnectionPool;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Hands dbclient-jdbc its connections from HikariCP. Helidon's own Hikari provider is not served at
 * 4.5, and dbclient-jdbc has no pool of its own, so this is the programmatic pool it is given.
 */
final class HikariConnectionPool implements JdbcConnectionPool {

    private final HikariDataSource dataSource;

    HikariConnectionPool(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Connection connection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not get a database connection: " + e.getMessage(), e);
        }
    }

    @Override
    public String dbType() {
        return "sqlite";
    }
}
