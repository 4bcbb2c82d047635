package io.ringkv.checker.harness;

import io.ringkv.checker.nemesis.FaultSchedule;
import io.ringkv.checker.nemesis.NemesisKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything a {@code kv test} run is made of: the cluster, its quorum settings, the workload, the
 * faults and the timings. Validated on construction, so a run never starts with settings it would
 * trip over later.
 *
 * @param nodes              node processes, on 127.0.0.1 .. 127.0.0.nodes
 * @param n                  replicas per key
 * @param r                  the cluster's default read quorum
 * @param w                  the cluster's default write quorum
 * @param sloppy             sloppy quorums (fallbacks stand in for unreachable primaries)
 * @param readRepair         {@code sync} or {@code async}
 * @param conflicts          {@code siblings} or {@code lww}
 * @param workload           {@code register}, {@code set} or {@code mixed}
 * @param nemeses            the faults to inject; empty for none
 * @param timeLimit          how long the workload and the faults run
 * @param rate               operations per second, all client threads together
 * @param concurrency        client threads
 * @param keys               keys in use at a time, per workload
 * @param opsPerKey          about how many operations a register key gets before the next one is used
 * @param seed               seeds the fault schedule and every thread's operations
 * @param opTimeout          the timeout of each client request
 * @param faultDuration      how long each fault lasts
 * @param healDuration       how long the cluster runs healed before each fault
 * @param quietPeriod        the wait between the final heal and the final reads
 * @param convergenceTimeout how long after the final heal every key's replicas must agree, by the
 *                           system's own repairs (before the harness's final reads), and again after them
 * @param aaeInterval        every node's anti-entropy interval ({@code --aae-interval-ms}): short, so
 *                           that anti-entropy gets its turns within the convergence deadline
 * @param checkBudget        the linearizability checker's time budget
 * @param httpPort           every node's HTTP port; replica RPC and gossip use the next two
 * @param jar                the runnable jar the nodes are started from
 * @param dir                the run directory
 * @param nodeArgs           extra {@code kv node} options for every node
 * @param keepData           keep the nodes' data directories (only their logs are kept otherwise)
 * @param iptables           the iptables command partitions use ({@code iptables}, {@code iptables-legacy}, a path)
 */
