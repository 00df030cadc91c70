package org.invokej.http.content;

import org.invokej.core.content.Image;
import org.invokej.http.ApiTimes;

/** InvokeAI's {@code ImageDTO}, fields in its order; URLs are relative, without a leading slash. */
public record ImageDto(
        String imageName,
        String imageUrl,
        String thumbnailUrl,
        String imageOrigin,
        String imageCategory,
        int width,
        int height,
        String createdAt,
        String updatedAt,
        String deletedAt,
        boolean isIntermediate,
        String sessionId,
        String nodeId,
        boolean starred,
        boolean hasWorkflow,
        String imageSubfolder,
        String boardId) {

    public static ImageDto of(Image image) {
        return new ImageDto(image.imageName(), fullUrl(image.imageName()), thumbnailUrl(image.imageName()),
                image.origin().wire(), image.category().wire(), image.width(), image.height(),
                ApiTimes.sqlite(image.createdAt()), ApiTimes.sqlite(image.updatedAt()), null, image.intermediate(),
                image.sessionId(), image.nodeId(), image.starred(), image.hasWorkflow(), image.subfolder(), image.boardId());
    }

    static String fullUrl(String imageName) {
        return "api/v1/images/i/" + imageName + "/full";
    }

    static String thumbnailUrl(String imageName) {
        return "api/v1/images/i/" + imageName + "/thumbnail";
    }

    /** InvokeAI's {@code ImageUrlsDTO}. */
    public record Urls(String imageName, String imageUrl, String thumbnailUrl) {
        static Urls of(String imageName) {
            return new Urls(imageName, ImageDto.fullUrl(imageName), ImageDto.thumbnailUrl(imageName));
        }
    }
}
