package io.ringkv.checker.cli;

import io.ringkv.checker.cluster.OrphanedNodes;
import io.ringkv.checker.harness.RunConfig;
import io.ringkv.checker.harness.RunOutcome;
import io.ringkv.checker.harness.TestRun;
import io.ringkv.checker.nemesis.FaultSchedule;
import io.ringkv.checker.nemesis.Iptables;
import io.ringkv.checker.nemesis.NemesisException;
import io.ringkv.checker.nemesis.NemesisKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.jar.JarFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code kv test}: a fault-injection run against a cluster of real node processes that the command
 * starts and stops itself, with a verdict on every property the chosen quorum settings promise.
 * Exit codes: 0 every promised property held, 1 one was violated, 2 a verdict is unknown or the run
 * could not do all it was asked, 64 bad usage.
 */
@Command(name = "test", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = CheckCommand.USAGE,
        sortOptions = false,
        description = {"Runs a fault-injection test: starts its own cluster on 127.0.0.1..N, runs a workload while "
                + "killing, pausing and partitioning nodes, heals, reads everything back, and checks the history.",
            "Writes history.jsonl, nemesis.log, each node's log, results.json and report.html to the run directory.",
            "Exit code 0: every promised property held, 1: one was violated, 2: unknown or incomplete, 64: bad usage.",
            "Partitions need root and iptables; without them they are skipped, loudly, and the verdict is unknown."})