public record RunConfig(int nodes, int n, int r, int w, boolean sloppy, String readRepair, String conflicts,
                        String workload, List<NemesisKind> nemeses, Duration timeLimit, double rate, int concurrency,
                        int keys, int opsPerKey, long seed, Duration opTimeout, FaultSchedule.Range faultDuration,
                        FaultSchedule.Range healDuration, Duration quietPeriod, Duration convergenceTimeout,
                        Duration aaeInterval, Duration checkBudget, int httpPort, Path jar, Path dir, List<String> nodeArgs,
                        boolean keepData, String iptables) {

    /** Node addresses are 127.0.0.i, and Linux routes all of 127.0.0.0/8 to the loopback device. */
    public static final int MAX_NODES = 250;

    /** The {@code kv node} options {@link #clusterArgs} sets; a {@code --node-arg} may not set them again. */
    private static final List<String> HARNESS_NODE_OPTIONS = List.of("--n", "--r", "--w", "--sloppy", "--read-repair",
            "--conflicts", "--aae-interval-ms");

    public RunConfig {
        readRepair = readRepair.toLowerCase(Locale.ROOT);
        conflicts = conflicts.toLowerCase(Locale.ROOT);
        workload = workload.toLowerCase(Locale.ROOT);
        nemeses = List.copyOf(nemeses);
        nodeArgs = List.copyOf(nodeArgs);
        require(nodes >= 1 && nodes <= MAX_NODES, "--nodes must be between 1 and " + MAX_NODES + ", got " + nodes);
        require(n >= 1 && n <= nodes, "--n must be between 1 and --nodes=" + nodes + ", got " + n);
        require(r >= 1 && r <= n, "--r must be between 1 and --n=" + n + ", got " + r);
        require(w >= 1 && w <= n, "--w must be between 1 and --n=" + n + ", got " + w);
        require(readRepair.equals("sync") || readRepair.equals("async"), "--read-repair must be sync or async");
        require(conflicts.equals("siblings") || conflicts.equals("lww"), "--conflicts must be siblings or lww");
        require(List.of("register", "set", "mixed").contains(workload), "--workload must be register, set or mixed");
        require(!nemeses.contains(NemesisKind.PARTITION) || nodes >= 2, "a partition needs at least 2 nodes");
        require(positive(timeLimit), "--time-limit must be positive");
        require(rate > 0 && rate <= 100_000, "--rate must be between 0 and 100000 operations per second");
        require(concurrency >= 1 && concurrency <= 1000, "--concurrency must be between 1 and 1000");
        require(keys >= 1 && keys <= 10_000, "--keys must be between 1 and 10000");
        require(opsPerKey >= 1, "--ops-per-key must be positive");
        require(positive(opTimeout), "--op-timeout must be positive");
        require(!quietPeriod.isNegative(), "--quiet-period must not be negative");
        require(positive(convergenceTimeout), "--convergence-timeout must be positive");
        // A replica back from a fault is compared one interval after it returns, and a pair that
        // failed is retried: two intervals must fit in the deadline for the promise to be fair.
        require(aaeInterval != null && aaeInterval.toMillis() >= 1
                        && aaeInterval.multipliedBy(2).compareTo(convergenceTimeout) < 0,
                "--aae-interval must be at least 1 ms and less than half of --convergence-timeout");
        require(positive(checkBudget), "--check-budget must be positive");
        require(httpPort >= 1 && httpPort <= 65533, "--http-port must leave room for the next two ports");
        require(iptables != null && !iptables.isBlank(), "--iptables must name a command");
        for (String arg : nodeArgs) {
            String option = arg.split("=", 2)[0];
            require(!HARNESS_NODE_OPTIONS.contains(option), "--node-arg cannot set " + option
                    + ": the run sets it from its own option, which the promises and the report describe");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    public boolean registers() {
        return !workload.equals("set");
    }

    public boolean sets() {
        return !workload.equals("register");
    }

    /** The cluster settings every node starts with. */
    public List<String> clusterArgs() {
        List<String> args = new ArrayList<>(List.of("--n", String.valueOf(n), "--r", String.valueOf(r),
                "--w", String.valueOf(w), "--sloppy", String.valueOf(sloppy), "--read-repair", readRepair,
                "--conflicts", conflicts, "--aae-interval-ms", String.valueOf(aaeInterval.toMillis())));
        args.addAll(nodeArgs);
        return args;
    }

    /** The settings as shown in reports, in a stable order. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("nodes", String.valueOf(nodes));
        m.put("n / r / w", n + " / " + r + " / " + w);
        m.put("sloppy quorums", String.valueOf(sloppy));
        m.put("read repair", readRepair);
        m.put("conflicts", conflicts);
        m.put("workload", workload);
        m.put("nemesis", nemesisList());
        m.put("time limit", seconds(timeLimit));
        m.put("rate / concurrency / keys", rate + " ops/s / " + concurrency + " threads / " + keys + " keys");
        m.put("seed", String.valueOf(seed));
        m.put("fault / heal periods", faultDuration + " / " + healDuration);
        m.put("op timeout / quiet period / convergence deadline", seconds(opTimeout) + " / " + seconds(quietPeriod)
                + " / " + seconds(convergenceTimeout));
        m.put("anti-entropy interval", seconds(aaeInterval));
        if (!nodeArgs.isEmpty()) {
            m.put("node options", String.join(" ", nodeArgs));
        }
        return m;
    }

    /** The command that runs this configuration again, with the same faults and operations. */
    public String command() {
        List<String> c = new ArrayList<>(List.of("kv", "test", "--nodes", String.valueOf(nodes),
                "--n", String.valueOf(n), "--r", String.valueOf(r), "--w", String.valueOf(w),
                "--sloppy", String.valueOf(sloppy), "--read-repair", readRepair, "--conflicts", conflicts,
                "--workload", workload, "--nemesis", nemesisList(), "--time-limit", seconds(timeLimit),
                "--rate", trim(rate), "--concurrency", String.valueOf(concurrency), "--keys", String.valueOf(keys),
                "--ops-per-key", String.valueOf(opsPerKey), "--op-timeout", seconds(opTimeout),
                "--fault-seconds", range(faultDuration), "--heal-seconds", range(healDuration),
                "--quiet-period", seconds(quietPeriod), "--convergence-timeout", seconds(convergenceTimeout),
                "--aae-interval", seconds(aaeInterval),
                "--seed", String.valueOf(seed)));
        for (String a : nodeArgs) {
            c.add("--node-arg=" + a);
        }
        if (!iptables.equals("iptables")) {
            c.add("--iptables");
            c.add(iptables);
        }
        return String.join(" ", c);
    }

    public String nemesisList() {
        return nemeses.isEmpty() ? "none" : nemeses.stream().map(NemesisKind::cliName).collect(Collectors.joining(","));
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static String range(FaultSchedule.Range range) {
        return trim(range.min().toMillis() / 1000.0) + "-" + trim(range.max().toMillis() / 1000.0);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
