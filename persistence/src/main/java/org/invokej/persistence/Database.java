package org.invokej.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbTransaction;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.invokej.persistence.migration.V2__Create_jwt_secret;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The database of a root directory: the SQLite file of one machine (the default), or a PostgreSQL
 * database several processes share. Connections are pooled, the schema is brought up to date by Flyway
 * (one migration tree per dialect, see docs/architecture.md), and writes are taken in one place.
 *
 * <p>With SQLite every write goes through {@link #write}, which holds one process-wide lock around an
 * IMMEDIATE transaction: SQLite allows one writer at a time anyway, and letting virtual threads contend
 * inside SQLite's busy handler pins their carrier threads (see docs/reference/stack-notes.md). Other
 * processes (the CLIs) are kept in step by {@code busy_timeout}.
 *
 * <p>With PostgreSQL there is no lock in this process: writes are ordinary READ COMMITTED transactions
 * on pooled connections. Each takes PostgreSQL's transaction-scoped advisory lock {@link #WRITE_ORDER}
 * first, which keeps core's {@code Transactions} promise (writes run one at a time, so a check made
 * inside a write still holds at its commit) across every process sharing the database, web nodes and
 * workers alike; PostgreSQL releases it at commit or rollback, and reads never take it. Claims of queue
 * items and lease renewals are the exception ({@link #writeWithRowLocks}): they rely on row locks, so
 * that workers on several hosts claim side by side.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Database.class.getName());
    /** The advisory lock key every PostgreSQL write transaction takes ("InvokeJW" in ASCII). */
    static final long WRITE_ORDER = 0x496e766f6b654a57L;
    private static final DateTimeFormatter BACKUP_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private final DatabaseLocation location;
    private final HikariDataSource dataSource;
    private final DbClient client;
    /** SQLite's one writer; null with PostgreSQL. */
    private final ReentrantLock writeLock;
    private final Path backup;

    private Database(DatabaseLocation location, HikariDataSource dataSource, Path backup) {
        this.location = location;
        this.dataSource = dataSource;
        this.backup = backup;
        this.writeLock = location.dialect() == SqlDialect.SQLITE ? new ReentrantLock() : null;
        this.client = JdbcClientBuilder.create()
                .connectionPool(new HikariConnectionPool(dataSource))
                .build();
    }

    /** Opens (creating if needed) the SQLite file and migrates it to the current schema. */
    public static Database open(Path file, Clock clock) {
        return open(new DatabaseLocation.SqliteFile(file), clock);
    }

    /** Opens the database at {@code location} (creating a SQLite file if needed) and migrates it to the current schema. */
    public static Database open(DatabaseLocation location, Clock clock) {
        return open(location, clock, List.of());
    }

    static Database open(Path file, Clock clock, List<String> extraMigrationLocations) {
        return open(new DatabaseLocation.SqliteFile(file), clock, extraMigrationLocations);
    }

    /**
     * Opens the database, running the migrations in {@code extraMigrationLocations} after ours; tests use
     * this to add a migration of their own.
     */
    static Database open(DatabaseLocation location, Clock clock, List<String> extraMigrationLocations) {
        return switch (location) {
            case DatabaseLocation.SqliteFile sqlite -> openSqlite(sqlite.file(), clock, extraMigrationLocations);
            case DatabaseLocation.PostgresServer postgres -> openPostgres(postgres, extraMigrationLocations);
        };
    }

    private static Database openPostgres(DatabaseLocation.PostgresServer server, List<String> extraMigrationLocations) {
        HikariDataSource dataSource = PostgresConnections.open(server);
        try {
            Flyway flyway = flyway(dataSource, SqlDialect.POSTGRESQL, extraMigrationLocations).load();
            var result = flyway.migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("Database " + server.describe() + " migrated to schema version " + result.targetSchemaVersion
                        + " (" + result.migrationsExecuted + " migration(s) applied)");
            }
            PostgresConnections.warnAboutCollation(dataSource, server);
            return new Database(server, dataSource, null);
        } catch (RuntimeException e) {
            dataSource.close();
            if (e instanceof DatabaseUnusableException) {
                throw e;
            }
            throw new MigrationException("Database migration of " + server.describe() + " failed: " + rootMessage(e)
                    + ". PostgreSQL rolled the migration back. Run with --log-level DEBUG for the full error.", e);
        }
    }

    private static Database openSqlite(Path file, Clock clock, List<String> extraMigrationLocations) {
        Path absolute = file.toAbsolutePath();
        prepareFiles(absolute);
        // An InvokeAI database is copied byte for byte before anything opens it for writing: the pool's
        // pragmas alone would change the file.
        Optional<InvokeAiAdoption.Found> invokeai = InvokeAiAdoption.detect(absolute);
        Path adoptionBackup = null;
        if (invokeai.isPresent()) {
            adoptionBackup = backupPath(absolute, clock);
            InvokeAiAdoption.backUp(absolute, adoptionBackup);
            PrivateFiles.ownerOnly(adoptionBackup);
            LOG.info("Opening an InvokeAI database (" + invokeai.get().describe() + "); copied it unchanged to "
                    + adoptionBackup);
        }
        HikariDataSource dataSource = null;
        try {
            dataSource = new HikariDataSource(poolConfig(absolute));
            Path backup;
            if (invokeai.isPresent()) {
                adopt(dataSource, invokeai.get(), extraMigrationLocations);
                backup = adoptionBackup;
            } else {
                backup = migrate(absolute, dataSource, clock, extraMigrationLocations);
            }
            return new Database(new DatabaseLocation.SqliteFile(absolute), dataSource, backup);
        } catch (RuntimeException e) {
            if (dataSource != null) {
                dataSource.close();
            }
            if (adoptionBackup != null) {
                InvokeAiAdoption.restore(adoptionBackup, absolute);
                throw new MigrationException("Opening the InvokeAI database " + absolute + " failed: " + rootMessage(e)
                        + ". The database was left as InvokeAI left it; the copy " + adoptionBackup + " is identical."
                        + " Run with --log-level DEBUG for the full error.", e);
            }
            throw e;
        }
    }

    /**
     * Makes the database's folder and files owner-only (creating the file so that SQLite, which gives its
     * WAL and shared-memory files the database's mode, never makes them readable by others), and says in
     * one line when this user cannot write them.
     */
    private static void prepareFiles(Path file) {
        Path folder = file.getParent();
        try {
            PrivateFiles.folder(folder);
        } catch (java.io.UncheckedIOException e) {
            throw new MigrationException("Cannot create the database folder " + folder + ": " + e.getCause().getMessage(), e);
        }
        for (Path path : List.of(file, file.resolveSibling(file.getFileName() + "-wal"), file.resolveSibling(file.getFileName() + "-shm"))) {
            PrivateFiles.existing(path);
        }
        try (var backups = Files.newDirectoryStream(folder, "invokeai_backup_*.db")) {
            backups.forEach(PrivateFiles::existing);
        } catch (IOException e) {
            throw new MigrationException("Cannot list the database folder " + folder + ": " + e.getMessage(), e);
        }
        String user = System.getProperty("user.name");
        if (!Files.isWritable(folder)) {
            throw new DatabaseUnusableException("The database folder " + folder + " is read-only for " + user
                    + ": SQLite writes its journal there. Make it writable by the user that runs InvokeJ (chown " + user + " " + folder + ")");
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new DatabaseUnusableException("The database " + file + " is read-only for " + user
                    + ". Make it writable by the user that runs InvokeJ (chown " + user + " " + file + "; chmod 600 " + file + ")");
        }
        if (Files.notExists(file)) {
            PrivateFiles.create(file);
        }
    }

    /**
     * Brings an InvokeAI database to our schema: the bridge makes it equal to our {@link
     * InvokeAiAdoption#BASELINE} version, Flyway records that as its baseline and applies what follows.
     * A failure anywhere is undone by putting the byte copy back.
     */
    private static void adopt(HikariDataSource dataSource, InvokeAiAdoption.Found found, List<String> extraLocations) {
        InvokeAiAdoption.bridge(dataSource, found);
        Flyway flyway = flyway(dataSource, SqlDialect.SQLITE, extraLocations)
                .baselineVersion(InvokeAiAdoption.BASELINE)
                .baselineDescription("Adopted InvokeAI database (" + found.describe() + ")")
                .load();
        flyway.baseline();
        var result = flyway.migrate();
        LOG.info("Adopted the InvokeAI database (" + found.describe() + ") at InvokeJ schema version "
                + (result.targetSchemaVersion == null ? InvokeAiAdoption.BASELINE : result.targetSchemaVersion));
    }

    private static FluentConfiguration flyway(HikariDataSource dataSource, SqlDialect dialect, List<String> extraLocations) {
        List<String> locations = new ArrayList<>();
        locations.add(dialect.migrations());
        locations.addAll(extraLocations);
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(locations.toArray(String[]::new))
                .javaMigrations(javaMigrations())
                // All pending migrations in one transaction: SQLite's and PostgreSQL's DDL are transactional,
                // so a failure anywhere leaves the database as it was.
                .group(true);
    }

    private static Path backupPath(Path file, Clock clock) {
        return file.resolveSibling("invokeai_backup_" + LocalDateTime.now(clock).format(BACKUP_STAMP) + ".db");
    }

    private static HikariConfig poolConfig(Path file) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("invokeai-db");
        config.setJdbcUrl("jdbc:sqlite:" + file);
        // Driver properties apply to every pooled connection (connectionInitSql would run only its
        // first statement under sqlite-jdbc).
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "NORMAL");
        config.addDataSourceProperty("busy_timeout", "5000");
        config.addDataSourceProperty("foreign_keys", "true");
        // Deferred transactions under WAL fail with SQLITE_BUSY_SNAPSHOT on read-then-write; IMMEDIATE
        // takes the write lock at BEGIN.
        config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        return config;
    }

    /** Brings the schema up to date; returns the pre-migration copy, when one was made. */
    private static Path migrate(Path file, HikariDataSource dataSource, Clock clock, List<String> extraLocations) {
        Flyway flyway = flyway(dataSource, SqlDialect.SQLITE, extraLocations).load();
        MigrationInfoService info = flyway.info();
        Path backup = null;
        if (info.applied().length > 0 && info.pending().length > 0) {
            backup = backupPath(file, clock);
            // Created empty and owner-only first (VACUUM INTO accepts an empty file): the copy holds the secrets too.
            PrivateFiles.create(backup);
            copy(dataSource, backup);
            LOG.info("Copied the database to " + backup + " before applying " + info.pending().length
                    + " pending migration(s)");
        }
        try {
            var result = flyway.migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("Database " + file + " migrated to schema version " + result.targetSchemaVersion
                        + " (" + result.migrationsExecuted + " migration(s) applied)");
            }
        } catch (RuntimeException e) {
            String where = backup == null ? "" : " A copy made before migrating is at " + backup + ".";
            throw new MigrationException("Database migration of " + file + " failed: " + rootMessage(e)
                    + ". The database was left as it was." + where
                    + " Run with --log-level DEBUG for the full error.", e);
        }
        return backup;
    }

    private static JavaMigration[] javaMigrations() {
        return new JavaMigration[] {new V2__Create_jwt_secret()};
    }

    /** A consistent copy, also while another process (a CLI, a running server) uses the file. */
    private static void copy(HikariDataSource dataSource, Path target) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
            vacuum.setString(1, target.toString());
            vacuum.execute();
        } catch (SQLException e) {
            throw new MigrationException("Could not copy the database to " + target
                    + " before migrating, so nothing was migrated: " + e.getMessage(), e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }

    /** Where the database is. */
    public DatabaseLocation location() {
        return location;
    }

    /** How the repositories' SQL is written for this database. */
    public SqlDialect dialect() {
        return location.dialect();
    }

    /** The SQLite file; there is none with PostgreSQL. */
    public Path file() {
        if (location instanceof DatabaseLocation.SqliteFile sqlite) {
            return sqlite.file();
        }
        throw new IllegalStateException("A PostgreSQL database has no file: " + location.describe());
    }

    /** The copy written before this start's migrations, if there were migrations to apply (SQLite only). */
    public Optional<Path> backup() {
        return Optional.ofNullable(backup);
    }

    /** Plain JDBC connections from the pool, for the copy between databases. */
    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Runs reads outside any transaction; each statement sees the latest committed state. */
    public <T> T read(Function<DbExecute, T> work) {
        return work.apply(client.execute());
    }

    /**
     * Runs {@code work} in one transaction, one write at a time (SQLite: IMMEDIATE, under the process-wide
     * write lock; PostgreSQL: under the advisory lock {@link #WRITE_ORDER}). It
     * commits when {@code work} returns and rolls back when it throws. Keep file and network I/O out of
     * {@code work}.
     */
    public <T> T write(Function<DbTransaction, T> work) {
        if (writeLock == null) {
            return inTransaction(tx -> {
                tx.get("SELECT pg_advisory_xact_lock(?) AS locked", WRITE_ORDER);
                return work.apply(tx);
            });
        }
        writeLock.lock();
        try {
            return inTransaction(work);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs {@code work} in one transaction beside other writes: with PostgreSQL without the advisory lock
     * {@link #WRITE_ORDER}, so that it neither waits for nor holds up the other writes of every process;
     * {@code work} keeps itself consistent with the row locks it takes ({@code FOR UPDATE SKIP LOCKED}).
     * Only claims of queue items and lease renewals run so. With SQLite, where one writer is all there
     * is, it is {@link #write}.
     */
    public <T> T writeWithRowLocks(Function<DbTransaction, T> work) {
        return writeLock == null ? inTransaction(work) : write(work);
    }

    private <T> T inTransaction(Function<DbTransaction, T> work) {
        DbTransaction tx = client.transaction();
        T result;
        try {
            result = work.apply(tx);
        } catch (RuntimeException | Error e) {
            rollbackQuietly(tx, e);
            throw e;
        }
        tx.commit();
        return result;
    }

    private static void rollbackQuietly(DbTransaction tx, Throwable cause) {
        try {
            tx.rollback();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** Closes every connection; with SQLite, checkpoints the WAL into the main file first. */
    @Override
    public void close() {
        if (writeLock == null) {
            if (!dataSource.isClosed()) {
                client.close();
                dataSource.close();
            }
            return;
        }
        writeLock.lock();
        try {
            if (dataSource.isClosed()) {
                return;
            }
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException e) {
                LOG.warning(() -> "Could not checkpoint the database on close: " + e.getMessage());
            }
            client.close();
            dataSource.close();
        } finally {
            writeLock.unlock();
        }
    }
}
