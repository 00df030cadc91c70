package org.invokej.persistence;

/** The claim and lease cases on a real SQLite file. */
class SqlQueueClaimsTest extends SqlQueueClaimsCases {

    @Override
    SqlDialect dialect() {
        return SqlDialect.SQLITE;
    }
}
