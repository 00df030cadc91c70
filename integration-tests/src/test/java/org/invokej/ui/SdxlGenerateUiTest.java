package org.invokej.ui;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.inference.testmodels.TinyModels;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestAccounts.Account;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in UI offers an installed SDXL model and sends InvokeAI's SDXL graph for it. */
class SdxlGenerateUiTest {

    @TempDir
    static Path root;
    @TempDir
    static Path files;
    private static TestServer server;
    private static TestAccounts accounts;
    private static Account admin;
    private static String sdxlKey;

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
        accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@example.com");
        ModelInstalls.installKey(admin.client(), TinyModels.sd15().writeTo(files.resolve("tiny-sd15")));
        sdxlKey = ModelInstalls.installKey(admin.client(), TinyModels.sdxl().writeTo(files.resolve("tiny-sdxl")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anSdxlModelIsOfferedAndGeneratesWithTheSdxlNodes() {
        Account ada = accounts.create(admin, "ada@example.com", "Ada", false);
        try (Browser a = Browser.open(server.server().uri()).go("").signIn(ada.email(), TestAccounts.PASSWORD, false)) {
            a.text("#live", "live");
            a.visible("#generate-form");
            a.await("the SDXL model offered", () -> a.find("#generate-form [name=model]").getText().contains("tiny-sdxl (sdxl)"));
            new Select(a.find("#generate-form [name=model]")).selectByValue(sdxlKey);
            a.type("#generate-form [name=prompt]", "a lighthouse at dusk");
            a.type("#generate-form [name=steps]", "4");
            a.type("#generate-form [name=width]", "128");
            a.type("#generate-form [name=height]", "128");
            a.click("#generate-form button[type=submit]");
            a.await("the item done", () -> a.all("#progress-list .progress-item.completed").size() == 1);
            long id = Long.parseLong(a.find("#progress-list .progress-item").getDomAttribute("data-item-id"));

            JsonNode item = ada.client().get("/api/v1/queue/default/i/" + id).json();
            assertEquals("completed", item.path("status").asText(), item.toString());
            List<String> types = new ArrayList<>();
            item.path("session").path("graph").path("nodes").forEach(node -> types.add(node.path("type").asText()));
            assertTrue(types.contains("sdxl_model_loader"), types.toString());
            assertEquals(2, types.stream().filter("sdxl_compel_prompt"::equals).count(), types.toString());
            assertFalse(types.contains("clip_skip") || types.contains("compel"), types.toString());
            JsonNode images = ada.client().get("/api/v1/images/?is_intermediate=false").json();
            String image = images.path("items").get(0).path("image_name").asText();
            JsonNode metadata = ada.client().get("/api/v1/images/i/" + image + "/metadata").json();
            assertEquals("sdxl_txt2img", metadata.path("generation_mode").asText(), metadata.toString());
            assertEquals(128, images.path("items").get(0).path("width").asInt());
        }
    }
}
