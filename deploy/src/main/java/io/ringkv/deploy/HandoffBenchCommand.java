package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.checker.cluster.LocalCluster;
import io.ringkv.ring.Ring;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code kv cluster handoff-bench}: how long handing one partition over to a joining node takes, and
 * what it costs foreground requests. On a local cluster of three nodes (n=3) plus a fourth started with
 * {@code --auto-join false}, it stages the fourth's join, picks one partition the plan moves to it, fills
 * that partition with {@code --keys} keys (w=3, so every current primary holds all of them), measures a
 * foreground load, commits, and reports the time until that partition's handoffs were all done and until
 * the ring changed, with foreground latency before, during and after. Every other partition is empty, so
 * the figures are those of the one full partition. A benchmark, not a test: it prints figures and judges
 * nothing, apart from checking that the new replica holds every key.
 */
@Command(name = "handoff-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures ownership handoff on a local cluster: the time to hand one partition of --keys keys",
                "to a joining node, and foreground p99 latency before, during and after the transfer."})
final class HandoffBenchCommand implements Callable<Integer> {

    @Option(names = "--keys", description = "Keys in the partition handed off (default: ${DEFAULT-VALUE}).", defaultValue = "100000")
    int keys;

    @Option(names = "--value-size", description = "Bytes per value (default: ${DEFAULT-VALUE}).", defaultValue = "256")
    int valueSize;

    @Option(names = "--handoff-keys-per-second", description = "The nodes' --handoff-keys-per-second (default: ${DEFAULT-VALUE}).",
            defaultValue = "5000")
    int handoffRate;

    @Option(names = "--rate", description = "Foreground requests per second, half reads, half writes (default: ${DEFAULT-VALUE}).",
            defaultValue = "200")
    int rate;

    @Option(names = "--foreground-keys", description = "Keys the foreground load uses (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000")
    int foregroundKeys;

    @Option(names = "--baseline-seconds", description = "Foreground seconds measured before the commit (default: ${DEFAULT-VALUE}).",
            defaultValue = "15")
    int baselineSeconds;

    @Option(names = "--after-seconds", description = "Foreground seconds measured after the ring changed (default: ${DEFAULT-VALUE}).",
            defaultValue = "10")
    int afterSeconds;

    @Option(names = "--dir", description = "Data directory, emptied first (default: ${DEFAULT-VALUE}).", defaultValue = "data/handoff-bench")
    Path dir;

    @Option(names = "--http-port", description = "HTTP port of every node; RPC and gossip use the next two (default: ${DEFAULT-VALUE}).",
            defaultValue = "7170")
    int port;

    @Option(names = "--timeout-seconds", description = "Give up waiting for the handoff after this long (default: ${DEFAULT-VALUE}).",
            defaultValue = "900")
    int timeoutSeconds;

    private LocalCluster cluster;
    private BenchHttp api;

    @Override
    public Integer call() throws Exception {
        if (keys < 1 || rate < 1 || foregroundKeys < 1) {
            throw new IllegalArgumentException("--keys, --rate and --foreground-keys must be positive");
        }
        ForegroundLoad.deleteRecursively(dir);
        cluster = LocalCluster.of(LocalCommand.ownJar(), dir, 4, port, LocalCluster.DEFAULT_JVM_OPTIONS,
                List.of("--n", "3", "--r", "2", "--w", "2", "--handoff-keys-per-second", String.valueOf(handoffRate)),
                i -> i == 4 ? List.of("--auto-join", "false") : List.of());
        api = new BenchHttp(cluster);
        try {
            System.err.println("starting 3 nodes, and a 4th that waits to be joined, under " + dir.toAbsolutePath());
            cluster.node(1).start();
            cluster.awaitHealthy(List.of(cluster.node(1)), 1, Duration.ofSeconds(120), msg -> System.err.println("  " + msg));
            cluster.node(2).start();
            cluster.node(3).start();
            cluster.awaitHealthy(cluster.nodes().subList(0, 3), 3, Duration.ofSeconds(120), msg -> System.err.println("  " + msg));
            cluster.node(4).start();
            return run();
        } finally {
            System.err.println("stopping the cluster");
            cluster.close();
        }
    }

