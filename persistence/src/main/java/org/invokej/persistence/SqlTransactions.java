package org.invokej.persistence;

import org.invokej.core.store.Transactions;
import org.invokej.core.store.Tx;

import java.util.function.Function;

/** {@link Transactions} over the {@link Database} (SQLite or PostgreSQL). */
public final class SqlTransactions implements Transactions {

    private final Database database;

    public SqlTransactions(Database database) {
        this.database = database;
    }

    @Override
    public <T> T read(Function<Tx, T> work) {
        return database.read(exec -> work.apply(new SqlTx(exec, database.dialect())));
    }

    @Override
    public <T> T write(Function<Tx, T> work) {
        return database.write(tx -> work.apply(new SqlTx(tx, database.dialect())));
    }

    @Override
    public <T> T writeWithRowLocks(Function<Tx, T> work) {
        return database.writeWithRowLocks(tx -> work.apply(new SqlTx(tx, database.dialect())));
    }
}
