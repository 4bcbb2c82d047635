package io.ringkv.checker.harness;

import io.ringkv.checker.CheckerResult;
import io.ringkv.checker.cluster.LocalCluster;
import io.ringkv.checker.cluster.NodeProcess;
import io.ringkv.checker.history.History;
import io.ringkv.checker.history.HistoryWriter;
import io.ringkv.checker.nemesis.FaultSchedule;
import io.ringkv.checker.nemesis.Iptables;
import io.ringkv.checker.nemesis.KillNemesis;
import io.ringkv.checker.nemesis.Nemesis;
import io.ringkv.checker.nemesis.NemesisException;
import io.ringkv.checker.nemesis.NemesisKind;
import io.ringkv.checker.nemesis.NemesisRunner;
import io.ringkv.checker.nemesis.PartitionNemesis;
import io.ringkv.checker.nemesis.PauseNemesis;
import io.ringkv.checker.workload.HistoryRecorder;
import io.ringkv.checker.workload.MixedWorkload;
import io.ringkv.checker.workload.RegisterWorkload;
import io.ringkv.checker.workload.SetWorkload;
import io.ringkv.checker.workload.Worker;
import io.ringkv.checker.workload.WorkerContext;
import io.ringkv.checker.workload.Workload;
import io.ringkv.client.KvClient;
import io.ringkv.client.ReadOptions;
import io.ringkv.ring.Ring;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * One {@code kv test} run, Jepsen's way: start a cluster of real node processes, run the workload
 * and the nemesis for the time limit, heal everything, wait a quiet period, read every key from
 * every replica, watch the replicas converge, stop the cluster, check the history, and write the
 * run directory ({@code history.jsonl}, {@code nemesis.log}, each node's log under {@code nodes/},
 * {@code results.json}, {@code report.html}).
 *
 * <p>Whatever happens (an exception, Ctrl-C), the nodes are stopped and the iptables rules removed:
 * in a {@code finally} block and in a shutdown hook, whichever comes first.
 */
public final class TestRun {

    /** Small nodes: the machine runs several of them, the harness and the checker at once. */
    static final List<String> NODE_JVM = List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");
    static final List<String> NODE_RESOURCES = List.of("--storage-threads", "2", "--cache-mb", "16");
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final Duration RESTART_TIMEOUT = Duration.ofSeconds(90);
    static final Duration REFORM_TIMEOUT = Duration.ofSeconds(60);
    static final Duration FINAL_READS_TIMEOUT = Duration.ofSeconds(60);
    /** The process id of the final reads, above any client thread's. */
    static final int FINAL_READER = 1_000_000;

    private final RunConfig config;
    private final PrintWriter out;
    private final ProgressLine console;
    private final ClusterProbe probe = new ClusterProbe();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /** @param terminal whether {@code out} is a terminal (the progress line then rewrites itself) */
    public TestRun(RunConfig config, PrintWriter out, boolean terminal) {
        this.config = config;
        this.out = out;
        this.console = new ProgressLine(out, terminal);
    }

    /**
     * What the run did before the cluster stopped.
     *
     * @param bySystem    convergence samples from the heal until the final reads: what hinted handoff,
     *                    anti-entropy and read repair achieved on their own; null when not sampled
     * @param afterRepair convergence samples after the harness's final reads; null when not sampled
     */
    private record Execution(HistoryRecorder recorder, ConvergenceSampler.Phase bySystem,
                             ConvergenceSampler.Phase afterRepair) {
        static final Execution NONE = new Execution(null, null, null);
    }