    private int run() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!api.get(1, "/cluster").path("live_not_in_ring").toString().contains("\"n4\"")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("n4 never became a live member");
            }
            Thread.sleep(200);
        }
        JsonNode plan = api.post(1, "/cluster/staged", "{\"join\":\"n4\"}");
        if (!plan.has("transfers")) {
            throw new IllegalStateException("staging the join failed: " + plan);
        }
        int partition = plan.path("transfers").get(0).path("partition").asInt();
        JsonNode status = api.get(1, "/cluster");
        List<String> owners = new ArrayList<>();
        status.path("owners").forEach(o -> owners.add(o.asText()));
        Ring ring = Ring.of(status.path("ring_version").asLong(), owners);
        List<String> inPartition = new ArrayList<>(keys);
        for (long i = 0; inPartition.size() < keys; i++) {
            String key = "h-" + i;
            if (ring.partitionOf(key) == partition) {
                inPartition.add(key);
            }
        }
        byte[] value = new byte[valueSize];
        new Random(1).nextBytes(value);
        long t = System.nanoTime();
        api.writeAll(inPartition.size(), inPartition::get, i -> 1 + i % 3, value, "w=3", new HashMap<>(), key -> false);
        List<String> fg = new ArrayList<>();
        for (int i = 0; i < foregroundKeys; i++) {
            fg.add("fg-" + i);
        }
        api.writeAll(fg.size(), fg::get, i -> 1 + i % 3, value, "w=3", new HashMap<>(), key -> false);
        System.err.printf("loaded %d keys into partition %d (and %d foreground keys) in %.1f s%n", keys, partition,
                foregroundKeys, (System.nanoTime() - t) / 1e9);

        long sentBefore = keysSent();
        List<String> nodes = List.of(cluster.node(1).httpAddress(), cluster.node(2).httpAddress(), cluster.node(3).httpAddress());
        try (ForegroundLoad load = new ForegroundLoad(api.http, nodes, "fg", foregroundKeys, valueSize, rate)) {
            System.err.printf("foreground load at %d req/s; baseline %d s%n", rate, baselineSeconds);
            Thread.sleep(3_000);
            long baselineStart = System.currentTimeMillis();
            Thread.sleep(baselineSeconds * 1000L);
            long committed = System.currentTimeMillis();
            JsonNode commit = api.post(1, "/cluster/commit", "{}");
            if (!commit.path("committed").asBoolean()) {
                throw new IllegalStateException("commit failed: " + commit);
            }
            System.err.println("committed the join of n4; waiting for partition " + partition + " to be handed off");
            long partitionDone = 0;
            long flipped = 0;
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            long lastReport = 0;
            while (flipped == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("handoff not done after " + timeoutSeconds + " s");
                }
                JsonNode s = api.get(1, "/cluster");
                long now = System.currentTimeMillis();
                if (s.path("transition").isNull()) {
                    flipped = now;
                    partitionDone = partitionDone == 0 ? now : partitionDone;
                } else if (partitionDone == 0 && waitingFor(s.path("transition"), partition).isEmpty()) {
                    partitionDone = now;
                }
                if (now - lastReport > 2_000) {
                    System.err.printf("  %5.1f s: %d keys sent, partition %d waiting for %s%n", (now - committed) / 1e3,
                            keysSent() - sentBefore, partition, waitingFor(s.path("transition"), partition));
                    lastReport = now;
                }
                Thread.sleep(100);
            }
            Thread.sleep(2_000);
            long afterStart = System.currentTimeMillis();
            Thread.sleep(afterSeconds * 1000L);
            long afterEnd = System.currentTimeMillis();
            load.close();
            long sent = keysSent() - sentBefore;
            int missing = missingOnN4(inPartition);
            report(partition, committed, partitionDone, flipped, sent, missing, load.between(baselineStart, committed),
                    load.between(committed, partitionDone), load.between(afterStart, afterEnd), afterEnd - afterStart,
                    committed - baselineStart);
            return missing == 0 ? 0 : 1;
        }
    }

    private void report(int partition, long committed, long partitionDone, long flipped, long sent, int missing,
                        Histogram baseline, Histogram during, Histogram after, long afterMs, long baselineMs) {
        PrintStream out = System.out;
        out.printf("handoff benchmark: partition %d with %d keys of %d bytes, handed to a joining n4 (3 -> 4 nodes, n=3)%n",
                partition, keys, valueSize);
        out.printf("  nodes: --handoff-keys-per-second %d; each of the partition's 3 current primaries streams it%n", handoffRate);
        out.printf("  partition handed off: %.1f s after the commit (%.0f keys/s received by n4, counting each source)%n",
                (partitionDone - committed) / 1e3, sent / Math.max(0.001, (partitionDone - committed) / 1e3));
        out.printf("  ring changed: %.1f s after the commit; key states sent by all sources: %d%n",
                (flipped - committed) / 1e3, sent);
        out.printf("  keys missing on n4 afterwards: %d%n", missing);
        out.printf("  foreground at %d req/s, 50%% reads (r=2), 50%% writes (w=2), other keys:%n", rate);
        ForegroundLoad.line(out, "before the commit (" + baselineMs / 1000 + " s)", baseline);
        ForegroundLoad.line(out, "during the transfer (" + (partitionDone - committed) + " ms)", during);
        ForegroundLoad.line(out, "after the ring changed (" + afterMs / 1000 + " s)", after);
    }

    /** The sources of {@code partition} not done yet in {@code transition}. */
    private static List<String> waitingFor(JsonNode transition, int partition) {
        List<String> waiting = new ArrayList<>();
        for (JsonNode m : transition.path("moves")) {
            if (m.path("partition").asInt() == partition) {
                m.path("waiting_for").forEach(w -> waiting.add(w.asText()));
            }
        }
        return waiting;
    }

    private long keysSent() throws Exception {
        long sum = 0;
        for (int i = 1; i <= 3; i++) {
            sum += api.get(i, "/cluster").path("handoff").path("keys_sent").asLong();
        }
        return sum;
    }

    /** How many of {@code keys} n4 does not hold, reading its replica directly (every 100th key). */
    private int missingOnN4(List<String> keys) throws Exception {
        int missing = 0;
        for (int i = 0; i < keys.size(); i += 100) {
            if (!api.get(4, "/debug/replica/" + ForegroundLoad.encode(keys.get(i))).path("exists").asBoolean()) {
                missing++;
            }
        }
        return missing;
    }

}
