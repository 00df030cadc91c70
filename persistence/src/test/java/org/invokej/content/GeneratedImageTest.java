package org.invokej.content;

import org.invokej.core.DomainException;
import org.invokej.core.content.BoardService;
import org.invokej.core.content.BoardVisibility;
import org.invokej.core.content.Image;
import org.invokej.core.content.ImageCategory;
import org.invokej.core.content.ImageOrigin;
import org.invokej.core.content.ImageService;
import org.invokej.core.queue.QueueOwners;
import org.invokej.core.content.PngFile;
import org.invokej.core.store.Transactions;
import org.invokej.core.users.User;
import org.invokej.persistence.Database;
import org.invokej.persistence.DiskImageFiles;
import org.invokej.persistence.SqlBoardRepository;
import org.invokej.persistence.SqlImageRepository;
import org.invokej.persistence.SqlTransactions;
import org.invokej.persistence.SqlUserRepository;
import org.invokej.testing.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ImageService#storeGenerated}: what the queue calls for each finished image, against the real database and disk. */
class GeneratedImageTest {

    private static final String GRAPH = "{\"id\":\"g\",\"nodes\":{},\"edges\":[]}";

    @TempDir
    Path root;
    private Database database;
    private ImageService images;
    private BoardService boards;
    private User owner;
    private User other;

    @BeforeEach
    void open() {
        database = Database.open(root.resolve("invokeai.db"), Clock.systemUTC());
        Transactions transactions = new SqlTransactions(database);
        SqlUserRepository users = new SqlUserRepository();
        SqlBoardRepository boardRepository = new SqlBoardRepository();
        SqlImageRepository imageRepository = new SqlImageRepository();
        DiskImageFiles files = new DiskImageFiles(root.resolve("images"));
        images = new ImageService(transactions, imageRepository, boardRepository, new QueueOwners(transactions, users, true), files, 1_000_000);
        boards = new BoardService(transactions, boardRepository, imageRepository, files, users, true);
        owner = user(transactions, users, "owner", true);
        other = user(transactions, users, "other", true);
    }

    private static User user(Transactions transactions, SqlUserRepository users, String id, boolean active) {
        return transactions.write(tx -> {
            users.insert(tx, new User(id, id + "@test.com", id, "x", false, active, null, null, null, 0));
            return users.find(tx, id).orElseThrow();
        });
    }

    @AfterEach
    void close() {
        database.close();
    }

    private ImageService.Generated generated(String ownerId, String boardId) {
        return new ImageService.Generated(ownerId, new java.awt.image.BufferedImage(64, 32, java.awt.image.BufferedImage.TYPE_INT_RGB), "{\"seed\":7}", null, GRAPH, boardId, "session-1",
                "node-1", ImageCategory.GENERAL, false);
    }

    @Test
    void storesTheImageForItsOwnerWithItsJson() throws IOException {
        Image image = images.storeGenerated(generated(owner.userId(), null));
        assertEquals(owner.userId(), image.ownerId());
        assertEquals(ImageOrigin.INTERNAL, image.origin());
        assertEquals("session-1", image.sessionId());
        assertEquals("node-1", image.nodeId());
        assertEquals(64, image.width());
        assertTrue(image.hasWorkflow(), "a graph counts as a workflow");
        assertEquals("{\"seed\":7}", images.metadata(owner.actor(), image.imageName()).orElseThrow());
        try (InputStream in = Files.newInputStream(root.resolve("images").resolve(image.imageName()))) {
            Map<String, String> text = PngFile.readText(in);
            assertEquals(GRAPH, text.get("invokeai_graph"));
            assertEquals("{\"seed\":7}", text.get("invokeai_metadata"));
        }
        assertTrue(Files.exists(root.resolve("images/thumbnails").resolve(image.stem() + ".png")));
    }

    @Test
    void aBoardMustBeWritableByTheOwner() throws IOException {
        String own = boards.create(owner.actor(), "own").board().boardId();
        assertEquals(own, images.storeGenerated(generated(owner.userId(), own)).boardId());

        String foreign = boards.create(other.actor(), "foreign").board().boardId();
        boards.update(other.actor(), foreign, new BoardService.Changes(null, null, null, BoardVisibility.SHARED));
        List<Path> before = files();
        DomainException refused = assertThrows(DomainException.class, () -> images.storeGenerated(generated(owner.userId(), foreign)));
        assertEquals(DomainException.Kind.FORBIDDEN, refused.kind());
        assertEquals(before, files(), "nothing written for a refused image");

        boards.update(other.actor(), foreign, new BoardService.Changes(null, null, null, BoardVisibility.PUBLIC));
        assertEquals(foreign, images.storeGenerated(generated(owner.userId(), foreign)).boardId());
        assertEquals(DomainException.Kind.NOT_FOUND, assertThrows(DomainException.class,
                () -> images.storeGenerated(generated(owner.userId(), "no-board"))).kind());
    }

    @Test
    void anUnknownOrInactiveOwnerIsRefused() {
        assertEquals(DomainException.Kind.FORBIDDEN, assertThrows(DomainException.class,
                () -> images.storeGenerated(generated("nobody", null))).kind());
        Transactions transactions = new SqlTransactions(database);
        User inactive = user(transactions, new SqlUserRepository(), "inactive", false);
        assertEquals(DomainException.Kind.FORBIDDEN, assertThrows(DomainException.class,
                () -> images.storeGenerated(generated(inactive.userId(), null))).kind());
    }

    private List<Path> files() throws IOException {
        Path dir = root.resolve("images");
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
