package org.invokej.launcher;

import org.invokej.core.content.BoardImageService;
import org.invokej.core.content.BoardService;
import org.invokej.core.content.ImageFiles;
import org.invokej.core.content.ImageService;
import org.invokej.core.content.WorkflowService;
import org.invokej.core.events.EventSink;
import org.invokej.core.queue.QueueOwners;
import org.invokej.persistence.DiskImageFiles;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.logging.Logger;

/** What users make and keep: boards, images (files on disk plus their rows) and workflows. */
record ContentParts(BoardService boards, BoardImageService boardImages, ImageService images, WorkflowService workflows) {

    private static final Logger LOG = Logger.getLogger(ContentParts.class.getName());

    static ContentParts assemble(Path root, InvokeConfig config, Repositories repositories, QueueOwners owners, EventSink events,
                                 Clock clock) {
        ImageFiles files = new DiskImageFiles(config.imagesDir(root));
        BoardService boards = new BoardService(repositories.transactions(), repositories.boards(), repositories.images(), files,
                repositories.users(), config.multiuser());
        BoardImageService boardImages = new BoardImageService(repositories.transactions(), repositories.boards(), repositories.images());
        ImageService images = new ImageService(repositories.transactions(), repositories.images(), repositories.boards(),
                owners, files, config.maxImagePixels());
        WorkflowService workflows = new WorkflowService(repositories.transactions(), repositories.workflows(), clock, config.multiuser(),
                events);
        return new ContentParts(boards, boardImages, images, workflows);
    }

    /** Settles the image files a killed process had staged, before anything reads or writes images; logs how many. */
    void settleCrashLeftovers() {
        ImageService.Settled settled = images.settleLeftovers();
        if (settled.movedIntoPlace() + settled.removed() > 0) {
            LOG.warning(() -> "Image files a killed process left half-written: " + settled.removed()
                    + " removed (never acknowledged), " + settled.movedIntoPlace() + " moved into place (their rows were committed)");
        }
    }

    /** Images listed without their file (e.g. an InvokeAI root pruned by hand) stay listed; says how many. */
    void reportMissingFiles(Path imagesDir) {
        List<String> missing = images.missingFiles();
        if (!missing.isEmpty()) {
            LOG.warning(() -> missing.size() + " image(s) in the database have no file in " + imagesDir + " (e.g. "
                    + missing.getFirst() + "); they stay listed and answer 404 when opened");
        }
    }
}
