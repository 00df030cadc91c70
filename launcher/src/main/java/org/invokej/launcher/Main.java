package org.invokej.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code invokej}: the command line of InvokeJ. Each command is a subcommand class. */
@Command(name = "invokej",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "InvokeJ: a self-hosted, multi-user image generation server.",
        subcommands = {WebCommand.class, GenerateCommand.class, ModelsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line; returns the exit status: 0 on success, 1 on any failure. */
    static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("Error: " + e.getMessage() + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 1;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("Error: " + CommandFailures.message(e));
            CommandFailures.logDetails(e);
            return 1;
        });
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints InvokeJ's version. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"InvokeJ " + Version.current()};
        }
    }
}
