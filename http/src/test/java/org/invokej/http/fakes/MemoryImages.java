package org.invokej.http.fakes;

import org.invokej.core.content.BoardFilter;
import org.invokej.core.content.Image;
import org.invokej.core.content.ImageRepository;
import org.invokej.core.store.Tx;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code images} and {@code board_images} in memory: an image's board is its row's {@code boardId}. */
public final class MemoryImages implements ImageRepository {

    private record Row(Image image, String metadata) {
    }

    private final MemoryStore.Table<String, Row> images;
    private final Clock clock;

    public MemoryImages(MemoryStore store, Clock clock) {
        this.images = store.table();
        this.clock = clock;
    }

    @Override
    public void insert(Tx tx, Image image, String metadata) {
        if (images.rows().containsKey(image.imageName())) {
            throw new IllegalStateException("UNIQUE constraint failed: images.image_name");
        }
        Instant now = clock.instant();
        images.rows().put(image.imageName(), new Row(stamped(image, image.boardId(), now, now), metadata));
    }

    @Override
    public Optional<Image> find(Tx tx, String imageName) {
        return Optional.ofNullable(images.rows().get(imageName)).map(Row::image);
    }

    @Override
    public List<Image> findAll(Tx tx, Collection<String> imageNames) {
        return imageNames.stream().distinct().map(name -> find(tx, name)).flatMap(Optional::stream).toList();
    }

    @Override
    public Optional<String> metadata(Tx tx, String imageName) {
        return Optional.ofNullable(images.rows().get(imageName)).map(Row::metadata);
    }

    @Override
    public Page list(Tx tx, Query query, int offset, int limit) {
        List<Image> all = matching(query).toList();
        return new Page(all.stream().skip(offset).limit(limit < 0 ? Long.MAX_VALUE : limit).toList(), all.size());
    }

    @Override
    public List<String> names(Tx tx, Query query) {
        return matching(query).map(Image::imageName).toList();
    }

    @Override
    public long countStarred(Tx tx, Query query) {
        return matching(query).filter(Image::starred).count();
    }

    private Stream<Image> matching(Query query) {
        Comparator<Image> order = Comparator.comparing(Image::createdAt).thenComparing(Image::imageName);
        if (!query.ascending()) {
            order = order.reversed();
        }
        if (query.starredFirst()) {
            order = Comparator.comparing((Image image) -> !image.starred()).thenComparing(order);
        }
        return images.rows().values().stream()
                .filter(row -> query.origin() == null || row.image().origin() == query.origin())
                .filter(row -> query.categories().isEmpty() || query.categories().contains(row.image().category()))
                .filter(row -> query.intermediate() == null || row.image().intermediate() == query.intermediate())
                .filter(row -> switch (query.board()) {
                    case BoardFilter.Any any -> true;
                    case BoardFilter.Uncategorized none -> row.image().boardId() == null;
                    case BoardFilter.On on -> on.boardId().equals(row.image().boardId());
                })
                .filter(row -> query.owner().map(owner -> owner.equals(row.image().ownerId())).orElse(true))
                .filter(row -> query.createdDate() == null
                        || row.image().createdAt().atZone(java.time.ZoneOffset.UTC).toLocalDate().equals(query.createdDate()))
                .filter(row -> query.searchTerm() == null || query.searchTerm().isBlank()
                        || (row.metadata() != null && row.metadata().toLowerCase(Locale.ROOT).contains(query.searchTerm().toLowerCase(Locale.ROOT))))
                .map(Row::image)
                .sorted(order);
    }

    @Override
    public List<org.invokej.core.content.ImageService.Day> days(Tx tx, Optional<String> owner) {
        java.util.TreeMap<java.time.LocalDate, List<Image>> byDay = new java.util.TreeMap<>(Comparator.reverseOrder());
        images.rows().values().stream().map(Row::image)
                .filter(image -> !image.intermediate() && owner.map(image.ownerId()::equals).orElse(true))
                .forEach(image -> byDay.computeIfAbsent(image.createdAt().atZone(java.time.ZoneOffset.UTC).toLocalDate(),
                        day -> new java.util.ArrayList<>()).add(image));
        return byDay.entrySet().stream().map(day -> new org.invokej.core.content.ImageService.Day(day.getKey(),
                day.getValue().stream().filter(image -> image.category() == org.invokej.core.content.ImageCategory.GENERAL).count(),
                day.getValue().stream().filter(image -> org.invokej.core.content.ImageCategory.ASSETS.contains(image.category())).count(),
                day.getValue().stream().max(Comparator.comparing(Image::createdAt).thenComparing(Image::imageName))
                        .map(Image::imageName).orElse(null))).toList();
    }

    @Override
    public void update(Tx tx, Image image) {
        Row row = images.rows().get(image.imageName());
        if (row != null) {
            Image old = row.image();
            Image changed = old.with(image.category(), image.sessionId(), image.intermediate(), image.starred());
            images.rows().put(old.imageName(), new Row(stamped(changed, old.boardId(), old.createdAt(), clock.instant()), row.metadata()));
        }
    }

    @Override
    public void delete(Tx tx, Collection<String> imageNames) {
        imageNames.forEach(images.rows()::remove);
    }

    @Override
    public void setBoard(Tx tx, String imageName, String boardId) {
        Row row = images.rows().get(imageName);
        if (row != null) {
            Image old = row.image();
            images.rows().put(imageName, new Row(stamped(old, boardId, old.createdAt(), old.updatedAt()), row.metadata()));
        }
    }

    @Override
    public void removeFromBoard(Tx tx, String imageName) {
        setBoard(tx, imageName, null);
    }

    @Override
    public List<Image> onBoard(Tx tx, String boardId) {
        return images.rows().values().stream().map(Row::image).filter(image -> boardId.equals(image.boardId())).toList();
    }

    @Override
    public int reassignOnBoard(Tx tx, String boardId, String fromUserId, String toUserId) {
        return reassign(image -> boardId.equals(image.boardId()) && image.ownerId().equals(fromUserId), toUserId);
    }

    @Override
    public int reassign(Tx tx, String fromUserId, String toUserId) {
        return reassign(image -> image.ownerId().equals(fromUserId), toUserId);
    }

    /** Drops board memberships of a deleted board, as the foreign key's ON DELETE CASCADE does. */
    void boardDeleted(String boardId) {
        onBoard(null, boardId).forEach(image -> setBoard(null, image.imageName(), null));
    }

    private int reassign(java.util.function.Predicate<Image> which, String toUserId) {
        List<Row> moved = images.rows().values().stream().filter(row -> which.test(row.image())).toList();
        for (Row row : moved) {
            Image old = row.image();
            images.rows().put(old.imageName(), new Row(new Image(old.imageName(), old.origin(), old.category(), old.width(), old.height(),
                    old.sessionId(), old.nodeId(), old.intermediate(), old.starred(), old.hasWorkflow(), old.subfolder(), toUserId,
                    old.boardId(), old.createdAt(), old.updatedAt()), row.metadata()));
        }
        return moved.size();
    }

    private static Image stamped(Image image, String boardId, Instant created, Instant updated) {
        return new Image(image.imageName(), image.origin(), image.category(), image.width(), image.height(), image.sessionId(),
                image.nodeId(), image.intermediate(), image.starred(), image.hasWorkflow(), Objects.requireNonNullElse(image.subfolder(), ""),
                image.ownerId(), boardId, created, updated);
    }
}
