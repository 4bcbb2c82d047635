package io.ringkv.node.maintenance;

import io.ringkv.node.NodeMetrics;
import io.ringkv.node.membership.ClusterSettings;
import io.ringkv.node.membership.ClusterState;
import io.ringkv.node.rpc.ReplicaClient;
import io.ringkv.node.rpc.RpcRequest;
import io.ringkv.node.rpc.RpcResponse;
import io.ringkv.node.storage.ReplicaStore;
import io.ringkv.node.storage.StorageKeys;
import io.ringkv.node.storage.Store;
import io.ringkv.ring.Ring;
import io.ringkv.versioning.CorruptStateException;
import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.DvvSetCodec;
import io.ringkv.versioning.StoredValue;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Removes tombstones once it is safe, so deleted keys do not keep their space forever.
 *
 * <p>Safe means: every one of the key's N primaries holds exactly the same all-tombstone state, and
 * the newest tombstone is older than the grace period (Cassandra's gc_grace_seconds, Riak's
 * delete_mode). A replica that missed the delete cannot bring the value back through read repair or
 * anti-entropy, since all primaries had the tombstone; what the grace period covers is a copy outside
 * the primaries (a hint, a replica restored from an old backup) that comes back later: it must come
 * back within the grace period. Each primary removes the key only if its state still is the one checked,
 * so a write that races the reaper wins.
 *
 * <p>The first primary of a key does the work; keys become candidates when this node stores an
 * all-tombstone state (and from a scan at start). Runs on one event-loop context.
 */
public final class TombstoneReaper {

    private static final Logger log = LoggerFactory.getLogger(TombstoneReaper.class);
    private static final int PER_TICK = 1000;

    private final Vertx vertx;
    private final Context context;
    private final ClusterState cluster;
    private final ReplicaStore replicas;
    private final ReplicaClient rpc;
    private final NodeMetrics metrics;
    private final long timeoutMs;
    private final Set<String> candidates = ConcurrentHashMap.newKeySet();
    private boolean running;

    public TombstoneReaper(Vertx vertx, Context context, ClusterState cluster, ReplicaStore replicas, ReplicaClient rpc,
                           NodeMetrics metrics, long timeoutMs) {
        this.vertx = vertx;
        this.context = context;
        this.cluster = cluster;
        this.replicas = replicas;
        this.rpc = rpc;
        this.metrics = metrics;
        this.timeoutMs = timeoutMs;
        replicas.addChangeListener((key, hintFor, previous, current) -> {
            if (hintFor == null) {
                if (isTombstoned(current.state())) {
                    candidates.add(key);
                } else {
                    candidates.remove(key);
                }
            }
        });
    }

    /** Finds the tombstones already stored (blocking scan; run once at start, off the event loops). */
    public void seed() {
        replicas.store().scan(Store.Space.DATA, new byte[0], (k, v) -> {
            String key = StorageKeys.userKey(k);
            try {
                if (isTombstoned(DvvSetCodec.decode(v))) {
                    candidates.add(key);
                }
            } catch (CorruptStateException e) {
                log.atError().addKeyValue("key", key).log("corrupt stored state skipped by the tombstone scan");
            }
            return true;
        });
    }

    /** Keys holding only tombstones that this node still has to look at. */
    public int candidates() {
        return candidates.size();
    }

    /** Looks at up to a thousand candidates, one at a time; skips if the previous tick is still running. */
    public void tick() {
        // While ownership moves, a reaped tombstone could meet an older copy on its way to a new owner.
        if (running || candidates.isEmpty() || !cluster.inRing() || cluster.transition() != null) {
            return;
        }
        running = true;
        List<String> batch = new ArrayList<>();
        for (String key : candidates) {
            batch.add(key);
            if (batch.size() == PER_TICK) {
                break;
            }
        }
        Future<Void> chain = Future.succeededFuture();
        for (String key : batch) {
            chain = chain.compose(v -> reap(key).recover(e -> Future.succeededFuture()));
        }
        chain.onComplete(ar -> running = false);
    }

    private Future<Void> reap(String key) {
        Ring ring = cluster.ring();
        ClusterSettings settings = cluster.settings();
        List<String> primaries = ring.preferenceList(key, settings.n()).primaries();
        if (!primaries.get(0).equals(cluster.self()) || !primaries.contains(cluster.self())) {
            candidates.remove(key);
            return Future.succeededFuture();
        }
        return Future.fromCompletionStage(replicas.read(key, null), context).compose(local -> {
            if (!isTombstoned(local)) {
                candidates.remove(key);
                return Future.succeededFuture();
            }
            long newest = 0;
            for (StoredValue v : local.values()) {
                newest = Math.max(newest, v.timestampMillis());
            }
            if (newest + settings.tombstoneGraceMs() > System.currentTimeMillis()) {
                return Future.succeededFuture();
            }
            // Checked after the grace period so that the count tells an operator why old tombstones stay.
            for (String p : primaries) {
                if (!cluster.isLive(p)) {
                    metrics.tombstoneKeptForDownPrimary();
                    return Future.succeededFuture();
                }
            }
            List<Future<Boolean>> same = new ArrayList<>();
            for (String p : primaries) {
                if (!p.equals(cluster.self())) {
                    same.add(rpc.call(p, new RpcRequest(0, RpcRequest.Op.READ, key, null, null, null), timeoutMs)
                            .map(r -> r.status() == RpcResponse.Status.OK && r.state() != null && equal(r.state(), local)));
                }
            }
            return Future.all(same).compose(all -> {
                for (Future<Boolean> f : same) {
                    if (!f.result()) {
                        return Future.succeededFuture();
                    }
                }
                return removeEverywhere(key, local, primaries);
            });
        });
    }

    private Future<Void> removeEverywhere(String key, DvvSet<StoredValue> state, List<String> primaries) {
        byte[] encoded = DvvSetCodec.encode(state);
        List<Future<?>> removals = new ArrayList<>();
        for (String p : primaries) {
            if (!p.equals(cluster.self())) {
                removals.add(rpc.call(p, new RpcRequest(0, RpcRequest.Op.REAP, key, null, encoded, null), timeoutMs));
            }
        }
        // The other primaries first: should one fail, this node still has the candidate and tries again.
        return Future.all(removals)
                .compose(v -> Future.fromCompletionStage(replicas.removeIfUnchanged(key, state), context))
                .map(removed -> {
                    if (removed) {
                        metrics.tombstoneReaped();
                        candidates.remove(key);
                    }
                    return null;
                });
    }

    private static boolean equal(byte[] encoded, DvvSet<StoredValue> local) {
        try {
            return DvvSetCodec.decode(encoded).equals(local);
        } catch (CorruptStateException e) {
            return false;
        }
    }

    static boolean isTombstoned(DvvSet<StoredValue> state) {
        if (state.entries().isEmpty()) {
            return false;
        }
        for (StoredValue v : state.values()) {
            if (!v.isTombstone()) {
                return false;
            }
        }
        return true;
    }
}
