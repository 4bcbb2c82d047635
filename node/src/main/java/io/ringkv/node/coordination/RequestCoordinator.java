package io.ringkv.node.coordination;

import io.ringkv.coordinator.GetFsm;
import io.ringkv.coordinator.PutFsm;
import io.ringkv.node.NodeMetrics;
import io.ringkv.node.membership.ClusterSettings;
import io.ringkv.node.membership.ClusterState;
import io.ringkv.node.rpc.ReplicaClient;
import io.ringkv.node.rpc.RpcRequest;
import io.ringkv.node.rpc.RpcResponse;
import io.ringkv.node.storage.OverloadedException;
import io.ringkv.node.storage.ReplicaStore;
import io.ringkv.ring.PreferenceList;
import io.ringkv.ring.Ring;
import io.ringkv.ring.Target;
import io.ringkv.ring.Transition;
import io.ringkv.versioning.CausalContextCodec;
import io.ringkv.versioning.CorruptStateException;
import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.DvvSetCodec;
import io.ringkv.versioning.MalformedContextException;
import io.ringkv.versioning.StoredValue;
import io.ringkv.versioning.VersionVector;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Coordinates client reads and writes on one event loop: finds the preference list, drives the quorum
 * state machines of the coordinator module, and carries their messages to local storage or to other
 * nodes. Every callback runs on this coordinator's event-loop context, so the state machines need no
 * locks.
 */
public final class RequestCoordinator {

    private static final Logger log = LoggerFactory.getLogger(RequestCoordinator.class);

    private final Vertx vertx;
    private final Context context;
    private final ClusterState cluster;
    private final String actor;
    private final ReplicaStore store;
    private final ReplicaClient rpc;
    private final NodeMetrics metrics;
    private final long replicaTimeoutMs;

    /**
     * @param actor            the id this node mints dots under
     * @param replicaTimeoutMs how long a write waits for a replica before also trying a fallback
     *                         (sloppy quorums only)
     */
    public RequestCoordinator(Vertx vertx, Context context, ClusterState cluster, String actor, ReplicaStore store,
                              ReplicaClient rpc, NodeMetrics metrics, long replicaTimeoutMs) {
        this.vertx = vertx;
        this.context = context;
        this.cluster = cluster;
        this.actor = actor;
        this.store = store;
        this.rpc = rpc;
        this.metrics = metrics;
        this.replicaTimeoutMs = replicaTimeoutMs;
    }

    /**
     * Coordinates a write or delete. The future holds the context of the written value when it can be
     * given exactly (null otherwise: the client must read before writing again without siblings), and
     * fails with a {@link CoordinationException}.
     */
    public Future<VersionVector> write(WriteRequest req) {
        Ring ring = cluster.ring();
        if (!cluster.inRing()) {
            return Future.failedFuture(new CoordinationException(CoordinationException.Kind.NOT_READY,
                    "this node has not joined a ring yet"));
        }
        ClusterSettings settings = cluster.settings();
        PreferenceList preferences = ring.preferenceList(req.key(), settings.n());
        List<Target> targets = preferences.targets(cluster::isLive, req.sloppy());
        if (targets.size() < req.w()) {
            return Future.failedFuture(insufficient(req.w(), targets.size(), req.sloppy()));
        }
        Target local = null;
        for (Target t : targets) {
            if (t.node().equals(cluster.self())) {
                local = t;
                break;
            }
        }
        if (local == null) {
            if (req.forwarded()) {
                return Future.failedFuture(new CoordinationException(CoordinationException.Kind.UNAVAILABLE,
                        "forwarded write reached a node outside the preference list (ring views differ); retry", 0, req.w()));
            }
            return forward(targets.get(0).node(), req);
        }
        Target self = local;
        List<Target> remotes = new ArrayList<>(targets);
        remotes.remove(self);
        List<String> spare = spareFallbacks(preferences, targets);
        List<String> joining = nextOwners(ring, preferences, settings);
        return onContext(store.coordinate(req.key(), self.hintFor(), req.context(), req.value(), actor))
                .recover(e -> Future.failedFuture(storageFailure(e)))
                .compose(done -> {
                    alsoWrite(joining, req, done.state(), done.encoded());
                    return replicate(req, done.state(), done.encoded(),
                            new PutFsm(req.w(), req.sloppy(), self, remotes, spare)).map(done.writerContext());
                });
    }

    /**
     * While ownership moves, the nodes that become primaries of the key's partition with the next ring:
     * writes go to them too, so they hold what is written during the transfer. Empty otherwise.
     */
    private List<String> nextOwners(Ring ring, PreferenceList preferences, ClusterSettings settings) {
        Transition transition = cluster.transition();
        if (transition == null || !transition.follows(ring)) {
            return List.of();
        }
        List<String> joining = new ArrayList<>(transition.next().preferenceList(preferences.partition(), transition.n()).primaries());
        joining.removeAll(preferences.primaries());
        return joining;
    }