    /**
     * Runs the test and writes the run directory.
     *
     * @throws IOException when the run directory cannot be written
     */
    public RunOutcome run() throws IOException {
        Files.createDirectories(config.dir());
        console.println("kv test: " + config.nodes() + " nodes, n=" + config.n() + " r=" + config.r() + " w=" + config.w()
                + " sloppy=" + config.sloppy() + " read-repair=" + config.readRepair() + " conflicts=" + config.conflicts()
                + ", workload " + config.workload() + ", nemesis " + config.nemesisList() + ", "
                + config.timeLimit().toSeconds() + " s, seed " + config.seed());
        console.println("run directory: " + config.dir().toAbsolutePath());
        List<Promises.Promise> promises = Promises.of(config);
        List<String> nodeArgs = new ArrayList<>(NODE_RESOURCES);
        nodeArgs.addAll(config.clusterArgs());
        LocalCluster cluster = LocalCluster.of(config.jar(), config.dir().resolve(RunOutputs.NODES), config.nodes(),
                config.httpPort(), NODE_JVM, nodeArgs);
        // The hook is in place before the first rule or process exists, so Ctrl-C at any point cleans up.
        Cleanup cleanup = new Cleanup(cluster, console);
        Thread hook = new Thread(cleanup, "kv-test-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        Execution execution = Execution.NONE;
        try {
            List<NemesisKind> kinds = new ArrayList<>(config.nemeses());
            Iptables iptables = preparePartitions(kinds, cleanup);
            execution = execute(cluster, iptables, kinds);
        } catch (RuntimeException e) {
            problems.add("the harness failed: " + e);
        } finally {
            console.show(() -> null);
            console.println("stopping the cluster");
            cleanup.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down: the hook has run or is running.
            }
        }
        if (!config.keepData()) {
            removeData();
        }
        RunOutcome outcome = conclude(execution, promises);
        console.close();
        return outcome;
    }

    /**
     * Checks that partitions can work here and installs the run's chain, which {@code cleanup} then
     * removes; says loudly when partitions cannot work, and takes them out of {@code kinds}.
     */
    private Iptables preparePartitions(List<NemesisKind> kinds, Cleanup cleanup) {
        if (!kinds.contains(NemesisKind.PARTITION)) {
            return null;
        }
        Iptables.Availability availability = Iptables.probe(config.iptables());
        if (availability.available()) {
            Iptables iptables = Iptables.forRun(config.iptables(), config.httpPort(), config.httpPort() + 1,
                    config.httpPort() + 2);
            cleanup.guard(iptables);
            try {
                iptables.install();
                return iptables;
            } catch (NemesisException e) {
                availability = new Iptables.Availability(false, e.getMessage());
            }
        }
        kinds.remove(NemesisKind.PARTITION);
        String warning = "partition nemesis SKIPPED: " + availability.reason() + ". No partition was injected, so this "
                + "run says nothing about partitions.";
        warnings.add(warning);
        problems.add("partition faults were requested but skipped");
        console.println("*** " + warning + " ***");
        return null;
    }

    private Execution execute(LocalCluster cluster, Iptables iptables, List<NemesisKind> kinds) throws IOException {
        console.println("starting " + config.nodes() + " nodes from " + config.jar());
        try {
            cluster.start(START_TIMEOUT, msg -> { });
        } catch (IllegalStateException e) {
            problems.add("the cluster did not start: " + e.getMessage());
            return Execution.NONE;
        }
        console.println("cluster up: " + String.join(" ", cluster.httpAddresses()));
        try (HistoryWriter writer = HistoryWriter.open(config.dir().resolve(RunOutputs.HISTORY))) {
            HistoryRecorder recorder = new HistoryRecorder(writer);
            try (NemesisLog nemesisLog = NemesisLog.open(config.dir().resolve(RunOutputs.NEMESIS_LOG), recorder,
                    console)) {
                warnings.forEach(nemesisLog::note);
                FaultSchedule schedule = FaultSchedule.plan(config.seed(), config.timeLimit(), kinds,
                        config.faultDuration(), config.healDuration());
                nemesisLog.note("schedule of seed " + config.seed() + ": " + schedule.periods().size() + " faults");
                schedule.describe().forEach(nemesisLog::note);
                NemesisRunner nemesis = new NemesisRunner(schedule, nemeses(cluster, iptables, kinds), nemesisLog,
                        recorder::now);
                Workload workload = workload();
                runWorkload(cluster, recorder, workload, nemesis);
                boolean healed = heal(cluster, iptables, nemesis, nemesisLog);
                long healTime = recorder.now();
                // Nothing the harness does reads or writes a key until the system has had its chance:
                // convergence is first judged on hinted handoff, anti-entropy and read repair alone. A
                // cluster the harness could not heal is not judged: its replicas cannot be expected to agree.
                Map<String, List<String>> replicas = healed ? primaries(cluster, workload) : null;
                ConvergenceSampler.Phase bySystem = sampleConvergence(cluster, recorder, replicas, healTime,
                        "waiting for hinted handoff and anti-entropy to converge the replicas");
                quietPeriod(recorder, healTime);
                boolean allRead = finalReads(cluster, recorder, workload);
                ConvergenceSampler.Phase afterRepair = sampleConvergence(cluster, recorder, allRead ? replicas : null,
                        recorder.now(), "checking the replicas after the final reads");
                if (recorder.failure() != null) {
                    problems.add("the history could not be written: " + recorder.failure().getMessage());
                }
                return new Execution(recorder, bySystem, afterRepair);
            }
        }
    }

