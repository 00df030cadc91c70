package org.invokej.ui;

import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestAccounts.Account;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frame around every page: dark by default with a light theme one click away (and remembered on this
 * browser), the navigation down the left side on a desktop and across the top on a phone.
 */
class ShellUiTest {

    @TempDir
    static Path root;
    private static TestServer server;
    private static Account admin;

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
        admin = new TestAccounts(server).setupAdmin("admin@example.com");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The page background's brightness, 0 (black) to 255 (white), as drawn. */
    private static double brightness(Browser browser) {
        String colour = (String) browser.script("return getComputedStyle(document.body).backgroundColor;");
        List<Double> rgb = java.util.Arrays.stream(colour.replaceAll("[^0-9.,]", "").split(","))
                .limit(3).map(Double::parseDouble).toList();
        return 0.2126 * rgb.get(0) + 0.7152 * rgb.get(1) + 0.0722 * rgb.get(2);
    }

    @Test
    void theThemeIsDarkUntilSwitchedAndTheChoiceIsRemembered() {
        try (Browser b = Browser.sized(server.server().uri(), 1400, 900, false)) {
            b.go("").visible("#login-form");
            assertTrue(brightness(b) < 60, "dark before anyone chose: " + brightness(b));
            b.signIn(admin.email(), TestAccounts.PASSWORD, false);
            assertTrue(brightness(b) < 60, "dark once signed in");
            WebElement toggle = b.visible("#theme-toggle");
            assertEquals("false", toggle.getDomAttribute("aria-pressed"));

            toggle.click();
            b.await("the light theme", () -> brightness(b) > 200);
            assertEquals("true", b.find("#theme-toggle").getDomAttribute("aria-pressed"));
            b.screenshot("theme-light");

            // Remembered: after a reload, on another page, and on the sign-in page.
            b.go("#gallery").driver().navigate().refresh();
            b.visible("#view-gallery");
            assertTrue(brightness(b) > 200, "still light after a reload");
            assertEquals("true", b.find("#theme-toggle").getDomAttribute("aria-pressed"));
            b.button("#app", "Log out").click();
            b.visible("#login-form");
            assertTrue(brightness(b) > 200, "the sign-in page follows the choice");

            b.signIn(admin.email(), TestAccounts.PASSWORD, false);
            b.click("#theme-toggle");
            b.await("dark again", () -> brightness(b) < 60);
            b.driver().navigate().refresh();
            b.visible("#app");
            assertTrue(brightness(b) < 60, "dark is remembered too");
        }
    }

    @Test
    void theNavigationRunsDownTheLeftOnADesktopAndAcrossTheTopOnAPhone() {
        try (Browser b = Browser.sized(server.server().uri(), 1400, 900, false)) {
            b.go("").signIn(admin.email(), TestAccounts.PASSWORD, false);
            b.visible("#view-generate");
            double[] nav = b.box(b.find("nav"));
            double[] main = b.box(b.find("main"));
            assertTrue(nav[2] <= main[0], "the navigation is left of the page");
            assertTrue(nav[2] < 300, "a sidebar, not a bar: " + nav[2]);
            List<WebElement> links = b.all("#nav a");
            for (int i = 1; i < links.size(); i++) {
                double[] above = b.box(links.get(i - 1));
                double[] below = b.box(links.get(i));
                assertTrue(below[1] >= above[3], "one link under another");
                assertEquals(above[0], below[0], 0.5, "in one column");
            }
            double[] sidebar = b.box(b.find(".sidebar"));
            assertEquals(900, sidebar[3] - sidebar[1], 1, "the sidebar is the window's height");
            b.script("window.scrollTo(0, document.body.scrollHeight);");
            assertTrue(b.inReach(b.find("a[data-view=queue]")), "and stays while the page scrolls");
            b.click("a[data-view=queue]");
            b.visible("#view-queue");
            assertEquals("page", b.find("a[data-view=queue]").getDomAttribute("aria-current"));
        }
        try (Browser p = Browser.sized(server.server().uri(), 390, 844, true)) {
            p.go("").signIn(admin.email(), TestAccounts.PASSWORD, false);
            p.visible("#view-generate");
            double[] nav = p.box(p.find("nav"));
            double[] main = p.box(p.find("main"));
            assertTrue(nav[3] <= main[1], "on a phone the navigation is above the page");
            assertTrue(nav[2] <= 390, "and fits the screen");
            p.all("#nav a").forEach(link -> assertTrue(p.inReach(link), "every link in reach: " + link.getText()));
            assertTrue(p.fitsWidth(), p.overflowing());
            p.click("a[data-view=gallery]");
            p.visible("#view-gallery");
        }
    }
}
