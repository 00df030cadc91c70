package org.invokej.launcher;

import org.invokej.core.content.BoardImageService;
import org.invokej.core.content.BoardService;
import org.invokej.core.content.ImageFiles;
import org.invokej.core.content.ImageService;
import org.invokej.core.content.WorkflowService;
import org.invokej.core.queue.QueueOwners;
import org.invokej.persistence.DiskImageFiles;

import java.nio.file.Path;
import java.time.Clock;

/** What users make and keep: boards, images (files on disk plus their rows) and workflows. */
record ContentParts(BoardService boards, BoardImageService boardImages, ImageService images, WorkflowService workflows) {

    static ContentParts assemble(Path root, InvokeConfig config, Repositories repositories, QueueOwners owners, Clock clock) {
        ImageFiles files = new DiskImageFiles(config.imagesDir(root));
        BoardService boards = new BoardService(repositories.transactions(), repositories.boards(), repositories.images(), files,
                repositories.users(), config.multiuser());
        BoardImageService boardImages = new BoardImageService(repositories.transactions(), repositories.boards(), repositories.images());
        ImageService images = new ImageService(repositories.transactions(), repositories.images(), repositories.boards(),
                owners, files, config.maxImagePixels());
        WorkflowService workflows = new WorkflowService(repositories.transactions(), repositories.workflows(), clock, config.multiuser());
        return new ContentParts(boards, boardImages, images, workflows);
    }
}
