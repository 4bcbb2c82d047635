package io.ringkv.node.antientropy;

import io.ringkv.antientropy.Throttle;
import io.ringkv.node.NodeMetrics;
import io.ringkv.node.membership.ClusterState;
import io.ringkv.node.rpc.ReplicaClient;
import io.ringkv.node.storage.ReplicaStore;
import io.ringkv.ring.Ring;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, on the node's maintenance event loop, which tree to rebuild and which exchange to run next.
 *
 * <p><b>Rebuilds</b>, one at a time, of the trees of partitions this node is a primary of: first those
 * never built (after a start following a crash, every one), then those older than the rebuild interval.
 * A partition is not exchanged until its tree is built.
 *
 * <p><b>Exchanges</b> pair this node with each other primary of each partition it holds. Of two
 * primaries, the one earlier in the preference list starts their exchange, so each pair runs once per
 * interval and the work spreads over the nodes as the preference lists rotate. A pair is due an interval
 * after its last exchange, and not before the peer has been up for an interval (a peer coming back gets
 * its hints first, and anti-entropy then has little left to do). Due pairs run most overdue first, at
 * most {@code concurrency} at a time, both nodes live; keys compared and repaired share one
 * keys-per-second budget. An exchange that could not complete is tried again after at most 10 s.
 */
public final class AntiEntropyScheduler {

    private static final Logger log = LoggerFactory.getLogger(AntiEntropyScheduler.class);
    private static final long TICK_MS = 250;
    private static final long RETRY_MS = 10_000;
    /** Idle budget that may be spent at once: short, so a burst of repairs stays a small one. */
    private static final long BURST_MS = 100;

    private record Pair(int partition, String peer) {
    }

    private final Vertx vertx;
    private final Context context;
    private final ClusterState cluster;
    private final PartitionTrees trees;
    private final ReplicaStore replicas;
    private final ReplicaClient rpc;
    private final NodeMetrics metrics;
    private final ExchangeLog exchanges;
    private final AntiEntropySettings settings;
    private final Throttle throttle;
    /** Monotonic time each peer was first seen live in its current spell. */
    private final Map<String, Long> liveSince = new HashMap<>();
    /** Monotonic time before which each pair is not due again. */
    private final Map<Pair, Long> notBefore = new HashMap<>();
    /** Peers whose last exchange failed: a peer going away fails every pair with it, logged once. */
    private final Set<String> failing = new HashSet<>();
    private int running;
    private boolean rebuilding;
    private long timer = -1;

    public AntiEntropyScheduler(Vertx vertx, Context context, ClusterState cluster, PartitionTrees trees, ReplicaStore replicas,
                                ReplicaClient rpc, NodeMetrics metrics, ExchangeLog exchanges, AntiEntropySettings settings) {
        this.vertx = vertx;
        this.context = context;
        this.cluster = cluster;
        this.trees = trees;
        this.replicas = replicas;
        this.rpc = rpc;
        this.metrics = metrics;
        this.exchanges = exchanges;
        this.settings = settings;
        this.throttle = new Throttle(settings.keysPerSecond(), BURST_MS, System.nanoTime());
    }

