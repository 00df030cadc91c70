package org.invokej.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** InvokeJ's own version, stamped into the jar by the build. */
final class Version {

    private static final String CURRENT = load();

    private Version() {
    }

    static String current() {
        return CURRENT;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
