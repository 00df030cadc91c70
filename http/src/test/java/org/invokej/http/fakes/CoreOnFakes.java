package org.invokej.http.fakes;

import org.invokej.core.Actor;
import org.invokej.core.audit.Auditor;
import org.invokej.core.auth.ApiKeys;
import org.invokej.core.auth.LoginThrottle;
import org.invokej.core.auth.Sessions;
import org.invokej.core.content.BoardImageService;
import org.invokej.core.content.BoardService;
import org.invokej.core.content.ContentTransfer;
import org.invokej.core.content.ImageService;
import org.invokej.core.content.WorkflowService;
import org.invokej.core.models.HashAlgorithm;
import org.invokej.core.models.ModelArchive;
import org.invokej.core.models.ModelConfig;
import org.invokej.core.models.ModelFacts;
import org.invokej.core.models.ModelHasher;
import org.invokej.core.models.ModelInstaller;
import org.invokej.core.models.ModelService;
import org.invokej.core.models.ModelStorage;
import org.invokej.core.models.OnnxExports;
import org.invokej.core.queue.PublishedQueueEvents;
import org.invokej.core.queue.LostItems;
import org.invokej.core.queue.QueueDispatcher;
import org.invokej.core.queue.QueueOwners;
import org.invokej.core.queue.QueueEvents;
import org.invokej.core.queue.QueueScheduler;
import org.invokej.core.queue.QueueService;
import org.invokej.core.users.BcryptPasswordHasher;
import org.invokej.core.users.User;
import org.invokej.core.users.UserAccessListeners;
import org.invokej.core.users.UserService;
import org.invokej.http.auth.JwtTokenCodec;
import org.invokej.testing.TestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;

/**
 * The real core services, assembled as the launcher assembles them, on in-memory fakes of their ports:
 * the store, the image files (a temporary folder), the graph checker, the session runner, the model
 * inspector and the event sink. Nothing here knows HTTP; {@code RouteTestServer} puts the API in front.
 */
public final class CoreOnFakes implements AutoCloseable {

    /** Node types {@link KnownNodeTypes} accepts in route tests. */
    public static final Set<String> NODE_TYPES = Set.of("string", "integer", "main_model_loader");
    /** The most items the queue holds, and per user waiting, in route tests: small, so the limits are reachable. */
    public static final int MAX_QUEUE = 12;
    public static final int MAX_PENDING_PER_USER = 5;

    public final boolean multiuser;
    public final TickingClock clock = new TickingClock();
    public final MemoryStore store = new MemoryStore();
    public final MemoryUsers userRepository;
    public final MemoryAuditLog auditLog;
    public final MemoryImages imageRepository;
    public final MemoryBoards boardRepository;
    public final MemoryWorkflows workflowRepository;
    public final MemoryQueue queueRepository;
    public final MemoryModelRecords modelRecords;
    public final RecordingEvents events = new RecordingEvents();
    public final Path folder;

    public final BcryptPasswordHasher hasher;
    public final ContentTransfer transfers;
    public final UserService users;
    public final Sessions sessions;
    public final MemoryApiKeys apiKeyRepository;
    public final ApiKeys apiKeys;
    public final BoardService boards;
    public final BoardImageService boardImages;
    public final ImageService images;
    public final WorkflowService workflows;
    public final ModelService models;
    public final ModelInstaller installer;
    public final OnnxExports exports;
    public final MemoryLoadedModels loadedModels = new MemoryLoadedModels();
    public final QueueDispatcher dispatcher;
    public final QueueService queue;

