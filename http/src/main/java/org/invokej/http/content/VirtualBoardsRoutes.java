package org.invokej.http.content;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import org.invokej.core.DomainException;
import org.invokej.core.content.ImageCategory;
import org.invokej.core.content.ImageService;
import org.invokej.http.Json;
import org.invokej.http.QueryParams;
import org.invokej.http.auth.Caller;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/v1/virtual_boards}: InvokeAI's boards computed from the images themselves, one per UTC day
 * on which the caller made images (an administrator: anyone). Intermediate images make no day.
 */
public final class VirtualBoardsRoutes implements HttpService {

    private final Json json;
    private final ImageService images;

    public VirtualBoardsRoutes(Json json, ImageService images) {
        this.json = json;
        this.images = images;
    }

    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.USER_OR_DEFAULT, "/api/v1/virtual_boards/**");
    }

    /** InvokeAI's {@code VirtualSubBoardDTO}; no videos here, so their count is 0 and their cover null. */
    record SubBoard(String virtualBoardId, String boardName, String date, long imageCount, long assetCount,
                    long videoCount, String coverImageName, String coverVideoName) {
        static SubBoard of(ImageService.Day day) {
            String date = day.date().toString();
            return new SubBoard("by_date:" + date, date, date, day.imageCount(), day.assetCount(), 0,
                    day.coverImageName(), null);
        }
    }

    record ImageNames(List<String> imageNames, long starredCount, int totalCount) {
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/by_date", (req, res) ->
                        json.send(res, images.days(Caller.actor(req)).stream().map(SubBoard::of).toList()))
                // Deprecated in InvokeAI for gallery/item_names?created_date=…, still answered.
                .get("/by_date/{date}/image_names", (req, res) -> {
                    ImageService.Names names = images.names(Caller.actor(req), filter(req));
                    json.send(res, new ImageNames(names.imageNames(), names.starredCount(), names.imageNames().size()));
                })
                .get("/by_date/{date}/item_names", (req, res) -> {
                    ImageService.Names names = images.names(Caller.actor(req), filter(req));
                    json.send(res, new GalleryRoutes.Refs(names.imageNames().stream()
                            .map(name -> new GalleryRoutes.Ref("image", name)).toList(),
                            names.starredCount(), names.imageNames().size()));
                });
    }

    private static ImageService.Filter filter(ServerRequest req) {
        LocalDate date;
        try {
            date = LocalDate.parse(req.path().pathParameters().get("date"));
        } catch (DateTimeParseException e) {
            throw DomainException.unprocessable("The date must be an ISO date such as 2026-03-18");
        }
        Set<ImageCategory> categories = EnumSet.noneOf(ImageCategory.class);
        QueryParams.all(req, "categories").forEach(category -> categories.add(ImageCategory.of(category)));
        return new ImageService.Filter(null, categories, false, null,
                QueryParams.choice(req, "order_dir", "DESC", List.of("ASC", "DESC")).equals("ASC"),
                QueryParams.bool(req, "starred_first").orElse(true),
                QueryParams.text(req, "search_term").orElse(null), date);
    }
}
