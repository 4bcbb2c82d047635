package io.ringkv.node.maintenance;

import io.ringkv.node.NodeMetrics;
import io.ringkv.node.membership.ClusterState;
import io.ringkv.node.membership.Peer;
import io.ringkv.node.rpc.ReplicaClient;
import io.ringkv.node.storage.ReplicaStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.SocketAddress;

/**
 * The node's background work on one event loop of its own: hinted handoff and tombstone reaping. Its
 * replica connections are its own too, so background traffic never queues behind client requests on
 * the same connection.
 */
public final class MaintenanceVerticle extends VerticleBase {

    /** How often each background task runs. */
    public record Intervals(long hintsMs, long reapMs) {
    }

    private final ClusterState cluster;
    private final ReplicaStore replicas;
    private final NodeMetrics metrics;
    private final String host;
    private final Intervals intervals;
    private final int hintRate;
    private ReplicaClient rpc;

    public MaintenanceVerticle(ClusterState cluster, ReplicaStore replicas, NodeMetrics metrics, String host,
                               Intervals intervals, int hintRate) {
        this.cluster = cluster;
        this.replicas = replicas;
        this.metrics = metrics;
        this.host = host;
        this.intervals = intervals;
        this.hintRate = hintRate;
    }

    @Override
    public Future<?> start() {
        rpc = new ReplicaClient(vertx, host, node -> {
            Peer p = cluster.peer(node);
            return p == null ? null : SocketAddress.inetSocketAddress(p.rpcPort(), p.host());
        }, 1000, 250);
        long timeout = 5_000;
        HintedHandoff handoff = new HintedHandoff(vertx, context, cluster, replicas, rpc, metrics, hintRate, timeout);
        TombstoneReaper reaper = new TombstoneReaper(vertx, context, cluster, replicas, rpc, metrics, timeout);
        vertx.setPeriodic(intervals.hintsMs(), id -> handoff.tick());
        // A primary that comes back gets its hints at once, not at the next tick.
        cluster.onLiveChange(live -> context.runOnContext(v -> handoff.tick()));
        return vertx.executeBlocking(() -> {
            reaper.seed();
            return null;
        }, false).onSuccess(v -> vertx.setPeriodic(intervals.reapMs(), id -> reaper.tick()));
    }

    @Override
    public Future<?> stop() {
        return rpc == null ? Future.succeededFuture() : rpc.close();
    }
}