    private CoreOnFakes(boolean multiuser) {
        this.multiuser = multiuser;
        try {
            this.folder = Files.createTempDirectory("invokej-routes");
            Files.createDirectories(folder.resolve("images"));
            Files.createDirectories(folder.resolve("models"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        userRepository = new MemoryUsers(store, clock);
        auditLog = new MemoryAuditLog(store);
        imageRepository = new MemoryImages(store, clock);
        boardRepository = new MemoryBoards(store, imageRepository, clock);
        workflowRepository = new MemoryWorkflows(store, clock);
        queueRepository = new MemoryQueue(store, userRepository, clock);
        modelRecords = new MemoryModelRecords(store);

        Auditor auditor = new Auditor(auditLog, clock);
        // bcrypt's lowest cost: a real hash, checked for real, in about a millisecond
        hasher = new BcryptPasswordHasher(4, 1);
        transfers = new ContentTransfer(store, boardRepository, imageRepository, workflowRepository, userRepository, auditor);
        UserAccessListeners accessListeners = new UserAccessListeners();
        users = new UserService(store, userRepository, hasher, auditor, accessListeners,
                new UserService.Settings(multiuser, false), transfers);
        apiKeyRepository = new MemoryApiKeys(store, userRepository);
        apiKeys = new ApiKeys(store, apiKeyRepository, userRepository, auditor, clock);
        sessions = new Sessions(store, userRepository, new MemoryRevokedTokens(store),
                new JwtTokenCodec("route-tests-secret-of-at-least-32-bytes", clock), hasher,
                new LoginThrottle(clock, new LoginThrottle.Limits(5, Duration.ofSeconds(60), Duration.ofSeconds(60))),
                auditor, clock, multiuser, apiKeys, store);
        TempDirImageFiles files = new TempDirImageFiles(folder.resolve("images"));
        boards = new BoardService(store, boardRepository, imageRepository, files, userRepository, multiuser);
        boardImages = new BoardImageService(store, boardRepository, imageRepository);
        QueueOwners owners = new QueueOwners(store, userRepository, multiuser);
        images = new ImageService(store, imageRepository, boardRepository, owners, files, 4096L * 4096L);
        workflows = new WorkflowService(store, workflowRepository, clock, multiuser);
        MemoryOnnxExportLinks exportLinks = new MemoryOnnxExportLinks(store);
        models = new ModelService(store, modelRecords, userRepository, new ModelStorage(folder.resolve("models")),
                () -> List.of("ddim", "euler", "dpmpp_2m_k"), exportLinks); // a few of InvokeAI's names; the engine's list is in inference
        exports = new OnnxExports(store, models, exportLinks, new RefusingInspector());
        installer = new ModelInstaller(models, new RefusingInspector(), new ModelHasher(HashAlgorithm.BLAKE3_SINGLE),
                ModelArchive.Limits.DEFAULT, events, clock);
        QueueEvents queueEvents = new PublishedQueueEvents(store, queueRepository, events);
        // Never started: items stay pending, so counts and limits are what the requests made them.
        MemoryQueueClaims claims = new MemoryQueueClaims(store, queueRepository);
        dispatcher = new QueueDispatcher(store, queueRepository, claims, new LostItems(store, queueRepository, claims, queueEvents, clock, false),
                Optional.empty(), new QueueDispatcher.Settings(QueueScheduler.Mode.ROUND_ROBIN, multiuser, Duration.ofSeconds(1)));
        queue = new QueueService(store, queueRepository, new KnownNodeTypes(NODE_TYPES), models::usage, queueEvents, dispatcher,
                new QueueService.Settings(MAX_QUEUE, MAX_PENDING_PER_USER, Integer.MAX_VALUE)); // batch size: the integration tests
    }

    public static CoreOnFakes multiuser() {
        return new CoreOnFakes(true);
    }

    public static CoreOnFakes singleUser() {
        return new CoreOnFakes(false);
    }

    /** A new active account (made through the user service, as an administrator would). */
    public User addUser(String email, String password, boolean admin) {
        return users.create(Actor.SYSTEM, new UserService.NewAccount(email, email.substring(0, email.indexOf('@')), password, admin), "test");
    }

    /** A new account with a client that calls as them; the email is unique, so test methods don't meet. */
    public TestUser caller(TestClient anonymous, String name, boolean admin) {
        User user = addUser(name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com",
                "Route-Test-Password-1", admin);
        return new TestUser(user, anonymous.withToken(token(user)));
    }

    /**
     * A model as an install records it (the files are a folder with nothing in it: the route tests never
     * generate); without its folder when {@code withFiles} is false, as after someone deleted it.
     */
    public ModelConfig recordModel(String name, boolean withFiles) {
        String key = UUID.randomUUID().toString();
        ModelConfig model = ModelConfig.installed(key, "blake3:" + key, key, 0, name,
                null, "/models/" + name, new ModelFacts("sd-1", "epsilon", "normal"), null, null);
        if (withFiles) {
            try {
                Files.createDirectories(models.folderOf(model));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        store.write(tx -> {
            modelRecords.insert(tx, model);
            return null;
        });
        return model;
    }

    /** A session token for {@code user}, as a login would give. */
    public String token(User user) {
        return sessions.mint(user, false);
    }

    @Override
    public void close() {
        dispatcher.close();
        installer.close();
        hasher.close();
        ModelStorage.deleteTree(folder);
    }
}
