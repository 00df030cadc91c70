package org.invokej.http.content;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.invokej.http.RouteTestServer;
import org.invokej.http.fakes.TestUser;
import org.invokej.http.fakes.CoreOnFakes;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/images}: multipart uploads, listings, metadata, files, stars, deletes, and whose images one may touch. */
@ServerTest
class ImagesRoutesTest {

    private static final CoreOnFakes CORE = CoreOnFakes.multiuser();

    private final TestClient anonymous;
    private final TestUser owner;
    private final TestUser other;
    private final TestUser admin;

    ImagesRoutesTest(URI uri) {
        this.anonymous = RouteTestServer.client(uri);
        this.owner = CORE.caller(anonymous, "owner", false);
        this.other = CORE.caller(anonymous, "other", false);
        this.admin = CORE.caller(anonymous, "admin", true);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        RouteTestServer.configure(server, CORE);
    }

    @AfterAll
    static void close() {
        CORE.close();
    }

    @Test
    void anUploadIsListedWithItsMetadataAndItsFile() {
        byte[] png = TestImages.png(24, 16);
        TestResponse uploaded = TestImages.upload(owner.client(), png, "image/png", "image_category=general&is_intermediate=false",
                Map.of("metadata", "{\"positive_prompt\": \"a red fox\"}"));
        assertEquals(201, uploaded.status(), uploaded.toString());
        String name = uploaded.json().path("image_name").asText();
        assertEquals(24, uploaded.json().path("width").asInt());
        assertEquals(uploaded.json().path("image_url").asText(), uploaded.header("Location").orElseThrow());

        assertTrue(names(owner.client().get("/api/v1/images/?limit=100")).contains(name));
        assertEquals("a red fox", owner.client().get("/api/v1/images/i/" + name + "/metadata").json().path("positive_prompt").asText());
        assertTrue(names(owner.client().get("/api/v1/images/?search_term=RED%20FOX")).contains(name));
        assertFalse(names(owner.client().get("/api/v1/images/?search_term=wolf")).contains(name));

        TestResponse full = owner.client().get("/api/v1/images/i/" + name + "/full");
        assertEquals(200, full.status(), full.toString());
        assertEquals("image/png", full.header("Content-Type").orElseThrow());
        assertArrayEquals(Arrays.copyOf(png, 8), Arrays.copyOf(full.body(), 8), "a PNG comes back");
        assertEquals(200, owner.client().get("/api/v1/images/i/" + name + "/thumbnail").status());
    }

    @Test
    void theMediaCookieOpensImageFilesAndNothingElse() {
        String name = TestImages.uploadPng(owner.client(), null);
        TestResponse issued = owner.client().post("/api/v1/auth/media-cookie", null);
        assertEquals(200, issued.status(), issued.toString());
        String cookie = issued.headerValues("Set-Cookie").stream().filter(value -> value.startsWith("invokeai_media_token="))
                .findFirst().orElseThrow().split(";", 2)[0];
        TestClient browser = anonymous.withHeader("Cookie", cookie);
        assertEquals(200, browser.get("/api/v1/images/i/" + name + "/full").status());
        assertEquals(200, browser.get("/api/v1/images/i/" + name + "/thumbnail").status());
        assertEquals(401, browser.get("/api/v1/images/i/" + name).status(), "the cookie is not a session for the API");
        assertEquals(401, browser.delete("/api/v1/images/i/" + name).status());
        assertEquals(401, anonymous.get("/api/v1/images/i/" + name + "/full").status());
    }

    @Test
    void starringPutsAnImageFirst() {
        TestUser starrer = CORE.caller(anonymous, "starrer", false);
        String first = TestImages.uploadPng(starrer.client(), null);
        String second = TestImages.uploadPng(starrer.client(), null);
        assertEquals(List.of(second, first), names(starrer.client().get("/api/v1/images/")), "newest first");

        TestResponse starred = starrer.client().post("/api/v1/images/star", Map.of("image_names", List.of(first)));
        assertEquals(200, starred.status(), starred.toString());
        assertEquals(first, starred.json().path("starred_images").get(0).asText());
        assertEquals(List.of(first, second), names(starrer.client().get("/api/v1/images/")));
        assertTrue(starrer.client().get("/api/v1/images/i/" + first).json().path("starred").asBoolean());

        assertEquals(200, starrer.client().post("/api/v1/images/unstar", Map.of("image_names", List.of(first))).status());
        assertEquals(List.of(second, first), names(starrer.client().get("/api/v1/images/")));
    }

