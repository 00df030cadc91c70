package org.invokej.persistence;

import io.helidon.dbclient.DbExecute;
import org.invokej.core.store.Tx;

/** A unit of work over dbclient: the executor of a read, or the open write transaction. */
record SqlTx(DbExecute exec) implements Tx {

    /** The executor behind a {@link Tx} handed out by {@link SqlTransactions}. */
    static DbExecute of(Tx tx) {
        return ((SqlTx) tx).exec();
    }
}
