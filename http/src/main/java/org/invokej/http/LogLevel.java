package org.invokej.http;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's log level in InvokeAI's terms (Python's level numbers: 10 debug, 20 info, 30 warning,
 * 40 error, 50 critical, 0 everything) over java.util.logging: changing it changes the root logger and
 * its handlers, as the console logging set them up at start.
 */
public final class LogLevel {

    private static final int[] LEVELS = {0, 10, 20, 30, 40, 50};

    private final Logger root = Logger.getLogger("");
    /** The number last set, so that "critical" reads back as 50 though it logs as SEVERE, like "error". */
    private volatile int lastSet = -1;

    public static boolean isLevel(int level) {
        for (int known : LEVELS) {
            if (known == level) {
                return true;
            }
        }
        return false;
    }

    /** The current level as a Python level number. */
    public int get() {
        Level current = effective();
        int number = python(current);
        return lastSet >= 0 && jul(lastSet).equals(current) ? lastSet : number;
    }

    /** Sets the level; returns it as {@link #get} will. */
    public int set(int level) {
        Level threshold = jul(level);
        root.setLevel(threshold);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(threshold);
        }
        lastSet = level;
        return get();
    }

    private Level effective() {
        for (Logger logger = Logger.getLogger("org.invokej"); logger != null; logger = logger.getParent()) {
            if (logger.getLevel() != null) {
                return logger.getLevel();
            }
        }
        return Level.INFO;
    }

    private static Level jul(int python) {
        return switch (python) {
            case 0 -> Level.ALL;
            case 10 -> Level.FINE;
            case 20 -> Level.INFO;
            case 30 -> Level.WARNING;
            default -> Level.SEVERE;
        };
    }

    private static int python(Level level) {
        int value = level.intValue();
        if (value <= Level.ALL.intValue()) {
            return 0;
        }
        if (value < Level.INFO.intValue()) {
            return 10;
        }
        if (value < Level.WARNING.intValue()) {
            return 20;
        }
        if (value < Level.SEVERE.intValue()) {
            return 30;
        }
        return value == Level.OFF.intValue() ? 50 : 40;
    }
}
