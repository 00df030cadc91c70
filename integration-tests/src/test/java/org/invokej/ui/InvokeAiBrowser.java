package org.invokej.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * Headless chromium on InvokeAI's own built web UI, recording what a person cannot see: every HTTP
 * answer the page got (from chromium's performance log, i.e. the DevTools network events), what the
 * page logged, and the Content-Security-Policy reports. The UI is a React app with generated class
 * names, so elements are found by what a person reads (placeholders, labels, aria labels).
 */
final class InvokeAiBrowser implements AutoCloseable {

    /** One answer the page received. */
    record Answer(String method, String url, int status) {
        @Override
        public String toString() {
            return status + " " + method + " " + url;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    // Generous: the machines that run the suite are often loaded many times over; nothing here is timed.
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private final ChromeDriver driver;
    private final Path profile;
    private final URI base;
    private final List<Answer> answers = new ArrayList<>();
    private final List<String> console = new ArrayList<>();
    private final java.util.Map<String, String> methods = new java.util.HashMap<>();

    InvokeAiBrowser(URI base) {
        this.base = base;
        try {
            this.profile = Files.createTempDirectory("invokej-invokeai-ui-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1440,960");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        // Error toasts disappear after a while: every page records the ones it shows, across reloads of the tab.
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source", WATCH_ERROR_TOASTS));
    }

    private static final String WATCH_ERROR_TOASTS = """
            new MutationObserver(() => {
              for (const alert of document.querySelectorAll('.chakra-toast [data-status="error"]')) {
                if (alert.dataset.invokejSeen) continue;
                alert.dataset.invokejSeen = '1';
                const seen = JSON.parse(sessionStorage.getItem('invokejErrorToasts') || '[]');
                seen.push(alert.innerText.replace(/\\s+/g, ' ').trim());
                sessionStorage.setItem('invokejErrorToasts', JSON.stringify(seen));
              }
            }).observe(document, {childList: true, subtree: true});
            """;

    /** The text of every error toast this tab has shown. */
    List<String> errorToasts() {
        Object seen = script("return sessionStorage.getItem('invokejErrorToasts') || '[]';");
        try {
            List<String> toasts = new ArrayList<>();
            JSON.readTree(String.valueOf(seen)).forEach(node -> toasts.add(node.asText()));
            return toasts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Clicks the tab of the left bar named {@code name} (its aria label is the name, or the name and "Tab"). */
    InvokeAiBrowser tab(String name) {
        String quoted = quote(name);
        String quotedTab = quote(name + " Tab");
        WebElement tab = await("the " + name + " tab", () -> xpath("//button[@aria-label=" + quoted + " or @aria-label=" + quotedTab + "]")
                .stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
        click(tab);
        return this;
    }

    /** Clicks {@code element}, with a script when something lies over it (a tooltip, a panel's edge). */
    void click(WebElement element) {
        try {
            element.click();
        } catch (WebDriverException e) {
            script("arguments[0].click();", element);
        }
    }

    /** Clicks the displayed element whose own text is {@code text} (the innermost one), with a script if something covers it. */
    InvokeAiBrowser clickText(String text) {
        click(visible("'" + text + "'", "//*[normalize-space(text())=" + quote(text) + "]"));
        return this;
    }

    ChromeDriver driver() {
        return driver;
    }

    InvokeAiBrowser go(String path) {
        driver.get(base.resolve(path).toString());
        return this;
    }

    String path() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    List<WebElement> xpath(String xpath) {
        return driver.findElements(By.xpath(xpath));
    }

    <T> T await(String what, Supplier<T> condition) {
        try {
            return new WebDriverWait(driver, PATIENCE, Duration.ofMillis(200)).withMessage(what).until(d -> {
                T value;
                try {
                    value = condition.get();
                } catch (WebDriverException e) {
                    if (String.valueOf(e.getMessage()).contains("stale element")) {
                        return null;
                    }
                    throw e;
                }
                return value instanceof Boolean b && !b ? null : value;
            });
        } catch (TimeoutException e) {
            screenshot("invokeai-failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            throw new AssertionError("Timed out waiting: " + what + "\nanswers:\n" + String.join("\n",
                    answers().stream().map(Answer::toString).toList()) + "\nconsole:\n" + String.join("\n", console()), e);
        }
    }

    /** The first displayed element matching the XPath expression, once there is one. */
    WebElement visible(String what, String xpath) {
        return await(what, () -> xpath(xpath).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    /** The first displayed, enabled button whose text or aria-label is {@code label}. */
    WebElement button(String label) {
        String quoted = quote(label);
        return await("button '" + label + "'", () -> xpath("//button[normalize-space()=" + quoted + " or @aria-label=" + quoted + "]")
                .stream().filter(e -> e.isDisplayed() && e.isEnabled()).findFirst().orElse(null));
    }

    WebElement input(String placeholder) {
        return visible("input '" + placeholder + "'", "//input[@placeholder=" + quote(placeholder) + "]");
    }

    InvokeAiBrowser type(String placeholder, String text) {
        WebElement input = input(placeholder);
        input.clear();
        input.sendKeys(text);
        return this;
    }

    boolean bodySays(String text) {
        return driver.findElement(By.tagName("body")).getText().contains(text);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    static String quote(String text) {
        return text.contains("'") ? "\"" + text + "\"" : "'" + text + "'";
    }

    /** Every answer received so far (drains chromium's log into the record). */
    List<Answer> answers() {
        drain();
        return List.copyOf(answers);
    }

    List<String> console() {
        drain();
        return List.copyOf(console);
    }

    private void drain() {
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE).getAll()) {
            try {
                JsonNode message = JSON.readTree(entry.getMessage()).path("message");
                JsonNode params = message.path("params");
                switch (message.path("method").asText()) {
                    case "Network.requestWillBeSent" -> methods.put(params.path("requestId").asText(), params.path("request").path("method").asText());
                    case "Network.responseReceived" -> {
                        JsonNode response = params.path("response");
                        answers.add(new Answer(methods.getOrDefault(params.path("requestId").asText(), "?"),
                                response.path("url").asText(), response.path("status").asInt()));
                    }
                    default -> { }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER).getAll()) {
            console.add(entry.getLevel() + " " + entry.getMessage());
        }
    }

    Path screenshot(String flow) {
        try {
            Files.createDirectories(Browser.SCREENSHOTS);
            Path file = Browser.SCREENSHOTS.resolve(flow + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // A leftover temporary profile is harmless.
            }
        }
    }
}