    /**
     * Sends the written state to the partition's next owners as well. They do not count towards w: the
     * transfer is what guarantees they end up with every acknowledged write (see OwnershipHandoff); this
     * only makes them current sooner.
     */
    private void alsoWrite(List<String> nodes, WriteRequest req, DvvSet<StoredValue> state, byte[] encoded) {
        for (String node : nodes) {
            if (cluster.isLive(node)) {
                metrics.unionWrite();
                sendWrite(new Target(node, null), req.key(), state, encoded, req.timeoutMs()).onFailure(e ->
                        log.atDebug().addKeyValue("node", node).addKeyValue("error", e.getMessage()).log("write to next owner failed"));
            }
        }
    }

    /** Coordinates a read; the future fails with a {@link CoordinationException}. */
    public Future<DvvSet<StoredValue>> read(ReadRequest req) {
        Ring ring = cluster.ring();
        if (!cluster.inRing()) {
            return Future.failedFuture(new CoordinationException(CoordinationException.Kind.NOT_READY,
                    "this node has not joined a ring yet"));
        }
        ClusterSettings settings = cluster.settings();
        List<Target> targets = ring.preferenceList(req.key(), settings.n()).targets(cluster::isLive, req.sloppy());
        if (targets.size() < req.r()) {
            return Future.failedFuture(insufficient(req.r(), targets.size(), req.sloppy()));
        }
        GetFsm fsm = new GetFsm(req.r(), req.w(), req.readRepair(), settings.conflicts(), targets);
        Promise<DvvSet<StoredValue>> result = Promise.promise();
        ReadRun run = new ReadRun(req, fsm, result);
        run.timer = vertx.setTimer(req.timeoutMs(), t -> run.apply(fsm.onTimeout()));
        for (Target t : targets) {
            run.readFrom(t);
        }
        return result.future();
    }

    private Future<Void> replicate(WriteRequest req, DvvSet<StoredValue> state, byte[] encoded, PutFsm fsm) {
        Promise<Void> result = Promise.promise();
        WriteRun run = new WriteRun(req, state, encoded, fsm, result);
        run.apply(fsm.start());
        if (!result.future().isComplete()) {
            run.timer = vertx.setTimer(req.timeoutMs(), t -> run.apply(fsm.onTimeout()));
            if (req.sloppy() && replicaTimeoutMs < req.timeoutMs()) {
                run.slowTimer = vertx.setTimer(replicaTimeoutMs, t -> {
                    for (Target slow : fsm.outstanding()) {
                        run.apply(fsm.onSlow(slow));
                    }
                });
            }
        }
        return result.future();
    }

    /** One write in flight. */
    private final class WriteRun {
        final WriteRequest req;
        final DvvSet<StoredValue> state;
        final byte[] encoded;
        final PutFsm fsm;
        final Promise<Void> result;
        long timer = -1;
        long slowTimer = -1;

        WriteRun(WriteRequest req, DvvSet<StoredValue> state, byte[] encoded, PutFsm fsm, Promise<Void> result) {
            this.req = req;
            this.state = state;
            this.encoded = encoded;
            this.fsm = fsm;
            this.result = result;
        }

        void apply(PutFsm.Step step) {
            for (Target t : step.send()) {
                if (t.isHinted()) {
                    metrics.hintedWrite();
                }
                sendWrite(t, req.key(), state, encoded, req.timeoutMs()).onComplete(ar ->
                        apply(ar.succeeded() ? fsm.onAck(t) : fsm.onError(t)));
            }
            if (step.outcome() instanceof PutFsm.Stored) {
                finish();
                result.tryComplete();
            } else if (step.outcome() instanceof PutFsm.Unavailable u) {
                finish();
                result.tryFail(new CoordinationException(CoordinationException.Kind.UNAVAILABLE,
                        "write reached " + u.acks() + " of w=" + u.needed() + " replicas: " + u.reason(), u.acks(), u.needed()));
            }
        }

        private void finish() {
            vertx.cancelTimer(timer);
            vertx.cancelTimer(slowTimer);
        }
    }

    /** One read in flight, including the read repair after its answer. */
    private final class ReadRun {
        final ReadRequest req;
        final GetFsm fsm;
        final Promise<DvvSet<StoredValue>> result;
        long timer = -1;

        ReadRun(ReadRequest req, GetFsm fsm, Promise<DvvSet<StoredValue>> result) {
            this.req = req;
            this.fsm = fsm;
            this.result = result;
        }

        void readFrom(Target t) {
            Future<DvvSet<StoredValue>> reply;
            DvvSet<StoredValue> cached = t.hintFor() == null && t.node().equals(cluster.self())
                    ? store.cachedState(req.key()) : null;
            if (cached != null) {
                reply = Future.succeededFuture(cached);
            } else if (t.node().equals(cluster.self())) {
                reply = onContext(store.read(req.key(), t.hintFor()));
            } else {
                reply = rpc.call(t.node(), new RpcRequest(0, RpcRequest.Op.READ, req.key(), t.hintFor(), null, null),
                        req.timeoutMs()).compose(RequestCoordinator::decodeState);
            }
            reply.onComplete(ar -> apply(ar.succeeded() ? fsm.onReply(t, ar.result()) : fsm.onError(t)));
        }

