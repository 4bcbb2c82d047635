package io.ringkv.deploy;

import io.ringkv.checker.cli.CheckCommand;
import io.ringkv.client.KvException;
import io.ringkv.node.NodeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import javax.net.ssl.SSLException;

/** The {@code kv} command: runs nodes and local clusters, and talks to a cluster as a client. */
@Command(name = "kv", mixinStandardHelpOptions = true, version = "ringkv 0.1.0",
        description = "ringkv: a leaderless, Dynamo-style key-value cluster.",
        subcommands = {
                NodeCommand.class,
                LocalCommand.class,
                CertsCommand.class,
                UserCommand.class,
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
            int code = exitCode(e);
            String why = code == AUTHENTICATION_FAILED ? (((KvException) e).status() == 401
                    ? "authentication failed; check --user and the password (" : "not allowed for this user (")
                    + e.getMessage() + ")"
                    : code == TLS_FAILED ? "TLS failed; is --cacert the cluster's authority, and the address one the "
                    + "node's certificate names? (" + e.getMessage() + ")"
                    : e.getMessage() == null ? e.toString() : e.getMessage();
            cmd.getErr().println("kv " + cmd.getCommandName() + ": " + why);
            return code;
        });
        return cli;
    }

    /** Exit code of a client command refused for its credentials or role (401, 403). */
    static final int AUTHENTICATION_FAILED = 3;
    /** Exit code of a client command whose TLS handshake failed (an untrusted or wrong certificate). */
    static final int TLS_FAILED = 4;

    static int exitCode(Exception e) {
        if (e instanceof KvException k && (k.status() == 401 || k.status() == 403)) {
            return AUTHENTICATION_FAILED;
        }
        // Bounded walk: cause chains are short, and a cycle is cut by the limit.
        Throwable t = e;
        for (int i = 0; i < 8 && t != null; i++) {
            if (t instanceof SSLException) {
                return TLS_FAILED;
            }
            t = t.getCause();
        }
        return 1;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
