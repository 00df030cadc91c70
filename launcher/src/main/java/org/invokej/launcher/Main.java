package org.invokej.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code invokej}: the command line of InvokeJ. Each command is a subcommand class. */
@Command(name = "invokej",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "InvokeJ: a self-hosted, multi-user image generation server.",
        subcommands = {WebCommand.class, UserAddCommand.class, UserModCommand.class, UserDelCommand.class,
                UserListCommand.class, ApiKeysCommand.class, GenerateCommand.class, ModelsCommand.class, WorkerCommand.class,
                DbCommand.class, BackupCommand.class, RestoreCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs a command line; returns the exit status: 0 on success, 1 on any failure. A first argument
     * naming a command by its InvokeAI script name ({@code invoke-useradd} …) runs that command on its
     * own, so that {@code bin/invoke-useradd --help} reads as InvokeAI's does.
     */
    static int run(String... args) {
        CommandLine main = commandLine();
        if (args.length > 0 && args[0].startsWith("invoke-") && main.getSubcommands().containsKey(args[0])) {
            Object command = main.getSubcommands().get(args[0]).getCommand();
            CommandLine standalone = commandLine(new CommandLine(command).setCommandName(args[0]));
            return standalone.execute(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        return main.execute(args);
    }

    /** The whole command line with InvokeJ's failure handling (tests run it in-process with their own streams). */
    static CommandLine commandLine() {
        return commandLine(new CommandLine(new Main()));
    }

    private static CommandLine commandLine(CommandLine commandLine) {
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
        commandLine.setExitCodeExceptionMapper(e -> 1);
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
