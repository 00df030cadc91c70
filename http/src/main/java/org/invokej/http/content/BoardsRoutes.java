package org.invokej.http.content;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.invokej.core.DomainException;
import org.invokej.core.content.BoardRepository;
import org.invokej.core.content.BoardService;
import org.invokej.core.content.BoardSummary;
import org.invokej.core.content.BoardVisibility;
import org.invokej.core.content.ContentTransfer;
import org.invokej.core.content.ImageCategory;
import org.invokej.http.Json;
import org.invokej.http.QueryParams;
import org.invokej.http.auth.Caller;
import org.invokej.http.auth.ClientAddresses;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code /api/v1/boards}: boards, and (beyond InvokeAI) an administrator's transfer of a board to another user. */
public final class BoardsRoutes implements HttpService {

    private final Json json;
    private final BoardService boards;
    private final ContentTransfer transfers;
    private final ClientAddresses clients;

    public BoardsRoutes(Json json, BoardService boards, ContentTransfer transfers, ClientAddresses clients) {
        this.json = json;
        this.boards = boards;
        this.transfers = transfers;
        this.clients = clients;
    }

    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.ADMIN_OR_DEFAULT, "/api/v1/boards/*/transfer")
                .route(Requirement.USER_OR_DEFAULT, "/api/v1/boards/**");
    }

    /** InvokeAI's {@code BoardChanges}: unknown keys are refused. */
    record Changes(String boardName, String coverImageName, Boolean archived, String boardVisibility) {
        BoardService.Changes toChanges() {
            return new BoardService.Changes(boardName, coverImageName, archived,
                    boardVisibility == null ? null : BoardVisibility.of(boardVisibility));
        }
    }

    /** The body of a transfer. */
    public record Transfer(String toUserId) {
        public Transfer {
            if (toUserId == null) {
                throw DomainException.unprocessable("Field required: to_user_id");
            }
        }
    }

    record Page(int limit, int offset, int total, List<BoardDto> items) {
    }

    record DeleteResult(String boardId, List<String> deletedBoardImages, List<String> deletedImages,
                        List<String> deletedBoardVideos, List<String> deletedVideos, List<String> failedImages,
                        List<String> failedVideos) {
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list)
                .get("/{board_id}", (req, res) -> json.send(res, BoardDto.of(boards.get(Caller.actor(req), boardId(req)))))
                .patch("/{board_id}", (req, res) -> json.send(res, Status.CREATED_201, BoardDto.of(
                        boards.update(Caller.actor(req), boardId(req), json.readStrict(req, Changes.class).toChanges()))))
                .delete("/{board_id}", this::delete)
                .get("/{board_id}/image_names", this::imageNames)
                .post("/{board_id}/transfer", this::transfer);
    }

    private void create(ServerRequest req, ServerResponse res) {
        String name = QueryParams.text(req, "board_name")
                .orElseThrow(() -> DomainException.unprocessable("Query parameter 'board_name' is required"));
        json.send(res, Status.CREATED_201, BoardDto.of(boards.create(Caller.actor(req), name)));
    }

    private void list(ServerRequest req, ServerResponse res) {
        boolean byName = QueryParams.choice(req, "order_by", "created_at", List.of("created_at", "board_name")).equals("board_name");
        boolean ascending = QueryParams.choice(req, "direction", "DESC", List.of("ASC", "DESC")).equals("ASC");
        boolean includeArchived = QueryParams.bool(req, "include_archived").orElse(false);
        boolean all = QueryParams.bool(req, "all").orElse(false);
        Optional<String> offset = QueryParams.text(req, "offset");
        Optional<String> limit = QueryParams.text(req, "limit");
        if (all) {
            json.send(res, boards.list(Caller.actor(req), new BoardRepository.Query(byName, ascending, includeArchived, null, null))
                    .stream().map(BoardDto::of).toList());
        } else if (offset.isPresent() && limit.isPresent()) {
            int from = QueryParams.integer(req, "offset", 0, 0, Integer.MAX_VALUE);
            int size = QueryParams.integer(req, "limit", 0, 0, Integer.MAX_VALUE);
            List<BoardSummary> page = boards.list(Caller.actor(req), new BoardRepository.Query(byName, ascending, includeArchived, from, size));
            // As InvokeAI: total is the length of this page, not of the whole listing.
            json.send(res, new Page(size, from, page.size(), page.stream().map(BoardDto::of).toList()));
        } else {
            throw DomainException.invalid("Invalid request: Must provide either 'all' or both 'offset' and 'limit'");
        }
    }

    private void delete(ServerRequest req, ServerResponse res) {
        BoardService.Deleted deleted = boards.delete(Caller.actor(req), boardId(req),
                QueryParams.bool(req, "include_images").orElse(false));
        json.send(res, new DeleteResult(deleted.boardId(), deleted.detachedImages(), deleted.deletedImages(),
                List.of(), List.of(), List.of(), List.of()));
    }

    private void imageNames(ServerRequest req, ServerResponse res) {
        Set<ImageCategory> categories = EnumSet.noneOf(ImageCategory.class);
        QueryParams.all(req, "categories").forEach(category -> categories.add(ImageCategory.of(category)));
        json.send(res, boards.imageNames(Caller.actor(req), boardId(req), categories,
                QueryParams.bool(req, "is_intermediate").orElse(null)));
    }

    private void transfer(ServerRequest req, ServerResponse res) {
        Transfer body = json.read(req, Transfer.class);
        transfers.transferBoard(Caller.actor(req), boardId(req), body.toUserId(), clients.of(req));
        json.send(res, BoardDto.of(boards.get(Caller.actor(req), boardId(req))));
    }

    private static String boardId(ServerRequest req) {
        return req.path().pathParameters().get("board_id");
    }
}
