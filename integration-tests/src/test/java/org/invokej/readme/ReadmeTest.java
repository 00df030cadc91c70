package org.invokej.readme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.invokej.testing.Scripts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Follows README.md's "Multi-user in three steps" on a fresh clone of this checkout's last commit: the
 * commands are read from the clone's README (so README and test cannot drift) and run as a person
 * would, with bash, in the clone, which builds itself on the first command. Only two things differ
 * from a person's machine: {@code $HOME} is a temporary folder (the README's {@code ~}) and
 * {@code INVOKEAI_PORT=0} picks a free port, so the README's {@code 127.0.0.1:9090} in the one curl
 * line is replaced by the address the server printed. Slow (it builds the project): one test.
 */
class ReadmeTest {

    private static final String SECTION = "## Multi-user in three steps";
    private static final Pattern RUNNING = Pattern.compile("InvokeJ is running at (http://\\S+)");
    private static final Pattern SETUP = Pattern.compile("^Open (http://\\S+) to create the administrator");
    private static final String README_ADDRESS = "http://127.0.0.1:9090/";

    @TempDir
    Path work;

    @Test
    void theMultiUserStepsLeadFromAFreshCloneToTwoAccountsAModelAndAnImage() throws Exception {
        Path clone = work.resolve("invokej");
        Scripts.Result cloned = Scripts.runCommand(List.of("git", "clone", "--quiet", Scripts.projectRoot().toString(), clone.toString()));
        assertEquals(0, cloned.exitCode(), cloned.toString());
        Path home = Files.createDirectories(work.resolve("home"));

        List<String> commands = commands(Files.readString(clone.resolve("README.md")));
        assertTrue(commands.size() >= 6 && commands.getFirst().startsWith("bin/invokeai-web") && commands.getFirst().contains("--multiuser"),
                "the steps start the server in multi-user mode: " + commands);

        Process web = start(clone, home, commands.getFirst());
        CompletableFuture<String> webErrors = Scripts.drain(web.getErrorStream());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(web.getInputStream(), StandardCharsets.UTF_8));
            URI local = null;
            URI setup = null;
            List<String> printed = new ArrayList<>();
            // Read up to the setup note, and not a line further: the server prints nothing after it.
            while (setup == null) {
                String line = out.readLine();
                if (line == null) {
                    break;
                }
                printed.add(line);
                Matcher running = RUNNING.matcher(line);
                if (running.find()) {
                    local = URI.create(running.group(1));
                }
                Matcher open = SETUP.matcher(line);
                if (open.find()) {
                    setup = URI.create(open.group(1));
                }
            }
            assertTrue(local != null && setup != null, "the server says where to create the administrator:\n" + printed
                    + "\n" + (web.isAlive() ? "" : webErrors.get(10, TimeUnit.SECONDS)));
            assertTrue(printed.stream().anyMatch(line -> line.startsWith("On the LAN, open http://") && !line.contains("127.0.0.1")),
                    "the LAN address is printed: " + printed);
            Scripts.drain(web.getInputStream());
            HttpClient http = HttpClient.newHttpClient();
            assertTrue(get(http, setup.resolve("/api/v1/auth/status"), null).path("setup_required").asBoolean());

            String token = null;
            for (String command : commands.subList(1, commands.size())) {
                if (command.startsWith("curl ")) {
                    HttpResponse<String> response = curl(http, command.replace(README_ADDRESS.substring(0, README_ADDRESS.length() - 1),
                            local.toString().substring(0, local.toString().length() - 1)));
                    assertEquals(200, response.statusCode(), command + " -> " + response.body());
                    JsonNode login = new ObjectMapper().readTree(response.body());
                    assertEquals("bob@example.com", login.path("user").path("email").asText(), response.body());
                    assertFalse(login.path("user").path("is_admin").asBoolean());
                    token = login.path("token").asText();
                } else {
                    Scripts.Result result = run(clone, home, command);
                    assertEquals(0, result.exitCode(), command + "\n" + result);
                }
            }

            assertFalse(get(http, local.resolve("/api/v1/auth/status"), null).path("setup_required").asBoolean(),
                    "the administrator exists");
            assertTrue(token != null, "the steps sign a second user in: " + commands);
            JsonNode models = get(http, local.resolve("/api/v2/models/"), token).path("models");
            assertEquals(1, models.size(), models.toString());
            assertEquals("tiny-sd15", models.get(0).path("name").asText(), "the second user sees the installed model");
            BufferedImage image = ImageIO.read(clone.resolve("lighthouse.png").toFile());
            assertEquals(512, image.getWidth(), "bin/invokej generate wrote the image");
        } finally {
            web.toHandle().descendants().forEach(ProcessHandle::destroy);
            web.destroy();
            web.waitFor(30, TimeUnit.SECONDS);
            web.destroyForcibly();
        }
    }

    /** The command lines of the README's multi-user section, in order: the code lines starting with bin/ or curl. */
    static List<String> commands(String readme) {
        int start = readme.indexOf(SECTION);
        assertTrue(start >= 0, "README.md has a section '" + SECTION + "'");
        int end = readme.indexOf("\n## ", start + SECTION.length());
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> commands = new ArrayList<>();
        boolean inCode = false;
        for (String line : section.lines().map(String::strip).toList()) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            } else if (inCode && (line.startsWith("bin/") || line.startsWith("curl "))) {
                commands.add(line);
            }
        }
        return commands;
    }

    private static ProcessBuilder bash(Path clone, Path home, String command) {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "exec " + command).directory(clone.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> key.startsWith("INVOKEAI_") || key.equals("VIRTUAL_ENV"));
        environment.put("HOME", home.toString());
        environment.put("INVOKEAI_PORT", "0");
        return builder;
    }

    private static Process start(Path clone, Path home, String command) throws IOException {
        return bash(clone, home, command).start();
    }

    private static Scripts.Result run(Path clone, Path home, String command) throws Exception {
        Process process = bash(clone, home, command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        CompletableFuture<String> out = Scripts.drain(process.getInputStream());
        CompletableFuture<String> err = Scripts.drain(process.getErrorStream());
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        return new Scripts.Result(process.exitValue(), out.join(), err.join());
    }

    private static JsonNode get(HttpClient http, URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), uri + " -> " + response.body());
        return new ObjectMapper().readTree(response.body());
    }

    /** What curl does with the options the README uses: -s, -X METHOD, -H 'Name: value', -d 'body', and the URL. */
    static HttpResponse<String> curl(HttpClient http, String command) throws Exception {
        List<String> words = words(command);
        assertEquals("curl", words.getFirst());
        String method = null;
        String body = null;
        URI uri = null;
        List<String> headers = new ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
            switch (words.get(i)) {
                case "-s" -> { }
                case "-X" -> method = words.get(++i);
                case "-H" -> headers.add(words.get(++i));
                case "-d" -> body = words.get(++i);
                default -> {
                    assertTrue(words.get(i).startsWith("http"), "an option this test does not know: " + words.get(i));
                    uri = URI.create(words.get(i));
                }
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method != null ? method : body != null ? "POST" : "GET",
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (String header : headers) {
            int colon = header.indexOf(':');
            request.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A command line split as bash splits it, for the quoting the README uses (single and double quotes). */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
