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

    /** This image with the mutable fields changed; null arguments keep the current values. */
    public Image with(ImageCategory newCategory, String newSessionId, Boolean newIntermediate, Boolean newStarred) {
        return new Image(imageName, origin, newCategory != null ? newCategory : category, width, height,
                newSessionId != null ? newSessionId : sessionId, nodeId,
                newIntermediate != null ? newIntermediate : intermediate, newStarred != null ? newStarred : starred,
                hasWorkflow, subfolder, ownerId, boardId, createdAt, updatedAt);
    }
}
