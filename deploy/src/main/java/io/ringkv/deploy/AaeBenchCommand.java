package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.checker.cluster.LocalCluster;
import io.ringkv.checker.cluster.NodeProcess;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code kv aae bench}: how anti-entropy repairs a replica that missed writes, on a local 3-node cluster
 * (n=3, sloppy quorums off, so no hints). It writes {@code --keys} keys to every replica, takes node 3
 * down, rewrites {@code --diverged} of them with w=2, brings node 3 back and, with no client reading those
 * keys, waits until every replica of every rewritten key holds the same state. Meanwhile a foreground
 * load reads and writes other keys at a fixed rate. Its latency is reported in three windows: while node 3
 * is back but anti-entropy has not started yet (exchanges with a returning replica wait one interval; the
 * first seconds after the restart are left out as warm-up), while the exchanges run, and after they are
 * done. A benchmark, not a test: it prints figures and judges nothing.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures anti-entropy on a local 3-node cluster: convergence time, keys and bytes exchanged",
                "relative to the diverged data, and foreground p99 latency with and without exchanges running."})
final class AaeBenchCommand implements Callable<Integer> {


    @Option(names = "--keys", description = "Keys written to every replica (default: ${DEFAULT-VALUE}).", defaultValue = "100000")
    int keys;