        void apply(GetFsm.Step step) {
            for (GetFsm.Repair repair : step.repairs()) {
                metrics.readRepair();
                Target t = repair.target();
                sendWrite(t, req.key(), repair.state(), DvvSetCodec.encode(repair.state()), req.timeoutMs())
                        .onComplete(ar -> apply(ar.succeeded() ? fsm.onRepairAck(t) : fsm.onRepairError(t)));
            }
            if (step.outcome() instanceof GetFsm.Found found) {
                result.tryComplete(found.state());
            } else if (step.outcome() instanceof GetFsm.Unavailable u) {
                result.tryFail(new CoordinationException(CoordinationException.Kind.UNAVAILABLE, "read got " + u.got() + " of " + u.needed() + " needed replicas: " + u.reason(), u.got(), u.needed()));
            }
            if (fsm.isFinished()) {
                vertx.cancelTimer(timer);
            }
        }
    }

    private Future<Void> sendWrite(Target t, String key, DvvSet<StoredValue> state, byte[] encoded, long timeoutMs) {
        if (t.node().equals(cluster.self())) {
            return onContext(store.merge(key, t.hintFor(), state)).mapEmpty();
        }
        return rpc.call(t.node(), new RpcRequest(0, RpcRequest.Op.WRITE, key, t.hintFor(), encoded, null), timeoutMs)
                .compose(r -> r.status() == RpcResponse.Status.OK ? Future.succeededFuture()
                        : Future.failedFuture(new IllegalStateException(t.node() + ": " + r.error())));
    }

    private Future<VersionVector> forward(String node, WriteRequest req) {
        StoredValue v = req.value();
        RpcRequest.ForwardedWrite put = new RpcRequest.ForwardedWrite(req.contextToken(),
                v.isTombstone() ? null : v.bytes(), v.contentType(), v.isTombstone(), req.w(), req.sloppy(), req.timeoutMs());
        return rpc.call(node, new RpcRequest(0, RpcRequest.Op.COORDINATE, req.key(), null, null, put), req.timeoutMs())
                .recover(e -> Future.failedFuture(new CoordinationException(CoordinationException.Kind.UNAVAILABLE,
                        "forwarding to coordinator " + node + " failed: " + e.getMessage(), 0, req.w())))
                .compose(r -> switch (r.status()) {
                    case OK -> Future.succeededFuture(writerContext(r.context()));
                    case REFUSED -> Future.failedFuture(new CoordinationException(CoordinationException.Kind.INSUFFICIENT_REPLICAS,
                            "coordinator " + node + ": " + r.error(), r.acks() == null ? 0 : r.acks(), req.w()));
                    default -> Future.failedFuture(new CoordinationException(CoordinationException.Kind.UNAVAILABLE,
                            "coordinator " + node + ": " + r.error(), r.acks() == null ? 0 : r.acks(), req.w()));
                });
    }

    private List<String> spareFallbacks(PreferenceList preferences, List<Target> targets) {
        Set<String> used = new HashSet<>();
        targets.forEach(t -> used.add(t.node()));
        List<String> spare = new ArrayList<>();
        for (String f : preferences.fallbacks()) {
            if (!used.contains(f) && cluster.isLive(f)) {
                spare.add(f);
            }
        }
        return spare;
    }

    private static CoordinationException insufficient(int needed, int up, boolean sloppy) {
        return new CoordinationException(CoordinationException.Kind.INSUFFICIENT_REPLICAS,
                "needs " + needed + " replicas but only " + up + " of the preference list "
                        + (sloppy ? "and its fallbacks " : "") + "are up", up, needed);
    }

    private static CoordinationException storageFailure(Throwable e) {
        if (e instanceof OverloadedException) {
            return new CoordinationException(CoordinationException.Kind.OVERLOADED, e.getMessage());
        }
        log.atError().setCause(e).log("local storage failed");
        return new CoordinationException(CoordinationException.Kind.INTERNAL, "local storage failed: " + e.getMessage());
    }

    private static VersionVector writerContext(String token) {
        if (token == null) {
            return null;
        }
        try {
            return CausalContextCodec.decode(token);
        } catch (MalformedContextException e) {
            // Only a node of this cluster produced it; without it the client simply reads first.
            return null;
        }
    }

    static Future<DvvSet<StoredValue>> decodeState(RpcResponse r) {
        if (r.status() != RpcResponse.Status.OK) {
            return Future.failedFuture(new IllegalStateException(r.error()));
        }
        try {
            return Future.succeededFuture(r.state() == null ? DvvSet.empty() : DvvSetCodec.decode(r.state()));
        } catch (CorruptStateException e) {
            return Future.failedFuture(e);
        }
    }

    private <T> Future<T> onContext(CompletableFuture<T> work) {
        return Future.fromCompletionStage(work, context);
    }
}