    @Test
    void anotherUsersUncategorizedImageIsNotTheirs() {
        String name = TestImages.uploadPng(owner.client(), null);
        assertEquals(403, other.client().get("/api/v1/images/i/" + name).status());
        assertEquals(403, other.client().get("/api/v1/images/i/" + name + "/full").status());
        assertEquals(403, other.client().get("/api/v1/images/i/" + name + "/metadata").status());
        assertEquals(403, other.client().delete("/api/v1/images/i/" + name).status());
        assertEquals(403, other.client().patch("/api/v1/images/i/" + name, Map.of("starred", true)).status());
        assertFalse(names(other.client().get("/api/v1/images/?limit=-1")).contains(name), "a user's gallery shows their own images");
        assertTrue(names(admin.client().get("/api/v1/images/?limit=-1")).contains(name), "an administrator's shows everyone's");
        assertEquals(200, owner.client().get("/api/v1/images/i/" + name).status(), "refusals changed nothing");
    }

    @Test
    void imagesOnASharedBoardAreReadableByEveryone() {
        String board = TestImages.board(owner.client(), "Shared");
        TestImages.visibility(owner.client(), board, "shared");
        String name = TestImages.uploadPng(owner.client(), board);
        assertEquals(200, other.client().get("/api/v1/images/i/" + name).status());
        assertTrue(names(other.client().get("/api/v1/images/?board_id=" + board)).contains(name));
        assertEquals(403, other.client().delete("/api/v1/images/i/" + name).status(), "shared is read-only for others");
    }

    @Test
    void deletingAnImageRemovesItAndItsFile() {
        String name = TestImages.uploadPng(owner.client(), null);
        TestResponse deleted = owner.client().delete("/api/v1/images/i/" + name);
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals(name, deleted.json().path("deleted_images").get(0).asText());
        // As InvokeAI: to users an unknown name looks like someone else's image; administrators learn it is gone.
        assertEquals(403, owner.client().get("/api/v1/images/i/" + name).status());
        assertEquals(403, owner.client().get("/api/v1/images/i/" + name + "/full").status());
        assertEquals(404, admin.client().get("/api/v1/images/i/" + name).status());
        assertEquals(404, admin.client().get("/api/v1/images/i/" + name + "/full").status());
        assertEquals(0, names(admin.client().get("/api/v1/images/?limit=-1")).stream().filter(name::equals).count());
    }

    @Test
    void badUploadsAndBadRequestsAre4xxWithADetail() {
        int before = names(owner.client().get("/api/v1/images/?limit=-1")).size();
        for (TestResponse response : List.of(
                TestImages.upload(owner.client(), "not an image".getBytes(), "text/plain", "image_category=general&is_intermediate=false", Map.of()),
                TestImages.upload(owner.client(), "not a png".getBytes(), "image/png", "image_category=general&is_intermediate=false", Map.of()),
                TestImages.upload(owner.client(), TestImages.png(8, 8), "image/png", "is_intermediate=false", Map.of()),
                TestImages.upload(owner.client(), TestImages.png(8, 8), "image/png", "image_category=painting&is_intermediate=false", Map.of()),
                TestImages.upload(owner.client(), TestImages.png(8, 8), "image/png", "image_category=general&is_intermediate=perhaps", Map.of()),
                TestImages.upload(owner.client(), TestImages.png(8, 8), "image/png", "image_category=general&is_intermediate=false&board_id=nope", Map.of()),
                owner.client().send("POST", "/api/v1/images/upload?image_category=general&is_intermediate=false", "multipart/form-data", new byte[]{1, 2}),
                owner.client().post("/api/v1/images/star", Map.of("image_names", "one")),
                owner.client().post("/api/v1/images/delete", "{"),
                owner.client().get("/api/v1/images/?limit=ten"),
                owner.client().get("/api/v1/images/?order_dir=sideways"),
                owner.client().get("/api/v1/images/i/../../etc/passwd/full"),
                owner.client().get("/api/v1/images/i/not-an-image.png"))) {
            assertTrue(response.status() >= 400 && response.status() < 500, response.toString());
            assertFalse(response.detail().isBlank(), response.toString());
        }
        assertEquals(before, names(owner.client().get("/api/v1/images/?limit=-1")).size(), "nothing was stored");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        byte[] big = new byte[(int) RouteTestServer.MAX_REQUEST_BYTES + 1024];
        TestResponse response = owner.client().sendOversized("POST", "/api/v1/images/upload?image_category=general&is_intermediate=false",
                "multipart/form-data; boundary=x", big);
        assertEquals(413, response.status(), response.toString());
        assertEquals("Request body is too large", response.detail());
    }

    private static List<String> names(TestResponse listing) {
        assertEquals(200, listing.status(), listing.toString());
        List<String> names = new ArrayList<>();
        for (JsonNode image : listing.json().path("items")) {
            names.add(image.path("image_name").asText());
        }
        return names;
    }
}
