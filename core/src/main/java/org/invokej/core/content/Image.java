package org.invokej.core.content;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A row of {@code images} with the board it is on ({@code null}: uncategorized). The metadata JSON is
 * read separately, only where a route returns it.
 *
 * @param subfolder the folder below the images folder the file lives in ("" for ours; InvokeAI's
 *                  {@code image_subfolder_strategy} may have set others)
 */
public record Image(String imageName, ImageOrigin origin, ImageCategory category, int width, int height,
                    String sessionId, String nodeId, boolean intermediate, boolean starred, boolean hasWorkflow,
                    String subfolder, String ownerId, String boardId, Instant createdAt, Instant updatedAt) {

    /** Names the server makes: a lower-case UUID and {@code .png}. Anything else never names a file. */
    private static final Pattern NAME = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.png");

    public Image {
        Objects.requireNonNull(imageName, "imageName");
        Objects.requireNonNull(ownerId, "ownerId");
    }

    /** Whether {@code name} has the form of a name this server makes (so it is safe in a file path). */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The name without {@code .png}. */
    public String stem() {
        return imageName.substring(0, imageName.length() - ".png".length());
    }

    public Image withBoard(String board) {
        return new Image(imageName, origin, category, width, height, sessionId, nodeId, intermediate, starred, hasWorkflow,
                subfolder, ownerId, board, createdAt, updatedAt);
    }
}