    /** Starts ticking; call on the context the scheduler was made for. */
    public void start() {
        timer = vertx.setPeriodic(TICK_MS, id -> tick());
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void tick() {
        Ring ring = cluster.ring();
        if (!cluster.inRing() || trees.partitionCount() != ring.partitionCount()) {
            return;
        }
        long now = System.nanoTime();
        Map<Integer, List<String>> held = partitionsHeld(ring);
        trackLiveness(ring, now);
        rebuildNext(held);
        if (running < settings.concurrency()) {
            startDue(ring, held, now);
        }
    }

    /** The primaries of every partition this node is one of. */
    private Map<Integer, List<String>> partitionsHeld(Ring ring) {
        int n = Math.min(cluster.settings().n(), ring.members().size());
        Map<Integer, List<String>> held = new HashMap<>();
        for (int p = 0; p < ring.partitionCount(); p++) {
            List<String> primaries = ring.preferenceList(p, n).primaries();
            if (primaries.contains(cluster.self())) {
                held.put(p, primaries);
            }
        }
        return held;
    }

    private void trackLiveness(Ring ring, long now) {
        Set<String> live = cluster.live().keySet();
        liveSince.keySet().retainAll(live);
        for (String node : ring.members()) {
            if (live.contains(node)) {
                liveSince.putIfAbsent(node, now);
            }
        }
    }

    private void rebuildNext(Map<Integer, List<String>> held) {
        if (rebuilding) {
            return;
        }
        // Trees never built first: their partitions cannot be exchanged at all until they are.
        Integer next = held.keySet().stream().filter(p -> trees.needsRebuild(p, settings.rebuildIntervalMs()))
                .min(Comparator.comparing((Integer p) -> trees.isBuilt(p)).thenComparing(Comparator.naturalOrder()))
                .orElse(null);
        if (next == null) {
            return;
        }
        rebuilding = true;
        long started = System.nanoTime();
        vertx.executeBlocking(() -> trees.rebuild(next), false).onComplete(ar -> {
            rebuilding = false;
            if (ar.succeeded() && ar.result() >= 0) {
                metrics.treeRebuilt();
                log.atDebug().addKeyValue("partition", next).addKeyValue("keys", ar.result())
                        .addKeyValue("ms", (System.nanoTime() - started) / 1_000_000).log("anti-entropy tree rebuilt");
            } else if (ar.failed()) {
                log.atWarn().addKeyValue("partition", next).addKeyValue("error", String.valueOf(ar.cause().getMessage()))
                        .log("anti-entropy tree rebuild failed; will try again");
            }
            context.runOnContext(v -> tick());
        });
    }

    private void startDue(Ring ring, Map<Integer, List<String>> held, long now) {
        long interval = settings.exchangeIntervalMs() * 1_000_000;
        List<Map.Entry<Pair, Long>> due = new ArrayList<>();
        held.forEach((partition, primaries) -> {
            int self = primaries.indexOf(cluster.self());
            if (!trees.isBuilt(partition)) {
                return;
            }
            for (String peer : primaries.subList(self + 1, primaries.size())) {
                Long since = liveSince.get(peer);
                Pair pair = new Pair(partition, peer);
                if (since == null || exchanges.isRunning(partition, peer)) {
                    continue;
                }
                long at = Math.max(notBefore.getOrDefault(pair, Long.MIN_VALUE), since + interval);
                if (at - now <= 0) {
                    due.add(Map.entry(pair, at));
                }
            }
        });
        // Pairs due at once (every pair with a peer that just came back) go in partition order starting at a
        // point of the ring that differs per node: two nodes repairing the same returning peer then work on
        // different partitions, and the second finds the first's repairs done instead of repeating them.
        List<String> members = new ArrayList<>(ring.members());
        int start = members.indexOf(cluster.self()) * ring.partitionCount() / members.size();
        due.sort(Comparator.comparing((Map.Entry<Pair, Long> e) -> e.getValue())
                .thenComparingInt(e -> Math.floorMod(e.getKey().partition() - start, ring.partitionCount())));
        for (Map.Entry<Pair, Long> e : due) {
            if (running >= settings.concurrency()) {
                break;
            }
            run(e.getKey());
        }
    }

    private void run(Pair pair) {
        running++;
        exchanges.started(pair.partition(), pair.peer());
        new Exchange(vertx, context, trees, replicas, rpc, this::pace, trees.partitionCount(), pair.partition(), pair.peer())
                .run()
                .onComplete(ar -> {
                    running--;
                    ExchangeLog.Exchange e = ar.result();
                    exchanges.record(e);
                    metrics.exchange(e.outcome() == ExchangeLog.Outcome.COMPLETED, e.keysCompared(), e.keysRepaired(), e.bytes());
                    long wait = e.outcome() == ExchangeLog.Outcome.COMPLETED ? settings.exchangeIntervalMs()
                            : Math.min(settings.exchangeIntervalMs(), RETRY_MS);
                    notBefore.put(pair, System.nanoTime() + wait * 1_000_000);
                    report(pair, e);
                    context.runOnContext(v -> tick());
                });
    }

    /** Completes once {@code permits} keys may be spent. */
    private Future<Void> pace(long permits) {
        long waitNanos = throttle.reserve(permits, System.nanoTime());
        if (waitNanos <= 0) {
            return Future.succeededFuture();
        }
        Promise<Void> ready = Promise.promise();
        vertx.setTimer(Math.max(1, waitNanos / 1_000_000), id -> ready.complete());
        return ready.future();
    }

    /** Logs repairs, and failures when exchanges with a peer start failing (not again while they keep failing). */
    private void report(Pair pair, ExchangeLog.Exchange e) {
        if (e.keysRepaired() > 0) {
            log.atInfo().addKeyValue("partition", pair.partition()).addKeyValue("peer", pair.peer())
                    .addKeyValue("keys_repaired", e.keysRepaired()).addKeyValue("keys_compared", e.keysCompared())
                    .addKeyValue("bytes", e.bytes()).addKeyValue("ms", e.durationMs()).log("anti-entropy repaired keys");
        }
        if (e.outcome() != ExchangeLog.Outcome.FAILED) {
            failing.remove(pair.peer());
        }
        if (e.outcome() == ExchangeLog.Outcome.FAILED && failing.add(pair.peer())) {
            log.atInfo().addKeyValue("partition", pair.partition()).addKeyValue("peer", pair.peer())
                    .addKeyValue("error", e.error()).log("anti-entropy exchanges with a peer failing; will retry");
        } else {
            log.atDebug().addKeyValue("partition", pair.partition()).addKeyValue("peer", pair.peer())
                    .addKeyValue("outcome", e.outcome()).addKeyValue("segments_differing", e.segmentsDiffering())
                    .addKeyValue("ms", e.durationMs()).log("anti-entropy exchange");
        }
    }
}