public final class TestCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--nodes", defaultValue = "3", description = "Node processes (default: ${DEFAULT-VALUE}).")
    private int nodes;

    @Option(names = "--n", defaultValue = "3", description = "Replicas per key (default: ${DEFAULT-VALUE}).")
    private int n;

    @Option(names = "--r", defaultValue = "2", description = "Read quorum (default: ${DEFAULT-VALUE}).")
    private int r;

    @Option(names = "--w", defaultValue = "2", description = "Write quorum (default: ${DEFAULT-VALUE}).")
    private int w;

    @Option(names = "--sloppy", defaultValue = "true", arity = "1", paramLabel = "true|false",
            description = "Sloppy quorums, the cluster's default (default: ${DEFAULT-VALUE}).")
    private boolean sloppy;

    @Option(names = "--read-repair", defaultValue = "async", paramLabel = "async|sync",
            description = "Read repair mode (default: ${DEFAULT-VALUE}).")
    private String readRepair;

    @Option(names = "--conflicts", defaultValue = "siblings", paramLabel = "siblings|lww",
            description = "Keep concurrent writes as siblings, or last writer wins (default: ${DEFAULT-VALUE}).")
    private String conflicts;

    @Option(names = "--workload", defaultValue = "mixed", paramLabel = "register|set|mixed",
            description = "register: linearizability of multi-value registers; set: lost writes; mixed: both "
                    + "(default: ${DEFAULT-VALUE}).")
    private String workload;

    @Option(names = "--nemesis", defaultValue = "all", paramLabel = "LIST",
            description = "Comma list of none, kill, pause, partition, all (default: ${DEFAULT-VALUE}).")
    private String nemesis;

    @Option(names = "--time-limit", defaultValue = "60s", converter = CheckCommand.DurationConverter.class,
            description = "How long the workload and the faults run (default: ${DEFAULT-VALUE}).")
    private Duration timeLimit;

    @Option(names = "--rate", defaultValue = "50", description = "Operations per second, all clients together "
            + "(default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--concurrency", defaultValue = "10", description = "Client threads (default: ${DEFAULT-VALUE}).")
    private int concurrency;

    @Option(names = "--keys", defaultValue = "5", description = "Keys in use at a time, per workload "
            + "(default: ${DEFAULT-VALUE}).")
    private int keys;

    @Option(names = "--ops-per-key", defaultValue = "150", description = "About how many operations a register key "
            + "gets before the clients move to a fresh one; keeps the linearizability check small "
            + "(default: ${DEFAULT-VALUE}).")
    private int opsPerKey;

    @Option(names = "--seed", description = "Seeds the fault schedule and every client's operations; the same seed "
            + "gives the same faults and operations (default: random, printed).")
    private Long seed;

    @Option(names = "--op-timeout", defaultValue = "3s", converter = CheckCommand.DurationConverter.class,
            description = "Timeout of each client request; a timed-out operation is recorded as info "
                    + "(default: ${DEFAULT-VALUE}).")
    private Duration opTimeout;

    @Option(names = "--fault-seconds", defaultValue = "5-10", converter = RangeConverter.class, paramLabel = "MIN-MAX",
            description = "How long each fault lasts, drawn at random (default: ${DEFAULT-VALUE}).")
    private FaultSchedule.Range faultSeconds;

    @Option(names = "--heal-seconds", defaultValue = "5-10", converter = RangeConverter.class, paramLabel = "MIN-MAX",
            description = "How long the cluster runs healed before each fault (default: ${DEFAULT-VALUE}).")
    private FaultSchedule.Range healSeconds;

    @Option(names = "--quiet-period", defaultValue = "10s", converter = CheckCommand.DurationConverter.class,
            description = "Wait after the final heal before the final reads (default: ${DEFAULT-VALUE}).")
    private Duration quietPeriod;

    @Option(names = "--convergence-timeout", defaultValue = "30s", converter = CheckCommand.DurationConverter.class,
            description = "Every key's replicas must agree this long after the final heal, by hinted handoff, "
                    + "anti-entropy and read repair alone, before the harness's final reads (default: ${DEFAULT-VALUE}).")
    private Duration convergenceTimeout;

    @Option(names = "--aae-interval", defaultValue = "5s", converter = CheckCommand.DurationConverter.class,
            description = "Every node's anti-entropy interval (its --aae-interval-ms); less than half the convergence "
                    + "timeout (default: ${DEFAULT-VALUE}).")
    private Duration aaeInterval;

    @Option(names = "--check-budget", defaultValue = "60s", converter = CheckCommand.DurationConverter.class,
            description = "Time budget of the linearizability check; when it runs out the verdict is unknown "
                    + "(default: ${DEFAULT-VALUE}).")
    private Duration checkBudget;

    @Option(names = "--http-port", defaultValue = "7570", description = "HTTP port of every node; replica RPC and "
            + "gossip use the next two (default: ${DEFAULT-VALUE}).")
    private int httpPort;

    @Option(names = "--dir", description = "Run directory (default: runs/<date>-<time>-seed<seed>).")
    private Path dir;

    @Option(names = "--jar", description = "The runnable jar the nodes start from (default: the jar of this command, "
            + "or deploy/target/kv.jar).")
    private Path jar;

    @Option(names = "--node-arg", paramLabel = "OPTION",
            description = "Extra option for every `kv node`, repeatable (e.g. --node-arg=--failure-timeout-seconds=3).")
    private List<String> nodeArgs = new ArrayList<>();

    @Option(names = "--keep-data", description = "Keep the nodes' data directories (by default only their logs).")
    private boolean keepData;

    @Option(names = "--iptables", defaultValue = Iptables.DEFAULT_COMMAND, paramLabel = "COMMAND",
            description = "The iptables command partitions use, e.g. iptables-legacy where the nft backend does not "
                    + "filter loopback traffic (default: ${DEFAULT-VALUE}).")
    private String iptables;

    @Option(names = "--cleanup", description = "Remove the iptables rules a killed run left behind, resume node "
            + "processes it left paused (they then exit), and exit.")
    private boolean cleanup;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (cleanup) {
            return cleanup(out, err);
        }
        RunConfig config;
        try {
            config = config(nodeJar());
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("kv test: " + e.getMessage());
            err.flush();
            return CheckCommand.USAGE;
        }
        RunOutcome outcome;
        try {
            outcome = new TestRun(config, out, System.console() != null).run();
        } catch (IOException e) {
            out.println("kv test verdict: UNKNOWN (the run directory could not be written: " + e.getMessage()
                    + "), run directory: " + config.dir());
            out.flush();
            return 2;
        }
        out.println(outcome.headline());
        out.println("kv test verdict: " + outcome.verdict() + ", run directory: " + outcome.dir());
        out.flush();
        return outcome.exitCode();
    }

    /**
     * The run these options describe.
     *
     * @throws IllegalArgumentException for options that do not make a run
     */
    RunConfig config(Path nodeJar) {
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1L << 48);
        Path runDir = dir != null ? dir : Path.of("runs", LocalDateTime.now()
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-seed" + s);
        return new RunConfig(nodes, n, r, w, sloppy, readRepair, conflicts, workload, NemesisKind.parseList(nemesis),
                timeLimit, rate, concurrency, keys, opsPerKey, s, opTimeout, faultSeconds, healSeconds, quietPeriod,
                convergenceTimeout, aaeInterval, checkBudget, httpPort, nodeJar, runDir.toAbsolutePath(), nodeArgs, keepData,
                iptables);
    }

    private int cleanup(PrintWriter out, PrintWriter err) {
        List<Long> resumed = OrphanedNodes.resume();
        if (!resumed.isEmpty()) {
            out.println("resumed " + resumed.size() + " paused node processes whose kv test had died (they exit now): "
                    + resumed);
        }
        Iptables.Availability a = Iptables.probe(iptables);
        if (!a.available()) {
            err.println("kv test --cleanup: " + a.reason() + "; no iptables rule was removed");
            err.flush();
            return 2;
        }
        try {
            List<String> removed = Iptables.removeLeftovers(iptables);
            out.println(removed.isEmpty() ? "no leftover iptables rules of kv test"
                    : "removed the iptables chains " + String.join(", ", removed) + " and the jumps to them");
            out.flush();
            return 0;
        } catch (NemesisException e) {
            err.println("kv test --cleanup: " + e.getMessage());
            err.flush();
            return 2;
        }
    }

    /** The jar the nodes run: --jar, else the jar this command runs from if it can run nodes, else the build's. */
    private Path nodeJar() {
        if (jar != null) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("--jar " + jar + ": no such file");
            }
            return jar.toAbsolutePath();
        }
        try {
            Path own = Path.of(TestCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (own.toString().endsWith(".jar") && canRunNodes(own)) {
                return own;
            }
        } catch (URISyntaxException | SecurityException e) {
            // Fall back to the build's jar below.
        }
        Path built = Path.of("deploy", "target", "kv.jar");
        if (Files.isRegularFile(built)) {
            return built.toAbsolutePath();
        }
        throw new IllegalArgumentException("no runnable kv jar found: pass --jar, or build it with "
                + "mvn -DskipTests package");
    }

    private static boolean canRunNodes(Path jarFile) {
        try (JarFile j = new JarFile(jarFile.toFile())) {
            return j.getEntry("io/ringkv/node/NodeCommand.class") != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code MIN-MAX} in seconds, decimals allowed: {@code 5-10}, {@code 0.5-2}. */
    static final class RangeConverter implements ITypeConverter<FaultSchedule.Range> {
        @Override
        public FaultSchedule.Range convert(String value) {
            String[] parts = value.strip().split("-");
            try {
                if (parts.length != 2) {
                    throw new IllegalArgumentException();
                }
                return new FaultSchedule.Range(Duration.ofMillis(Math.round(Double.parseDouble(parts[0]) * 1000)),
                        Duration.ofMillis(Math.round(Double.parseDouble(parts[1]) * 1000)));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a range of seconds like 5-10");
            }
        }
    }
}
