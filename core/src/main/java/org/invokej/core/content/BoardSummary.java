package org.invokej.core.content;

/**
 * A board as listings show it, with what is computed from its images: the cover (newest
 * non-intermediate image, starred first), the counts of general images and of assets (intermediates not
 * counted), and the owner's name (only for administrators' listings in multi-user mode).
 */
public record BoardSummary(Board board, String coverImageName, int imageCount, int assetCount, String ownerName) {

    public BoardSummary withOwnerName(String name) {
        return new BoardSummary(board, coverImageName, imageCount, assetCount, name);
    }
}
