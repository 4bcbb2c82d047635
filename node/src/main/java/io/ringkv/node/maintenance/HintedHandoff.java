package io.ringkv.node.maintenance;

import io.ringkv.node.NodeMetrics;
import io.ringkv.node.membership.ClusterState;
import io.ringkv.node.rpc.ReplicaClient;
import io.ringkv.node.rpc.RpcRequest;
import io.ringkv.node.rpc.RpcResponse;
import io.ringkv.node.storage.ReplicaStore;
import io.ringkv.node.storage.StorageKeys;
import io.ringkv.node.storage.Store;
import io.ringkv.versioning.CorruptStateException;
import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.DvvSetCodec;
import io.ringkv.versioning.StoredValue;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hands the writes this node holds as a fallback back to the primaries they were meant for.
 *
 * <p>For each node with hints pending that is live, rounds of at most {@code ratePerSecond} hints run
 * at most once a second: each hint's state is sent as a replica write (the primary merges it, it never
 * overwrites), and the hint is removed only after the primary acknowledged it and only if no newer
 * write reached the hint meanwhile. The first failure ends the round and backs that node off
 * (1 s doubling to 30 s), so a primary that goes down again mid-delivery loses nothing: what was not
 * acknowledged is still here for the next round. Runs on one event-loop context.
 */
public final class HintedHandoff {

    private static final Logger log = LoggerFactory.getLogger(HintedHandoff.class);
    private static final int IN_FLIGHT = 16;
    private static final long MAX_BACKOFF_MS = 30_000;

    private record Hint(String key, byte[] state) {
    }

    private final Vertx vertx;
    private final Context context;
    private final ClusterState cluster;
    private final ReplicaStore replicas;
    private final ReplicaClient rpc;
    private final NodeMetrics metrics;
    private final int ratePerSecond;
    private final long timeoutMs;
    private final Set<String> delivering = new HashSet<>();
    private final Map<String, long[]> backoff = new HashMap<>();

    public HintedHandoff(Vertx vertx, Context context, ClusterState cluster, ReplicaStore replicas, ReplicaClient rpc,
                         NodeMetrics metrics, int ratePerSecond, long timeoutMs) {
        this.vertx = vertx;
        this.context = context;
        this.cluster = cluster;
        this.replicas = replicas;
        this.rpc = rpc;
        this.metrics = metrics;
        this.ratePerSecond = Math.max(1, ratePerSecond);
        this.timeoutMs = timeoutMs;
    }

    /** Starts a round for every live node with hints pending that is not backing off or already served. */
    public void tick() {
        long now = System.nanoTime();
        for (String node : replicas.hintsPending().keySet()) {
            long[] b = backoff.get(node);
            if (cluster.isLive(node) && !node.equals(cluster.self()) && !delivering.contains(node) && (b == null || now >= b[0])) {
                round(node);
            }
        }
    }

    private void round(String node) {
        delivering.add(node);
        long started = System.nanoTime();
        vertx.executeBlocking(() -> load(node), false)
                .compose(batch -> send(node, new ArrayDeque<>(batch)).map(batch.size()))
                .onComplete(ar -> {
                    delivering.remove(node);
                    if (ar.succeeded()) {
                        backoff.remove(node);
                        if (ar.result() == ratePerSecond) {
                            // More are waiting: go on, but no faster than the rate allows.
                            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
                            vertx.setTimer(Math.max(1, 1000 - elapsedMs), t -> tick());
                        }
                    } else {
                        long[] b = backoff.computeIfAbsent(node, n -> new long[] {0, 500});
                        b[1] = Math.min(MAX_BACKOFF_MS, b[1] * 2);
                        b[0] = System.nanoTime() + b[1] * 1_000_000;
                        log.atInfo().addKeyValue("target", node).addKeyValue("retry_ms", b[1])
                                .addKeyValue("error", ar.cause().getMessage()).log("hint delivery interrupted");
                    }
                });
    }

    private List<Hint> load(String node) {
        List<Hint> batch = new ArrayList<>();
        replicas.store().scan(Store.Space.HINTS, StorageKeys.hintPrefix(node), (k, v) -> {
            batch.add(new Hint(StorageKeys.hintUserKey(k), v));
            return batch.size() < ratePerSecond;
        });
        return batch;
    }

    /** Delivers {@code queue} with a few hints in flight; fails on the first hint that fails. */
    private Future<Void> send(String node, ArrayDeque<Hint> queue) {
        Promise<Void> done = Promise.promise();
        int[] running = {0};
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            while (running[0] < IN_FLIGHT && !queue.isEmpty() && !done.future().isComplete()) {
                Hint hint = queue.poll();
                running[0]++;
                deliver(node, hint).onComplete(ar -> {
                    running[0]--;
                    if (ar.failed()) {
                        done.tryFail(ar.cause());
                    } else if (queue.isEmpty() && running[0] == 0) {
                        done.tryComplete();
                    } else {
                        next[0].run();
                    }
                });
            }
        };
        if (queue.isEmpty()) {
            return Future.succeededFuture();
        }
        next[0].run();
        return done.future();
    }

    private Future<Void> deliver(String node, Hint hint) {
        DvvSet<StoredValue> state;
        try {
            state = DvvSetCodec.decode(hint.state());
        } catch (CorruptStateException e) {
            // A corrupt hint can never be delivered; keeping it would stall every later round.
            log.atError().addKeyValue("target", node).addKeyValue("key", hint.key()).log("dropping a corrupt hint");
            return Future.fromCompletionStage(replicas.dropHint(node, hint.key()), context);
        }
        return rpc.call(node, new RpcRequest(0, RpcRequest.Op.WRITE, hint.key(), null, hint.state(), null), timeoutMs)
                .compose(r -> r.status() == RpcResponse.Status.OK ? Future.succeededFuture()
                        : Future.failedFuture(new IllegalStateException(node + " refused a hint: " + r.error())))
                .compose(v -> Future.fromCompletionStage(replicas.removeHintIfUnchanged(node, hint.key(), state), context))
                .map(removed -> {
                    metrics.hintDelivered();
                    return null;
                });
    }
}
