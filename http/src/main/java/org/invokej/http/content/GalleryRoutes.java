package org.invokej.http.content;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.invokej.core.DomainException;
import org.invokej.core.content.Image;
import org.invokej.core.content.ImageRepository;
import org.invokej.core.content.ImageService;
import org.invokej.http.ApiTimes;
import org.invokej.http.Json;
import org.invokej.http.QueryParams;
import org.invokej.http.auth.Caller;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code /api/v1/gallery}: InvokeAI's gallery, images and videos in one list. InvokeJ makes no videos,
 * so its items are the images, listed with the rules and filters of {@code /api/v1/images}: a board's
 * items need the right to read the board; otherwise a user sees their own items, an administrator
 * everyone's. {@code created_date} narrows a listing to the images of one UTC day (the "by date"
 * virtual boards).
 */
public final class GalleryRoutes implements HttpService {

    /** InvokeAI's largest gallery page. */
    public static final int MAX_PAGE_SIZE = 1000;
    private static final String CACHE_CONTROL = "private, no-store";

    private final Json json;
    private final ImageService images;

    public GalleryRoutes(Json json, ImageService images) {
        this.json = json;
        this.images = images;
    }

    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.USER_OR_DEFAULT, "/api/v1/gallery/**");
    }

    /** InvokeAI's {@code GalleryItem}: an image here; the video fields are always null. */
    record Item(String kind, String name, String fullUrl, String thumbnailUrl, int width, int height, String category,
                boolean starred, boolean isIntermediate, String boardId, String createdAt, Double duration, Double fps) {
        static Item of(Image image) {
            return new Item("image", image.imageName(), ImageDto.fullUrl(image.imageName()),
                    ImageDto.thumbnailUrl(image.imageName()), image.width(), image.height(), image.category().wire(),
                    image.starred(), image.intermediate(), image.boardId(), ApiTimes.sqlite(image.createdAt()), null, null);
        }
    }

    record Page(int limit, int offset, long total, List<Item> items) {
    }

    /** InvokeAI's {@code GalleryItemNames}: the flat, ordered name list the UI's gallery grid runs on. */
    record Names(List<String> itemNames, long starredCount, int totalCount) {
    }

    /** The deprecated {@code GalleryItemNamesResult}: the same list, one {@code {kind, name}} per item. */
    record Refs(List<Ref> items, long starredCount, int totalCount) {
    }

    record Ref(String kind, String name) {
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/item_names", (req, res) -> {
                    ImageService.Names names = images.names(Caller.actor(req), filter(req));
                    send(res, new Names(names.imageNames(), names.starredCount(), names.imageNames().size()));
                })
                .get("/items/names", (req, res) -> {
                    ImageService.Names names = images.names(Caller.actor(req), filter(req));
                    send(res, new Refs(names.imageNames().stream().map(name -> new Ref("image", name)).toList(),
                            names.starredCount(), names.imageNames().size()));
                })
                .get("/items", this::items)
                .get("/items/", this::items);
    }

    private void items(ServerRequest req, ServerResponse res) {
        int offset = QueryParams.integer(req, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = QueryParams.integer(req, "limit", 10, 0, MAX_PAGE_SIZE);
        ImageRepository.Page page = images.list(Caller.actor(req), filter(req), offset, limit);
        send(res, new Page(limit, offset, page.total(), page.items().stream().map(Item::of).toList()));
    }

    private void send(ServerResponse res, Object body) {
        res.header(HeaderNames.CACHE_CONTROL, CACHE_CONTROL);
        json.send(res, body);
    }

    private static ImageService.Filter filter(ServerRequest req) {
        return ImagesRoutes.filter(req, date(req, "created_date"));
    }

    /** A {@code YYYY-MM-DD} query parameter; 422 naming it when malformed. */
    static LocalDate date(ServerRequest req, String name) {
        String raw = QueryParams.text(req, name).orElse(null);
        if (raw == null) {
            return null;
        }
        try {
            return LocalDate.parse(raw.strip());
        } catch (DateTimeParseException e) {
            throw DomainException.unprocessable("Query parameter '" + name + "' must be a date such as 2026-03-18");
        }
    }
}
