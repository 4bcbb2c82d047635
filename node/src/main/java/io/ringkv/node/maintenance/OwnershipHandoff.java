package io.ringkv.node.maintenance;

import io.ringkv.node.NodeMetrics;
import io.ringkv.node.membership.ClusterState;
import io.ringkv.node.rpc.ReplicaClient;
import io.ringkv.node.rpc.RpcRequest;
import io.ringkv.node.rpc.RpcResponse;
import io.ringkv.node.storage.ReplicaStore;
import io.ringkv.node.storage.StorageKeys;
import io.ringkv.node.storage.Store;
import io.ringkv.ring.Ring;
import io.ringkv.ring.Transition;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Moves data when partition ownership changes, one partition at a time, throttled.
 *
 * <p><b>Transfer</b> (before the ring changes): for each duty of this node in the {@link Transition} in
 * progress, it starts tracking the partition (every key written to it from then on is noted as dirty),
 * marks every key it holds in the partition dirty too, and sends dirty keys' states in batches to every
 * newcomer ({@link RpcRequest.Op#HANDOFF}: the newcomer merges them, never overwrites) until none is left
 * (or, under a steady stream of writes, until the full pass is done and a settle time has passed). Then
 * it reports the duty done through gossip. A newcomer that is down or fails puts the batch back and backs
 * the job off; it resumes where it was (the dirty set survives); after a crash of this node, the job
 * starts over from a full pass, which is safe since merging a state twice changes nothing.
 *
 * <p><b>Drop</b> (after the ring changed): for each partition this node holds data of but no longer
 * owns (nor will own), it sends the keys still dirty (written since its transfer, for example by
 * coordinators that still used the old ring; all of them if it did not track the partition) to the
 * partition's owners, then deletes every key of the partition that is not dirty at the instant of its
 * deletion ({@link ReplicaStore#removeUnless}); what gets written meanwhile is kept and goes in the next
 * round. A node that left the ring and holds nothing any more (data nor hints) is told to stop.
 *
 * <p>Why this loses no acknowledged write: a write acknowledged before the ring changed is on at least
 * one current primary, which either streams it to the newcomers (as dirty or in the full pass) before
 * reporting done, or, if it was written after, still has it dirty when it drops the partition, or stays
 * an owner. Runs on one event-loop context; storage scans run on worker threads.
 */
public final class OwnershipHandoff implements ReplicaStore.ChangeListener {

    private static final Logger log = LoggerFactory.getLogger(OwnershipHandoff.class);
    private static final int BATCH = 128;
    /** Bytes of states per batch at most (one state at least, whatever its size). */
    private static final int BATCH_BYTES = 4 << 20;
    private static final long MAX_BACKOFF_MS = 10_000;

    private final Vertx vertx;
    private final Context context;
    private final ClusterState cluster;
    private final ReplicaStore replicas;
    private final ReplicaClient rpc;
    private final NodeMetrics metrics;
    private final HandoffProgress progress;
    private final int keysPerSecond;
    private final long timeoutMs;
    private final long settleMs;
    private final long sweepIntervalMs;
    private final Runnable gossipNow;
    private final Runnable departed;

    /** The keys of a tracked partition that still need sending. */
    private static final class Tracked {
        /**
         * The ring the data moves for: the next ring of the transition it was tracked for, or the ring
         * that took the partition away. Tracking kept for another ring (a transition that lost a race
         * to another, say) says nothing about what the new targets have, so it is scanned again.
         */
        volatile Ring purpose;

        /** Keys found by the full scan, not sent yet. */
        final Set<String> backlog = ConcurrentHashMap.newKeySet();
        /** Keys written since tracking began, not sent since. */
        final Set<String> dirty = ConcurrentHashMap.newKeySet();

        boolean isEmpty() {
            return backlog.isEmpty() && dirty.isEmpty();
        }

        boolean contains(String key) {
            return dirty.contains(key) || backlog.contains(key);
        }

        long size() {
            return (long) backlog.size() + dirty.size();
        }
    }

    /** Tracked partitions: every write to one is noted until it is sent. */
    private final Map<Integer, Tracked> tracked = new ConcurrentHashMap<>();
    private long lastPublish;
    private boolean busy;
    private long backoffMs;
    private long backoffUntil;
    private long lastSweepCheck = Long.MIN_VALUE / 2;
    private boolean stopRequested;

    /**
     * @param keysPerSecond   states sent per second at most
     * @param settleMs        how long a transfer keeps chasing keys written during it after its full pass
     * @param sweepIntervalMs how often storage is checked for data of partitions this node does not own
     * @param gossipNow       publishes this node's view at once (after a duty is done)
     * @param departed        called once, when this node left the ring and handed off everything
     */
    public OwnershipHandoff(Vertx vertx, Context context, ClusterState cluster, ReplicaStore replicas, ReplicaClient rpc,
                            NodeMetrics metrics, HandoffProgress progress, int keysPerSecond, long timeoutMs,
                            long settleMs, long sweepIntervalMs, Runnable gossipNow, Runnable departed) {
        this.vertx = vertx;
        this.context = context;
        this.cluster = cluster;
        this.replicas = replicas;
        this.rpc = rpc;
        this.metrics = metrics;
        this.progress = progress;
        this.keysPerSecond = Math.max(1, keysPerSecond);
        this.timeoutMs = timeoutMs;
        this.settleMs = settleMs;
        this.sweepIntervalMs = sweepIntervalMs;
        this.gossipNow = gossipNow;
        this.departed = departed;
    }

    @Override
    public void changed(String key, String hintFor, ReplicaStore.Stored previous, ReplicaStore.Stored current) {
        if (hintFor != null || tracked.isEmpty() || current.state().entries().isEmpty()) {
            return;
        }
        Ring ring = cluster.ring();
        Tracked t = ring == null ? null : tracked.get(ring.partitionOf(key));
        if (t != null) {
            t.dirty.add(key);
        }
    }

    /** Looks for the next thing to do; call it periodically and when the ring or transition changes. */
    public void tick() {
        long now = System.currentTimeMillis();
        if (busy || now < backoffUntil) {
            return;
        }
        Ring ring = cluster.ring();
        if (ring == null || (!cluster.inRing() && !cluster.departed())) {
            // A node that never was a member has nothing to hand off; what it received for a transition
            // it has not heard of yet must not be swept away as if it belonged to others.
            return;
        }
        Transition transition = cluster.transition();
        if (transition != null) {
            List<Transition.Source> mine = transition.pendingFor(ring, cluster.self());
            if (!mine.isEmpty()) {
                Transition.Source duty = mine.get(0);
                run(transfer(ring, transition, duty));
                return;
            }
        } else {
            // Tracking is only needed until the partition is dropped or the transition ends with this node an owner.
            tracked.keySet().removeIf(p -> owns(ring, null, p));
        }
        for (Integer p : tracked.keySet()) {
            if (!owns(ring, transition, p)) {
                run(drop(ring, p));
                return;
            }
        }
        if (now - lastSweepCheck >= sweepIntervalMs) {
            busy = true;
            vertx.executeBlocking(() -> held(ring, transition), false).onComplete(ar -> {
                busy = false;
                lastSweepCheck = System.currentTimeMillis();
                if (ar.succeeded()) {
                    List<Integer> heldButNotOwned = ar.result();
                    if (!heldButNotOwned.isEmpty()) {
                        run(drop(ring, heldButNotOwned.get(0)));
                        return;
                    }
                    checkDeparted(ring);
                } else {
                    log.atWarn().addKeyValue("error", String.valueOf(ar.cause())).log("storage scan for handoff failed");
                }
            });
        }
    }

    /** Runs the next check of storage at the next tick, not at its interval (the ring changed). */
    public void ringChanged() {
        lastSweepCheck = Long.MIN_VALUE / 2;
    }

    private void checkDeparted(Ring ring) {
        if (!stopRequested && cluster.departed() && tracked.isEmpty() && cluster.transition() == null
                && replicas.hintsPending().isEmpty()) {
            stopRequested = true;
            log.atInfo().addKeyValue("ring_version", ring.version()).log("left the ring and handed off everything; stopping");
            departed.run();
        }
    }

    private void run(Future<Void> job) {
        busy = true;
        job.onComplete(ar -> {
            busy = false;
            progress.active(null);
            if (ar.succeeded()) {
                backoffMs = 0;
                progress.waiting(null);
                context.runOnContext(v -> tick());
            } else {
                backoffMs = backoffMs == 0 ? 500 : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
                backoffUntil = System.currentTimeMillis() + backoffMs;
                progress.waiting(ar.cause().getMessage() + "; retrying in " + backoffMs + " ms");
                log.atInfo().addKeyValue("error", ar.cause().getMessage()).addKeyValue("retry_ms", backoffMs)
                        .log("handoff paused");
            }
        });
    }

    /** Whether this node is a primary of {@code partition} now or in the ring the transition leads to. */
    private boolean owns(Ring ring, Transition transition, int partition) {
        if (ring.preferenceList(partition, cluster.settings().n()).primaries().contains(cluster.self())) {
            return true;
        }
        return transition != null
                && transition.next().preferenceList(partition, transition.n()).primaries().contains(cluster.self());
    }

    /** Partitions this node holds data of but does not own, nor will; blocking. */
    private List<Integer> held(Ring ring, Transition transition) {
        List<Integer> held = new ArrayList<>();
        for (int p = 0; p < ring.partitionCount(); p++) {
            if (!owns(ring, transition, p) && holdsAny(ring, p)) {
                held.add(p);
            }
        }
        return held;
    }

    private boolean holdsAny(Ring ring, int partition) {
        boolean[] any = {false};
        replicas.store().scanRange(Store.Space.DATA, StorageKeys.partitionStart(partition, ring.partitionCount()),
                StorageKeys.partitionEnd(partition, ring.partitionCount()), (k, v) -> {
                    any[0] = true;
                    return false;
                });
        return any[0];
    }

    private Future<Void> transfer(Ring ring, Transition transition, Transition.Source duty) {
        int p = duty.partition();
        List<String> targets = transition.newcomers(ring, p);
        log.atInfo().addKeyValue("partition", p).addKeyValue("to", targets).addKeyValue("version", transition.next().version())
                .log("handoff: transferring partition");
        return drain(ring, p, "transfer", targets, true, transition.next()).compose(v -> {
            Transition now = cluster.transition();
            if (now != null && now.next().equals(transition.next())) {
                cluster.markDone(duty);
                progress.transferred();
                // Publish when this node's last duty is done, else at most 4 times a second; periodic gossip does the rest.
                Transition after = cluster.transition();
                long at = System.currentTimeMillis();
                if (after == null || after.pendingFor(ring, cluster.self()).isEmpty() || at - lastPublish >= 250) {
                    lastPublish = at;
                    gossipNow.run();
                }
            }
            return Future.succeededFuture();
        });
    }

    private Future<Void> drop(Ring ring, int p) {
        // The live owners: one that is down gets what it missed from them (read repair, anti-entropy),
        // and a drop need not wait for it.
        List<String> owners = new ArrayList<>(ring.preferenceList(p, cluster.settings().n()).primaries());
        owners.removeIf(o -> !cluster.isLive(o));
        if (owners.isEmpty()) {
            return Future.failedFuture(new IllegalStateException("partition " + p + ": no owner is live"));
        }
        return drain(ring, p, "drop", owners, false, ring).compose(v -> removeAll(ring, p)).map(v -> {
            Tracked t = tracked.get(p);
            if (t != null && t.isEmpty()) {
                tracked.remove(p);
                progress.dropped();
                log.atInfo().addKeyValue("partition", p).addKeyValue("owners", owners).log("handoff: partition dropped");
            }
            return null;
        });
    }

    /**
     * Sends the dirty keys of {@code p} to every target until none is left; tracks the partition first
     * (and marks all its keys dirty) if it is not tracked yet.
     *
     * @param settle once the full pass is done, stop chasing keys written meanwhile after the settle time
     *               (they are on other current primaries too, or this node still has them dirty when it
     *               drops the partition); without it, go on until nothing is left
     */
    private Future<Void> drain(Ring ring, int p, String kind, List<String> targets, boolean settle, Ring purpose) {
        Future<Tracked> ready;
        Tracked existing = tracked.get(p);
        // Tracking for the same ring goes on where it was; for a drop right after this node's transfer to
        // the ring now current, the newcomers got everything but what is still dirty, and the owners it
        // did not stream to kept their own copies.
        if (existing != null && purpose.equals(existing.purpose)) {
            ready = Future.succeededFuture(existing);
        } else {
            Tracked t = existing != null ? existing : new Tracked();
            t.purpose = purpose;
            // Tracking starts before the scan, so a write lands in the scan, in the dirty set, or both.
            tracked.put(p, t);
            ready = vertx.executeBlocking(() -> {
                replicas.store().scanRange(Store.Space.DATA, StorageKeys.partitionStart(p, ring.partitionCount()),
                        StorageKeys.partitionEnd(p, ring.partitionCount()), (k, v) -> {
                            t.backlog.add(StorageKeys.userKey(k));
                            return true;
                        });
                return t;
            }, false);
        }
        Promise<Void> done = Promise.promise();
        ready.onComplete(ar -> {
            if (ar.failed()) {
                tracked.remove(p);
                done.fail(ar.cause());
                return;
            }
            new Round(p, kind, targets, ar.result(), settle, done).next(0);
        });
        return done.future();
    }

    /** The batches of one drain. */
    private final class Round {
        final int partition;
        final String kind;
        final List<String> targets;
        final Tracked keys;
        final boolean settle;
        final Promise<Void> done;
        final long started = System.currentTimeMillis();
        long settleAt = Long.MAX_VALUE;
        long sent;

        Round(int partition, String kind, List<String> targets, Tracked keys, boolean settle, Promise<Void> done) {
            this.partition = partition;
            this.kind = kind;
            this.targets = targets;
            this.keys = keys;
            this.settle = settle;
            this.done = done;
        }

        void next(long delayMs) {
            if (delayMs > 0) {
                vertx.setTimer(delayMs, t -> send());
            } else {
                context.runOnContext(v -> send());
            }
        }

        void send() {
            progress.active(new HandoffProgress.Active(partition, kind, targets, sent, keys.size(), started));
            if (settle && settleAt == Long.MAX_VALUE && keys.backlog.isEmpty()) {
                settleAt = System.currentTimeMillis() + settleMs;
            }
            if (keys.isEmpty() || System.currentTimeMillis() >= settleAt) {
                done.complete();
                return;
            }
            for (String target : targets) {
                if (!cluster.isLive(target)) {
                    done.fail(new IllegalStateException("partition " + partition + ": " + target + " is down"));
                    return;
                }
            }
            List<String> batch = new ArrayList<>(BATCH);
            take(keys.backlog, batch);
            take(keys.dirty, batch);
            long began = System.currentTimeMillis();
            List<Future<byte[]>> reads = new ArrayList<>(batch.size());
            for (String key : batch) {
                reads.add(Future.fromCompletionStage(replicas.readEncodedUncached(key), context));
            }
            Future.all(reads).compose(all -> {
                List<RpcRequest.Entry> entries = new ArrayList<>(batch.size());
                long bytes = 0;
                for (int i = 0; i < batch.size(); i++) {
                    byte[] state = all.resultAt(i);
                    if (!entries.isEmpty() && bytes + state.length > BATCH_BYTES) {
                        // Large values: the rest goes in the next batch (re-read then, so nothing is stale).
                        keys.dirty.addAll(batch.subList(i, batch.size()));
                        break;
                    }
                    if (!ReplicaStore.isEmptyEncoding(state)) {
                        entries.add(new RpcRequest.Entry(batch.get(i), state));
                        bytes += state.length;
                    }
                }
                if (entries.isEmpty()) {
                    return Future.succeededFuture(0);
                }
                List<Future<RpcResponse>> calls = new ArrayList<>(targets.size());
                for (String target : targets) {
                    calls.add(rpc.call(target, RpcRequest.handoff(entries), timeoutMs).compose(r ->
                            r.status() == RpcResponse.Status.OK ? Future.succeededFuture(r)
                                    : Future.failedFuture(new IllegalStateException(target + ": " + r.error()))));
                }
                return Future.all(calls).map(entries.size());
            }).onComplete(ar -> {
                if (ar.failed()) {
                    keys.dirty.addAll(batch);
                    done.fail(new IllegalStateException("partition " + partition + " to " + targets + ": "
                            + ar.cause().getMessage(), ar.cause()));
                    return;
                }
                int count = ar.result();
                sent += count;
                progress.sent(count);
                metrics.handoffKeys(count);
                long due = began + batch.size() * 1000L / keysPerSecond;
                next(Math.max(0, due - System.currentTimeMillis()));
            });
        }
    }

    /** Moves up to a batch's worth of keys from {@code from} to {@code batch}. */
    private static void take(Set<String> from, List<String> batch) {
        Iterator<String> it = from.iterator();
        while (it.hasNext() && batch.size() < BATCH) {
            String key = it.next();
            // Removed before its state is read: a write after the read marks it dirty again.
            it.remove();
            batch.add(key);
        }
    }

    /** Deletes every key of {@code p} that is not waiting to be sent; throttled at four times the send rate. */
    private Future<Void> removeAll(Ring ring, int p) {
        Tracked keys = tracked.get(p);
        if (keys == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            List<String> all = new ArrayList<>();
            replicas.store().scanRange(Store.Space.DATA, StorageKeys.partitionStart(p, ring.partitionCount()),
                    StorageKeys.partitionEnd(p, ring.partitionCount()), (k, v) -> {
                        all.add(StorageKeys.userKey(k));
                        return true;
                    });
            return all;
        }, false).compose(all -> {
            Promise<Void> removed = Promise.promise();
            removeFrom(all, 0, keys, removed);
            return removed.future();
        });
    }

    private void removeFrom(List<String> all, int from, Tracked keep, Promise<Void> removed) {
        if (from >= all.size()) {
            removed.complete();
            return;
        }
        int to = Math.min(all.size(), from + BATCH);
        long began = System.currentTimeMillis();
        List<Future<Boolean>> deletions = new ArrayList<>(to - from);
        for (String key : all.subList(from, to)) {
            deletions.add(Future.fromCompletionStage(replicas.removeUnless(key, () -> keep.contains(key)), context));
        }
        Future.all(deletions).onComplete(ar -> {
            if (ar.failed()) {
                removed.fail(ar.cause());
                return;
            }
            long due = began + (to - from) * 250L / keysPerSecond;
            vertx.setTimer(Math.max(1, due - System.currentTimeMillis()), t -> removeFrom(all, to, keep, removed));
        });
    }
}
