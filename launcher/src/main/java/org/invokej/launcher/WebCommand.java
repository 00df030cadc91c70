package org.invokej.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code invokej web} (also {@code invokeai-web}): runs the server until it is stopped. */
@Command(name = "web",
        mixinStandardHelpOptions = true,
        description = {"Starts the InvokeJ server and runs it until stopped (Ctrl-C or SIGTERM).",
                "The root directory is --root, else $INVOKEAI_ROOT, else the parent of $VIRTUAL_ENV, else ~/invokeai."})
final class WebCommand implements Callable<Integer> {

    @Option(names = {"--root", "-r"}, paramLabel = "DIR", description = "Root directory (created on first start).")
    private String root;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (default 127.0.0.1; 0.0.0.0 for the LAN).")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default 9090; 0 for any free port).")
    private String port;

    @Option(names = "--multiuser", description = "Accounts with logins (the first visit creates the administrator); also INVOKEAI_MULTIUSER=true or multiuser: true.")
    private boolean multiuser;

    @Option(names = "--no-worker", description = "Run no generation worker in this process: `invokej worker` processes generate (also workers_in_process: 0).")
    private boolean noWorker;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "debug, info, warning, error or critical (default info).")
    private String logLevel;

    @Option(names = "--web-ui-dir", paramLabel = "DIR",
            description = "A built InvokeAI web UI to serve instead of the built-in UI (its frontend/web/dist folder).")
    private String webUiDir;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> flags = new LinkedHashMap<>();
        Optional.ofNullable(host).ifPresent(value -> flags.put("host", value));
        Optional.ofNullable(port).ifPresent(value -> flags.put("port", value));
        Optional.ofNullable(logLevel).ifPresent(value -> flags.put("log_level", value));
        Optional.ofNullable(webUiDir).ifPresent(value -> flags.put("web_ui_dir", value));
        if (multiuser) {
            flags.put("multiuser", "true");
        }
        if (noWorker) {
            flags.put("workers_in_process", "0");
        }
        ConsoleLogging.configure(logLevel != null ? logLevel : "info");

        Path rootDir = RootDirectory.resolve(Optional.ofNullable(root));
        InvokeConfig config = new ConfigLoader(System.getenv(), java.util.logging.Logger.getLogger(WebCommand.class.getName())::warning)
                .load(rootDir, flags);
        LogHandlers logOutputs = config.logOutputs(rootDir);
        ConsoleLogging.configure(config.logLevel(), logOutputs);
        logOutputs.ignored().forEach(handler -> java.util.logging.Logger.getLogger(WebCommand.class.getName()).warning(
                "Ignoring the log handler '" + handler + "' (log_handlers): InvokeJ logs to the console and to file=PATH only"));

        InvokeServer server = InvokeServer.builder().root(rootDir).config(config).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("Stopping InvokeJ: finishing requests in flight, then closing the database…");
            server.stop();
            System.err.println("InvokeJ stopped.");
            stopped.countDown();
        }, "invokej-shutdown"));
        System.out.println("InvokeJ is running at " + server.uri() + " (root " + server.root() + ")");
        StartupNotes.of(server.config(), server.uri(), server.setupPending(), LanAddresses.find()).forEach(System.out::println);
        System.out.flush();
        stopped.await();
        return 0;
    }
}