    private Map<NemesisKind, Nemesis> nemeses(LocalCluster cluster, Iptables iptables, List<NemesisKind> kinds) {
        Map<NemesisKind, Nemesis> nemeses = new EnumMap<>(NemesisKind.class);
        for (NemesisKind kind : kinds) {
            nemeses.put(kind, switch (kind) {
                case KILL -> new KillNemesis(cluster, RESTART_TIMEOUT);
                case PAUSE -> new PauseNemesis(cluster);
                case PARTITION -> new PartitionNemesis(iptables, cluster.nodes());
            });
        }
        return nemeses;
    }

    private Workload workload() {
        RegisterWorkload register = new RegisterWorkload(config.keys(), config.opsPerKey(), config.concurrency());
        SetWorkload set = new SetWorkload(config.keys());
        return switch (config.workload()) {
            case "register" -> register;
            case "set" -> set;
            default -> new MixedWorkload(register, set);
        };
    }

    private void runWorkload(LocalCluster cluster, HistoryRecorder recorder, Workload workload, NemesisRunner nemesis) {
        int threads = config.concurrency();
        long deadline = config.timeLimit().toNanos();
        long interval = (long) (threads / config.rate() * 1e9);
        long maxOps = (long) Math.ceil(config.rate() * config.timeLimit().toMillis() / 1000.0 / threads * 2) + 10;
        AtomicBoolean stop = new AtomicBoolean();
        List<KvClient> clients = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        List<String> addresses = cluster.httpAddresses();
        try {
            for (int w = 0; w < threads; w++) {
                // Each thread starts its round-robin over the nodes at a different node.
                List<String> order = new ArrayList<>(addresses);
                Collections.rotate(order, -(w % addresses.size()));
                KvClient client = KvClient.builder().nodes(order.toArray(String[]::new))
                        .requestTimeout(config.opTimeout().plusSeconds(1)).connectTimeout(Duration.ofSeconds(1)).build();
                clients.add(client);
                WorkerContext ctx = new WorkerContext(w, threads, new Random(threadSeed(w)), client, recorder,
                        config.opTimeout());
                Thread t = new Thread(new Worker(ctx, workload, deadline, interval, maxOps, stop::get), "client-" + w);
                t.setDaemon(true);
                workers.add(t);
            }
            long limit = config.timeLimit().toSeconds();
            console.show(() -> String.format("%6.1f s / %d s  %d ops (%d ok, %d fail, %d info)  faults active: %s",
                    recorder.now() / 1e9, limit, recorder.completed(), recorder.okCount(), recorder.failCount(),
                    recorder.infoCount(), Optional.ofNullable(nemesis.activeFault()).orElse("none")));
            nemesis.start();
            workers.forEach(Thread::start);
            // A thread stops at the time limit, after its last request has timed out at the latest.
            long joinBy = System.nanoTime() + config.timeLimit().plus(config.opTimeout().multipliedBy(3))
                    .plusSeconds(10).toNanos();
            for (Thread t : workers) {
                t.join(Math.max(1, (joinBy - System.nanoTime()) / 1_000_000));
            }
            if (workers.stream().anyMatch(Thread::isAlive)) {
                stop.set(true);
                workers.forEach(Thread::interrupt);
                problems.add("client threads were still busy well past the time limit");
            }
        } catch (InterruptedException e) {
            stop.set(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the workload ran", e);
        } finally {
            clients.forEach(KvClient::close);
        }
    }

    /**
     * Ends the schedule, then makes sure every fault is gone and every node is back and sees the others.
     *
     * @return whether it did; when not, what went wrong is among the problems
     */
    private boolean heal(LocalCluster cluster, Iptables iptables, NemesisRunner nemesis, NemesisLog nemesisLog) {
        console.show(() -> "healing");
        int before = problems.size();
        if (!nemesis.stopAndHeal(RESTART_TIMEOUT.plusSeconds(30))) {
            problems.add("the nemesis did not finish healing in time");
        }
        nemesis.errors().forEach(e -> problems.add("nemesis: " + e));
        if (iptables != null) {
            try {
                iptables.heal();
            } catch (NemesisException e) {
                problems.add("could not remove the partition rules: " + e.getMessage());
            }
        }
        for (NodeProcess n : cluster.nodes()) {
            n.resume();
            if (!n.isAlive()) {
                n.start();
            }
        }
        try {
            cluster.awaitHealthy(cluster.nodes(), cluster.nodes().size(), RESTART_TIMEOUT, msg -> { });
        } catch (IllegalStateException e) {
            problems.add("after the heal, " + e.getMessage());
        }
        if (!probe.awaitAllLive(cluster.nodes(), REFORM_TIMEOUT)) {
            problems.add("after the heal, the nodes did not all see each other live within "
                    + REFORM_TIMEOUT.toSeconds() + " s");
        }
        nemesisLog.closeOpen("healed by the harness at the end of the run");
        nemesisLog.announce("everything healed; " + nemesis.injected() + " faults were injected");
        return problems.size() == before;
    }

    private void quietPeriod(HistoryRecorder recorder, long healTime) {
        long end = healTime + config.quietPeriod().toNanos();
        console.show(() -> String.format("quiet period: %.0f s left", Math.max(0, end - recorder.now()) / 1e9));
        long left = end - recorder.now();
        if (left > 0) {
            ClusterProbe.sleep(left / 1_000_000);
        }
    }

    /** @return whether every key was read */
    private boolean finalReads(LocalCluster cluster, HistoryRecorder recorder, Workload workload) {
        List<String> keys = workload.keys();
        console.show(() -> "final reads of " + keys.size() + " keys");
        Duration timeout = config.opTimeout().compareTo(Duration.ofSeconds(5)) > 0 ? config.opTimeout()
                : Duration.ofSeconds(5);
        try (KvClient client = KvClient.builder().nodes(cluster.httpAddresses().toArray(String[]::new))
                .requestTimeout(timeout.plusSeconds(1)).build()) {
            WorkerContext reader = new WorkerContext(FINAL_READER, 1, new Random(config.seed()), client, recorder,
                    timeout);
            List<String> unread = FinalReads.run(workload, keys, reader,
                    new ReadOptions(config.n(), timeout, "sync", false), recorder.now() + FINAL_READS_TIMEOUT.toNanos());
            if (!unread.isEmpty()) {
                problems.add("the final read of " + unread.size() + " keys failed: " + String.join(", ",
                        unread.subList(0, Math.min(10, unread.size()))));
            }
            return unread.isEmpty();
        }
    }

    /**
     * Every key's primaries by node id, from the ring a node tells; null, with the reason among the
     * problems, when no node told it or it does not give each key n primaries among the run's nodes.
     */
    private Map<String, List<String>> primaries(LocalCluster cluster, Workload workload) {
        Optional<Ring> ring = probe.ring(cluster.nodes());
        if (ring.isEmpty()) {
            problems.add("no node told the ring: convergence was not checked");
            return null;
        }
        List<String> ids = cluster.nodes().stream().map(NodeProcess::id).toList();
        Map<String, List<String>> replicas = new LinkedHashMap<>();
        for (String key : workload.keys()) {
            List<String> primaries = ring.get().preferenceList(key, config.n()).primaries();
            if (primaries.size() != config.n() || !ids.containsAll(primaries)) {
                problems.add("the ring gives key " + key + " the primaries " + primaries + ", not " + config.n()
                        + " of the run's nodes " + ids + ": convergence was not checked");
                return null;
            }
            replicas.put(key, primaries);
        }
        return replicas;
    }

    /** Samples every primary of every key from {@code since} until they agree or the convergence deadline. */
    private ConvergenceSampler.Phase sampleConvergence(LocalCluster cluster, HistoryRecorder recorder,
                                                       Map<String, List<String>> replicas, long since, String what) {
        if (replicas == null) {
            return null;
        }
        long deadline = since + config.convergenceTimeout().toNanos();
        console.show(() -> String.format("%s: %.0f s left", what, Math.max(0, deadline - recorder.now()) / 1e9));
        Map<String, NodeProcess> byId = new LinkedHashMap<>();
        cluster.nodes().forEach(n -> byId.put(n.id(), n));
        return ConvergenceSampler.sample(probe, replicas, byId, recorder, since, deadline);
    }

    private RunOutcome conclude(Execution execution, List<Promises.Promise> promises) throws IOException {
        History history = null;
        List<CheckerResult> results;
        if (execution.recorder() == null) {
            results = unchecked(promises, "not checked: the run ended before its workload ran");
        } else {
            try {
                history = History.readJsonl(config.dir().resolve(RunOutputs.HISTORY));
                results = Checks.run(config, history, execution.bySystem(), execution.afterRepair(),
                        console::println);
            } catch (IOException | RuntimeException e) {
                problems.add("the history could not be checked: " + e.getMessage());
                results = unchecked(promises, "not checked: " + e.getMessage());
            }
        }
        RunOutcome outcome = Judge.judge(results, promises, problems, config.dir());
        RunOutputs.write(config, outcome, history, results, promises, warnings, problems);
        printResults(results, promises);
        return outcome;
    }

    private static List<CheckerResult> unchecked(List<Promises.Promise> promises, String why) {
        return promises.stream().<CheckerResult>map(p -> new Unchecked(p.checker(), why)).toList();
    }

    private void printResults(List<CheckerResult> results, List<Promises.Promise> promises) {
        out.println("results:");
        for (CheckerResult r : results) {
            boolean promised = promises.stream().anyMatch(p -> p.checker().equals(r.checker()) && p.promised());
            out.printf("  %-16s %-8s %-13s %s%n", r.checker(), r.verdict(), promised ? "promised" : "not promised",
                    r.summary());
        }
        for (String w : warnings) {
            out.println("*** " + w + " ***");
        }
        for (String p : problems) {
            out.println("incomplete: " + p);
        }
        out.println("report: " + config.dir().resolve(RunOutputs.REPORT).toAbsolutePath());
        out.flush();
    }

    /** Keeps each node's log, removes its data (RocksDB files, hints): a run directory stays small. */
    private void removeData() {
        Path nodes = config.dir().resolve(RunOutputs.NODES);
        if (!Files.isDirectory(nodes)) {
            return;
        }
        try (Stream<Path> files = Files.walk(nodes)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                boolean keep = p.getFileName().toString().equals("node.log") || p.equals(nodes)
                        || (Files.isDirectory(p) && p.getParent().equals(nodes));
                if (!keep) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            warnings.add("could not remove the nodes' data under " + nodes + ": " + e.getMessage());
        }
    }

    /** A seed per client thread, derived from the run's seed, distinct per thread. */
    private long threadSeed(int thread) {
        return new SplittableRandom(config.seed() ^ (0x9E3779B97F4A7C15L * (thread + 1))).nextLong();
    }

    /** Stops the nodes and removes the partition rules; once, from whichever thread gets there first. */
    private static final class Cleanup implements Runnable {
        private final LocalCluster cluster;
        private final ProgressLine console;
        private Iptables iptables;
        private boolean done;

        Cleanup(LocalCluster cluster, ProgressLine console) {
            this.cluster = cluster;
            this.console = console;
        }

        /** Removes these rules too; call before installing them. */
        synchronized void guard(Iptables rules) {
            this.iptables = rules;
        }

        @Override
        public synchronized void run() {
            if (done) {
                return;
            }
            done = true;
            if (iptables != null) {
                try {
                    iptables.uninstall();
                } catch (NemesisException e) {
                    console.println("could not remove the iptables chain " + iptables.chain() + ": " + e.getMessage()
                            + "; run `kv test --cleanup` as root");
                }
            }
            cluster.close();
        }
    }
}
