package org.invokej.launcher;

import org.invokej.core.events.EventSink;
import org.invokej.core.events.OutboxEventSink;
import org.invokej.core.models.ModelService;
import org.invokej.core.models.ModelStorage;
import org.invokej.core.queue.LostItems;
import org.invokej.core.queue.PublishedQueueEvents;
import org.invokej.core.queue.QueueClaims;
import org.invokej.core.queue.QueueEvents;
import org.invokej.core.queue.QueueOwners;
import org.invokej.core.queue.QueueWorker;
import org.invokej.http.Json;
import org.invokej.inference.graph.nodes.NodeTypes;
import org.invokej.inference.schedulers.SchedulerName;
import org.invokej.persistence.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code invokej worker}: a generation worker in a process of its own (one per GPU), beside a web server
 * on the same root. It claims items from the shared queue in the queue's order, runs them with the same
 * engine as the web server's own worker, and publishes its events through the database, from where the
 * web server delivers them to its sockets. SIGTERM lets the running item finish (up to {@code --grace}),
 * then gives it back.
 */
@Command(name = "worker",
        mixinStandardHelpOptions = true,
        description = {"Runs a generation worker: claims queue items and generates them, until stopped (Ctrl-C or SIGTERM).",
                "Start the web server with --no-worker (or workers_in_process: 0) to leave all generation to workers.",
                "On SQLite every worker must run on the root's own host; several hosts need PostgreSQL."})
final class WorkerCommand implements Callable<Integer> {

    @Option(names = {"--root", "-r"}, paramLabel = "DIR", description = "Root directory of the web server whose queue to work on.")
    private String root;

    @Option(names = "--device", paramLabel = "DEVICE", description = "auto, cpu, cuda or cuda:N (default: the device setting).")
    private String device;

    @Option(names = "--multiuser", description = "As the web server's --multiuser (better: multiuser: true in invokeai.yaml, which both read).")
    private boolean multiuser;

    @Option(names = "--id", paramLabel = "ID", description = "This worker's name in health and logs (default: <host>/<device>/<pid>).")
    private String id;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "60",
            description = "On SIGTERM, how long the running item may take to finish before it is given back (default: ${DEFAULT-VALUE}).")
    private int grace;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "debug, info, warning, error or critical (default info).")
    private String logLevel;

    @Override
    public Integer call() throws InterruptedException {
        if (grace < 0) {
            throw new ConfigException("--grace must not be negative");
        }
        Map<String, String> flags = new LinkedHashMap<>();
        Optional.ofNullable(device).ifPresent(value -> flags.put("device", value));
        Optional.ofNullable(logLevel).ifPresent(value -> flags.put("log_level", value));
        if (multiuser) {
            flags.put("multiuser", "true");
        }
        ConsoleLogging.configure(logLevel != null ? logLevel : "info");
        Path rootDir = RootDirectory.resolve(Optional.ofNullable(root));
        if (!java.nio.file.Files.isDirectory(rootDir)) {
            throw new ConfigException("The root " + rootDir + " does not exist; start the web server on it first (invokej web --root " + rootDir + ")");
        }
        InvokeConfig config = new ConfigLoader(System.getenv(), java.util.logging.Logger.getLogger(WorkerCommand.class.getName())::warning)
                .load(rootDir, flags);
        ConsoleLogging.configure(config.logLevel());

        Clock clock = Clock.systemUTC();
        CloseStack closer = new CloseStack();
        QueueWorker worker;
        try {
            Repositories repositories = Repositories.of(closer.add(Database.open(config.databaseLocation(rootDir), clock)));
            SharedFolders.check(rootDir, config, config.databaseLocation(rootDir), repositories);
            String host = QueueParts.hostName();
            long pid = ProcessHandle.current().pid();
            QueueClaims.Worker identity = new QueueClaims.Worker(id != null ? id : host + "/" + config.device() + "/" + pid,
                    config.device(), host, pid);
            refuseTwin(repositories, identity, config, clock);
            Json json = new Json();
            EventSink events = new OutboxEventSink(repositories.transactions(), repositories.outbox(), clock, json::text);
            QueueOwners owners = new QueueOwners(repositories.transactions(), repositories.users(), config.multiuser());
            // The model records only: installing, and cleaning up installs, is the web server's.
            ModelService models = new ModelService(repositories.transactions(), repositories.models(), repositories.users(),
                    new ModelStorage(config.modelsPath(rootDir)), SchedulerName::invokeNames, repositories.modelExports());
            ContentParts content = ContentParts.assemble(rootDir, config, repositories, owners, events, clock);
            EngineParts engine = closer.add(EngineParts.assemble(config, NodeTypes.standard().withLimits(config.graphLimits()), owners,
                    models, content, json));
            QueueEvents queueEvents = new PublishedQueueEvents(repositories.transactions(), repositories.queue(), events);
            LostItems lost = QueueParts.lostItems(config, repositories, queueEvents, clock);
            worker = QueueParts.worker(config, repositories, owners, engine.runner(), queueEvents, lost, identity, clock);
            worker.start();
        } catch (RuntimeException e) {
            closer.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("Stopping the worker " + worker.identity().workerId() + ": finishing its item (up to " + grace + " s)…");
            worker.drain(Duration.ofSeconds(grace));
            closer.close();
            System.err.println("Worker stopped.");
            stopped.countDown();
        }, "invokej-worker-shutdown"));
        System.out.println("InvokeJ worker " + worker.identity().workerId() + " runs on " + config.device() + " for the root " + rootDir);
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** Two live workers with one name would take each other's items for their own. */
    private static void refuseTwin(Repositories repositories, QueueClaims.Worker identity, InvokeConfig config, Clock clock) {
        Instant freshSince = clock.instant().minusSeconds(config.workerLeaseSeconds());
        repositories.transactions().read(tx -> repositories.claims().worker(tx, identity.workerId()))
                .filter(state -> state.running() && state.lastSeenAt().isAfter(freshSince))
                .ifPresent(state -> {
                    throw new ConfigException("A worker named " + identity.workerId() + " is already running (pid " + state.pid()
                            + " on " + state.host() + "); give this one another --id");
                });
    }
}
