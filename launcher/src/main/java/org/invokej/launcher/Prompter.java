package org.invokej.launcher;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Asks questions on the terminal. Passwords are read without echo when a person is at a terminal, and
 * as plain lines when standard input is a pipe (scripts). Every answer is empty at end of input.
 */
final class Prompter {

    private final PrintWriter out;
    private final Console console;
    private final BufferedReader in;

    Prompter(PrintWriter out) {
        this.out = out;
        this.console = terminal();
        this.in = console == null ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)) : null;
    }

    /** Whether this process talks to a terminal (not a pipe or a file). */
    static boolean onTerminal() {
        return terminal() != null;
    }

    /** Whether a person can be asked (a terminal), as opposed to a script feeding lines. */
    boolean interactiveTerminal() {
        return console != null;
    }

    /** The answer to {@code question}, stripped; empty at end of input. */
    Optional<String> ask(String question) {
        out.print(question);
        out.flush();
        String line = console != null ? console.readLine() : readLine();
        return Optional.ofNullable(line).map(String::strip);
    }

    /** A secret answer, not echoed on a terminal; empty at end of input. */
    Optional<String> askSecret(String question) {
        if (console != null) {
            out.flush();
            char[] secret = console.readPassword("%s", question);
            return Optional.ofNullable(secret).map(String::new);
        }
        out.print(question);
        out.flush();
        return Optional.ofNullable(readLine());
    }

    /** A yes/no answer; anything but y or yes (any case) is no. Empty at end of input. */
    Optional<Boolean> askYesNo(String question) {
        return ask(question).map(answer -> answer.equalsIgnoreCase("y") || answer.equalsIgnoreCase("yes"));
    }

    private String readLine() {
        try {
            String line = in.readLine();
            if (line != null) {
                out.println();
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The console if standard input and output are a terminal. From JDK 22 {@link System#console()}
     * returns a console for pipes too and {@code Console.isTerminal()} tells; that method is not in
     * Java 21's API, which this code compiles against, so it is looked up when present.
     */
    static Console terminal() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            boolean terminal = (boolean) MethodHandles.publicLookup()
                    .findVirtual(Console.class, "isTerminal", MethodType.methodType(boolean.class))
                    .invoke(console);
            return terminal ? console : null;
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return console;
        } catch (Throwable e) {
            return null;
        }
    }
}
