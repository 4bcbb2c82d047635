package io.ringkv.deploy;

import io.ringkv.checker.cli.CheckCommand;
import io.ringkv.node.NodeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kv} command: runs nodes and local clusters, and talks to a cluster as a client. */
@Command(name = "kv", mixinStandardHelpOptions = true, version = "ringkv 0.1.0",
        description = "ringkv: a leaderless, Dynamo-style key-value cluster.",
        subcommands = {
                NodeCommand.class,
                LocalCommand.class,
                CertsCommand.class,
                ClientCommands.Get.class,
                ClientCommands.Put.class,
                ClientCommands.Delete.class,
                ClusterCommand.class,
                AaeCommand.class,
                QuorumCommand.class,
                CheckCommand.class,
                io.ringkv.checker.cli.TestCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Kv implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand, as {@code main} runs it. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Kv());
        // A later option wins, so wrappers can append to a command line they were given.
        cli.setOverwrittenOptionsAllowed(true);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("kv " + cmd.getCommandName() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
