package org.invokej.persistence;

import io.helidon.dbclient.DbExecute;
import org.invokej.core.store.Tx;

/** A unit of work over dbclient: the executor of a read, or the open write transaction, and how its SQL is written. */
record SqlTx(DbExecute exec, SqlDialect dialect) implements Tx {

    /** The executor behind a {@link Tx} handed out by {@link SqlTransactions}. */
    static DbExecute of(Tx tx) {
        return ((SqlTx) tx).exec();
    }

    /** The dialect of the database behind a {@link Tx}. */
    static SqlDialect dialectOf(Tx tx) {
        return ((SqlTx) tx).dialect();
    }
}
