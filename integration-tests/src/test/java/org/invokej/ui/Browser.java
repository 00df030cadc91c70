package org.invokej.ui;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * Headless Debian chromium driven through Debian's chromedriver, on a fresh profile, pointed at one
 * server. The paths are given, so Selenium Manager never looks for (or downloads) a browser or driver.
 * Helpers wait for what a person would wait for; {@link #screenshot} saves the flow's picture as a
 * test artifact in {@code target/screenshots/}.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final ChromeDriver driver;
    private final Path profile;
    private final URI base;
    private final int width;

    private Browser(URI base, int width, int height) {
        this.base = base;
        this.width = width;
        try {
            this.profile = Files.createTempDirectory("invokej-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
    }

    /** A desktop-sized browser on {@code base} (the server's or a proxy's UI address, ending in "/"). */
    static Browser open(URI base) {
        return new Browser(base, 1280, 900);
    }

    /** A phone-sized one, for the narrow layout. */
    static Browser phone(URI base) {
        return new Browser(base, 412, 900);
    }

    /**
     * A browser whose page is exactly {@code width} × {@code height} CSS pixels (the window's own frame
     * is not counted), as a phone's when {@code mobile} (its viewport meta tag honoured, touch-sized).
     */
    static Browser sized(URI base, int width, int height, boolean mobile) {
        Browser browser = new Browser(base, width, height);
        browser.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
        return browser;
    }

    /**
     * True when nothing on the page reaches past the right edge of the screen (no sideways scrolling). A
     * phone widens its layout to content that does not fit (and zooms out), so the window must also still
     * be the screen's width.
     */
    boolean fitsWidth() {
        return Boolean.TRUE.equals(script(
                "return document.scrollingElement.scrollWidth <= window.innerWidth && window.innerWidth <= arguments[0];", width));
    }

    /** What reaches past the right edge: the widest offenders, for a failure message. */
    String overflowing() {
        return String.valueOf(script("""
                const limit = window.innerWidth;
                return [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > limit + 0.5 && e.getClientRects().length)
                    .slice(0, 8)
                    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.')
                        + ' right=' + Math.round(e.getBoundingClientRect().right))
                    .join(', ') + ' (scrollWidth ' + document.scrollingElement.scrollWidth + ', innerWidth ' + limit + ')';"""));
    }

    /** The element's box on screen: [left, top, right, bottom] in CSS pixels. */
    @SuppressWarnings("unchecked")
    double[] box(WebElement element) {
        List<Number> box = (List<Number>) script(
                "const r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom];", element);
        return box.stream().mapToDouble(Number::doubleValue).toArray();
    }

    /** True when the element is inside the window and is what a click at its middle would reach. */
    boolean inReach(WebElement element) {
        return Boolean.TRUE.equals(script("""
                const e = arguments[0], r = e.getBoundingClientRect();
                if (r.width === 0 || r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) return false;
                const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                return hit === e || e.contains(hit);""", element));
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Loads the UI, at {@code fragment} (e.g. "#gallery", or "" for the start). */
    Browser go(String fragment) {
        driver.get(base.resolve(fragment).toString());
        return this;
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until {@code condition} holds, failing with {@code what} after a generous timeout. */
    <T> T await(String what, Supplier<T> condition) {
        try {
            return new WebDriverWait(driver, PATIENCE, Duration.ofMillis(100)).withMessage(what).until(d -> {
                T value;
                try {
                    value = condition.get();
                } catch (WebDriverException e) {
                    if (goneWithReload(e)) {
                        return null; // pages re-render and reload (sign-out does): look again
                    }
                    throw e;
                }
                return value instanceof Boolean b && !b ? null : value;
            });
        } catch (TimeoutException e) {
            screenshot("failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            throw new AssertionError("Timed out waiting: " + what + "\nbrowser console:\n" + String.join("\n", console()), e);
        }
    }

    private static boolean goneWithReload(WebDriverException e) {
        return e instanceof StaleElementReferenceException
                || String.valueOf(e.getMessage()).contains("does not belong to the document");
    }

    /** Clicks the {@code index}th element matching {@code css}, looking again when the page redrew under the click. */
    void click(String css, int index) {
        await(css + " #" + index + " clicked", () -> {
            List<WebElement> found = all(css);
            if (found.size() <= index) {
                return false;
            }
            found.get(index).click();
            return true;
        });
    }

    WebElement visible(String css) {
        return await(css + " to be visible", () -> all(css).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    /** Waits until the element's text contains {@code text}; answers the element. */
    WebElement text(String css, String text) {
        return await(css + " to say '" + text + "'", () -> all(css).stream()
                .filter(e -> e.isDisplayed() && e.getText().contains(text)).findFirst().orElse(null));
    }

    Browser type(String css, String text) {
        WebElement input = visible(css);
        input.clear();
        input.sendKeys(text);
        return this;
    }

    Browser click(String css) {
        visible(css).click();
        return this;
    }

    /** The visible button whose text is exactly {@code label}, inside {@code css}. */
    WebElement button(String css, String label) {
        return await("button '" + label + "' in " + css, () -> all(css).stream().filter(WebElement::isDisplayed)
                .flatMap(scope -> scope.findElements(By.xpath(".//button[normalize-space()=" + xpathText(label) + "]")).stream())
                .filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    /** The open dialog whose text contains {@code text}. */
    WebElement dialog(String text) {
        return await("a dialog saying '" + text + "'", () -> all("dialog[open]").stream()
                .filter(d -> d.getText().contains(text)).findFirst().orElse(null));
    }

    static WebElement buttonIn(WebElement scope, String label) {
        return scope.findElement(By.xpath(".//button[normalize-space()=" + xpathText(label) + "]"));
    }

    private static String xpathText(String text) {
        return text.contains("'") ? "\"" + text + "\"" : "'" + text + "'";
    }

    /** Presses keys wherever the focus is, as a person would. */
    Browser press(CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
        return this;
    }

    WebElement focused() {
        return driver.switchTo().activeElement();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    String localStorage(String key) {
        return (String) script("return localStorage.getItem(arguments[0]);", key);
    }

    /**
     * A cookie as the browser holds it, HttpOnly and other paths too (WebDriver's own cookie calls see
     * only what the page's path sees, and the media cookie lives under {@code api/v1}); null if none.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> cookie(String name) {
        Map<String, Object> answer = driver.executeCdpCommand("Network.getAllCookies", Map.of());
        return ((List<Map<String, Object>>) answer.get("cookies")).stream()
                .filter(cookie -> name.equals(cookie.get("name"))).findFirst().orElse(null);
    }

    /** True once the image has loaded with real pixels (a refused image has none). */
    boolean loaded(WebElement image) {
        return Boolean.TRUE.equals(script("return arguments[0].complete && arguments[0].naturalWidth > 0;", image));
    }

    /** Signs in on the sign-in page. */
    Browser signIn(String email, String password, boolean rememberMe) {
        visible("#login-form");
        type("#login-form [name=email]", email);
        type("#login-form [name=password]", password);
        WebElement remember = find("#login-form [name=remember_me]");
        if (remember.isSelected() != rememberMe) {
            remember.click();
        }
        find("#login-form button[type=submit]").click();
        visible("#app");
        return this;
    }

    /** Saves the page as {@code target/screenshots/<flow>.png} ({@code flow} may name a sub-folder: "walk/x"). */
    Path screenshot(String flow) {
        try {
            Path file = SCREENSHOTS.resolve(flow + ".png");
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the page logged (errors, failed requests), one line each. */
    List<String> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString).toList();
    }

    /** Quits; fails if a script error went uncaught on any page meanwhile (the UI must handle its errors). */
    @Override
    public void close() {
        List<String> uncaught;
        try {
            uncaught = console().stream().filter(line -> line.contains("Uncaught")).toList();
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // A leftover temporary profile is harmless.
            }
        }
        if (!uncaught.isEmpty()) {
            throw new AssertionError("uncaught script errors:\n" + String.join("\n", uncaught));
        }
    }
}