    @Option(names = "--diverged", description = "Keys rewritten while node 3 is down (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    int diverged;

    @Option(names = "--value-size", description = "Bytes per value (default: ${DEFAULT-VALUE}).", defaultValue = "256")
    int valueSize;

    @Option(names = "--rate", description = "Foreground requests per second, half reads, half writes (default: ${DEFAULT-VALUE}).",
            defaultValue = "200")
    int rate;

    @Option(names = "--foreground-keys", description = "Keys the foreground load uses, none of them diverged (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000")
    int foregroundKeys;

    @Option(names = "--warmup-seconds", description = "Foreground seconds after node 3 is back that are not measured "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int warmupSeconds;

    @Option(names = "--baseline-seconds", description = "Foreground seconds measured before anti-entropy starts; with the "
            + "warm-up, less than the exchange interval (default: ${DEFAULT-VALUE}).", defaultValue = "15")
    int baselineSeconds;

    @Option(names = "--after-seconds", description = "Foreground seconds measured once the replicas converged "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "10")
    int afterSeconds;

    @Option(names = "--aae-interval-ms", description = "The nodes' --aae-interval-ms (default: ${DEFAULT-VALUE}).", defaultValue = "30000")
    long intervalMs;

    @Option(names = "--aae-keys-per-second", description = "The nodes' --aae-keys-per-second (default: ${DEFAULT-VALUE}).",
            defaultValue = "2000")
    int keysPerSecond;

    @Option(names = "--crash", description = "Kill node 3 (SIGKILL, its trees are rebuilt) instead of stopping it.")
    boolean crash;

    @Option(names = "--dir", description = "Data directory, emptied first (default: ${DEFAULT-VALUE}).", defaultValue = "data/aae-bench")
    Path dir;

    @Option(names = "--http-port", description = "HTTP port of every node; RPC and gossip use the next two (default: ${DEFAULT-VALUE}).",
            defaultValue = "17670")
    int port;

    @Option(names = "--timeout-seconds", description = "Give up waiting for convergence after this long (default: ${DEFAULT-VALUE}).",
            defaultValue = "600")
    int timeoutSeconds;

    private LocalCluster cluster;
    private BenchHttp api;

    @Override
    public Integer call() throws Exception {
        if (diverged < 1 || diverged > keys || (warmupSeconds + baselineSeconds) * 1000L >= intervalMs || rate < 1) {
            throw new IllegalArgumentException("need 1 <= --diverged <= --keys, --rate >= 1, and --warmup-seconds plus "
                    + "--baseline-seconds shorter than --aae-interval-ms");
        }
        ForegroundLoad.deleteRecursively(dir);
        cluster = LocalCluster.of(LocalCommand.ownJar(), dir, 3, port, LocalCluster.DEFAULT_JVM_OPTIONS,
                List.of("--n", "3", "--r", "2", "--w", "2", "--sloppy", "false", "--aae-interval-ms", String.valueOf(intervalMs),
                        "--aae-keys-per-second", String.valueOf(keysPerSecond)));
        api = new BenchHttp(cluster);
        try {
            System.err.println("starting 3 nodes under " + dir.toAbsolutePath());
            cluster.start(Duration.ofSeconds(120), msg -> System.err.println("  " + msg));
            return run();
        } finally {
            System.err.println("stopping the cluster");
            cluster.close();
        }
    }

    private int run() throws Exception {
        byte[] value = new byte[valueSize];
        new Random(1).nextBytes(value);
        long t = System.nanoTime();
        int step = keys / diverged;
        // The contexts of the keys to rewrite, so that the rewrites supersede the values instead of adding siblings.
        Map<String, String> contexts = new ConcurrentHashMap<>();
        api.writeAll(keys, i -> "aae-" + i, i -> 1 + i % 2, value, "w=3", contexts,
                key -> Integer.parseInt(key.substring(4)) % step == 0);
        api.writeAll(foregroundKeys, i -> "fg-" + i, i -> 1 + i % 2, value, "w=3", contexts, key -> false);
        System.err.printf("loaded %d + %d keys in %.1f s%n", keys, foregroundKeys, (System.nanoTime() - t) / 1e9);
        if (contexts.size() < diverged) {
            System.err.printf("note: %d of the %d rewrites carry no context and add a sibling%n", diverged - contexts.size(), diverged);
        }
        awaitTreesBuilt();

        NodeProcess third = cluster.node(3);
        if (crash) {
            third.kill();
        } else {
            third.stop(Duration.ofSeconds(30));
        }
        awaitLive(1, 2);
        byte[] fresh = new byte[valueSize];
        new Random(2).nextBytes(fresh);
        t = System.nanoTime();
        api.writeAll(diverged, i -> "aae-" + (i * step), i -> 1 + i % 2, fresh, "w=2&sloppy=false", contexts, key -> false);
        System.err.printf("node 3 down (%s); rewrote %d keys with w=2 in %.1f s%n", crash ? "killed" : "stopped", diverged,
                (System.nanoTime() - t) / 1e9);
        Totals before = totals();

        third.start();
        cluster.awaitHealthy(cluster.nodes(), 3, Duration.ofSeconds(120), msg -> System.err.println("  " + msg));
        awaitLive(3, 3);
        long back = System.currentTimeMillis();
        System.err.printf("node 3 back; foreground load at %d req/s; warm-up %d s, baseline %d s%n", rate, warmupSeconds,
                baselineSeconds);

        ForegroundLoad fg = new ForegroundLoad(api.http, List.of(cluster.node(1).httpAddress(), cluster.node(2).httpAddress()),
                "fg", foregroundKeys, valueSize, rate);
        try {
            Thread.sleep(warmupSeconds * 1000L);
            long[] baseline = {System.currentTimeMillis(), 0};
            Thread.sleep(baselineSeconds * 1000L);
            baseline[1] = System.currentTimeMillis();
            long repairedInBaseline = totals().minus(before).repaired;
            long converged = awaitConvergence(before, step);
            System.err.printf("converged; measuring %d s more%n", afterSeconds);
            long[] after = {System.currentTimeMillis(), 0};
            Thread.sleep(afterSeconds * 1000L);
            after[1] = System.currentTimeMillis();
            fg.close();
            report(fg, back, baseline, after, repairedInBaseline, before, converged);
        } finally {
            fg.close();
        }
        return 0;
    }

    private void report(ForegroundLoad fg, long back, long[] baselineWindow, long[] afterWindow, long repairedInBaseline,
                        Totals before, long convergedAt) throws Exception {
        Totals delta = totals().minus(before);
        // The exchanges with node 3 that repaired something: the window anti-entropy ran in.
        long first = Long.MAX_VALUE;
        long last = 0;
        for (int i = 1; i <= 3; i++) {
            for (JsonNode p : api.get(i, "/cluster/aae").path("partitions")) {
                for (JsonNode peer : p.path("peers")) {
                    JsonNode e = peer.get("last_exchange");
                    boolean withThird = peer.path("peer").asText().equals("n3") || i == 3;
                    if (e != null && withThird && e.path("keys_repaired").asLong() > 0) {
                        long start = Instant.parse(e.path("started_at").asText()).toEpochMilli();
                        first = Math.min(first, start);
                        last = Math.max(last, start + e.path("duration_ms").asLong());
                    }
                }
            }
        }
        Histogram baseline = fg.between(baselineWindow[0], baselineWindow[1]);
        Histogram during = fg.between(first, Math.max(last, first + ForegroundLoad.SAMPLE_MS));
        Histogram after = fg.between(afterWindow[0], afterWindow[1]);
        long divergedBytes = (long) diverged * valueSize;
        PrintStream out = System.out;
        out.printf("anti-entropy benchmark: %d keys, %d diverged on n3 (%.2f%%), %d-byte values, node 3 %s while they were written%n",
                keys, diverged, 100.0 * diverged / keys, valueSize, crash ? "killed" : "stopped");
        out.printf("  nodes: --aae-interval-ms %d --aae-keys-per-second %d --aae-concurrency 1 (default)%n", intervalMs, keysPerSecond);
        out.printf("  converged: %d ms from the first exchange with n3 to the end of the last one that repaired%n", last - first);
        out.printf("             (%d ms after n3 was back; exchanges with a returning node wait one interval, %d ms)%n",
                convergedAt - back, intervalMs);
        out.printf("  keys repaired: %d (%.2f x diverged); keys compared: %d (%.2f x diverged)%n", delta.repaired,
                (double) delta.repaired / diverged, delta.compared, (double) delta.compared / diverged);
        out.printf("  bytes exchanged (sent + received by the nodes that started exchanges): %d = %.2f x the diverged values "
                + "(%d bytes), %d bytes per diverged key%n", delta.bytes, (double) delta.bytes / divergedBytes, divergedBytes,
                delta.bytes / diverged);
        out.printf("  exchanges: %d completed, %d failed%n", delta.completed, delta.failed);
        out.printf("  foreground at %d req/s, 50%% reads (r=2), 50%% writes (w=2), other keys:%n", rate);
        ForegroundLoad.line(out, "before anti-entropy, n3 back (" + (baselineWindow[1] - baselineWindow[0]) / 1000 + " s)", baseline);
        ForegroundLoad.line(out, "during the exchanges (" + (last - first) + " ms)", during);
        ForegroundLoad.line(out, "after convergence (" + (afterWindow[1] - afterWindow[0]) / 1000 + " s)", after);
        if (repairedInBaseline > 0) {
            out.printf("  WARNING: %d keys were repaired during the baseline: it is not free of anti-entropy%n", repairedInBaseline);
        }
    }

    /** Waits until every rewritten key has one state on all three nodes; returns when (wall-clock ms). */
    private long awaitConvergence(Totals before, int step) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        List<String> pending = new ArrayList<>();
        for (int i = 0; i < diverged; i++) {
            pending.add("aae-" + (i * step));
        }
        while (System.nanoTime() < deadline) {
            if (totals().minus(before).repaired >= pending.size()) {
                pending.removeIf(this::sameEverywhere);
                if (pending.isEmpty()) {
                    return System.currentTimeMillis();
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(pending.size() + " keys still differ after " + timeoutSeconds + " s");
    }

    private boolean sameEverywhere(String key) {
        try {
            String fingerprint = null;
            for (int i = 1; i <= 3; i++) {
                String f = api.get(i, "/debug/replica/" + ForegroundLoad.encode(key)).path("fingerprint").asText();
                if (fingerprint != null && !fingerprint.equals(f)) {
                    return false;
                }
                fingerprint = f;
            }
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private void awaitTreesBuilt() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (int i = 1; i <= 3; i++) {
            while (true) {
                boolean built = true;
                for (JsonNode p : api.get(i, "/cluster/aae").path("partitions")) {
                    built &= p.path("tree").path("built").asBoolean();
                }
                if (built) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("trees of n" + i + " not built in time");
                }
                Thread.sleep(200);
            }
        }
    }

    /** Waits until node 1 sees {@code count} live members (node {@code upTo} included). */
    private void awaitLive(int upTo, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            int live = 0;
            for (JsonNode m : api.get(1, "/cluster").path("members")) {
                live += m.path("live").asBoolean() ? 1 : 0;
            }
            if (live == count) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("node 1 does not see " + count + " live members (waiting for n" + upTo + ")");
    }

    private record Totals(long completed, long failed, long compared, long repaired, long bytes) {
        Totals minus(Totals o) {
            return new Totals(completed - o.completed, failed - o.failed, compared - o.compared, repaired - o.repaired, bytes - o.bytes);
        }
    }

    /** Anti-entropy totals over the live nodes. */
    private Totals totals() throws Exception {
        long[] sum = new long[5];
        for (int i = 1; i <= 3; i++) {
            if (!cluster.node(i).isAlive()) {
                continue;
            }
            JsonNode t = api.get(i, "/cluster/aae").path("totals");
            sum[0] += t.path("exchanges_completed").asLong();
            sum[1] += t.path("exchanges_failed").asLong();
            sum[2] += t.path("keys_compared").asLong();
            sum[3] += t.path("keys_repaired").asLong();
            sum[4] += t.path("bytes").asLong();
        }
        return new Totals(sum[0], sum[1], sum[2], sum[3], sum[4]);
    }


}
