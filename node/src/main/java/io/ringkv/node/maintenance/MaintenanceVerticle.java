package io.ringkv.node.maintenance;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.node.NodeMetrics;
import io.ringkv.node.antientropy.AntiEntropy;
import io.ringkv.node.antientropy.AntiEntropyScheduler;
import io.ringkv.node.membership.ClusterState;
import io.ringkv.node.membership.Peer;
import io.ringkv.node.rpc.ReplicaClient;
import io.ringkv.node.rpc.RpcRequest;
import io.ringkv.node.rpc.RpcResponse;
import io.ringkv.node.security.NodeTls;
import io.ringkv.node.security.Users;
import io.ringkv.node.storage.ReplicaStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The node's background work on one event loop of its own: hinted handoff, ownership handoff, tombstone
 * reaping and anti-entropy (tree rebuilds and exchanges). Its replica connections are its own too, so background
 * traffic never queues behind client requests on the same connection.
 */
public final class MaintenanceVerticle extends VerticleBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(MaintenanceVerticle.class);

    /** How often each background task runs. */
    public record Intervals(long hintsMs, long reapMs) {
    }

    /**
     * How ownership handoff runs.
     *
     * @param gossipNow publishes this node's view of the cluster at once
     * @param departed  called once this node left the ring and handed everything off
     */
    public record Handoff(HandoffProgress progress, int keysPerSecond, Runnable gossipNow, Runnable departed) {
    }

    /** How often ownership handoff looks for work, besides when the ring or a transition changes. */
    private static final long HANDOFF_TICK_MS = 200;
    /** How often storage is checked for partitions held but no longer owned. */
    private static final long HANDOFF_SWEEP_MS = 5_000;
    /** How long a transfer chases writes made during it, once its full pass is done. */
    private static final long HANDOFF_SETTLE_MS = 30_000;

    private final ClusterState cluster;
    private final ReplicaStore replicas;
    private final NodeMetrics metrics;
    private final String host;
    private final Intervals intervals;
    private final int hintRate;
    private final AntiEntropy antiEntropy;
    private final Handoff handoffSettings;
    private final Optional<NodeTls> tls;
    private ReplicaClient rpc;
    /** Nodes whose users are being fetched: one fetch per node at a time. */
    private final Set<String> fetchingUsers = new HashSet<>();
    private AntiEntropyScheduler exchanges;

    public MaintenanceVerticle(ClusterState cluster, ReplicaStore replicas, NodeMetrics metrics, String host,
                               Intervals intervals, int hintRate, AntiEntropy antiEntropy, Handoff handoffSettings,
                               Optional<NodeTls> tls) {
        this.tls = tls;
        this.cluster = cluster;
        this.replicas = replicas;
        this.metrics = metrics;
        this.host = host;
        this.intervals = intervals;
        this.hintRate = hintRate;
        this.antiEntropy = antiEntropy;
        this.handoffSettings = handoffSettings;
    }

    /**
     * Fetches node {@code node}'s users over its mutual-TLS replica connection and merges them into this
     * node's; callable from any thread. Does nothing while a fetch from that node is under way.
     */
    public void fetchUsers(String node) {
        if (context == null) {
            return;
        }
        context.runOnContext(v -> {
            if (rpc == null || !fetchingUsers.add(node)) {
                return;
            }
            rpc.call(node, new RpcRequest(0, RpcRequest.Op.USERS, null, null, null, null), 5_000)
                    .onComplete(ar -> {
                        fetchingUsers.remove(node);
                        if (ar.failed() || ar.result().status() != RpcResponse.Status.OK || ar.result().state() == null) {
                            log.atDebug().addKeyValue("peer", node).log("could not fetch users");
                            return;
                        }
                        try {
                            if (cluster.offerUsers(JSON.readValue(ar.result().state(), Users.class))) {
                                log.atInfo().addKeyValue("from", node).log("merged users");
                            }
                        } catch (IOException | IllegalArgumentException e) {
                            log.atWarn().addKeyValue("peer", node).addKeyValue("error", e.getMessage())
                                    .log("undecodable users");
                        }
                    });
        });
    }

    @Override
    public Future<?> start() {
        rpc = new ReplicaClient(vertx, host, node -> {
            Peer p = cluster.peer(node);
            return p == null ? null : SocketAddress.inetSocketAddress(p.rpcPort(), p.host());
        }, 1000, 250, tls);
        long timeout = 5_000;
        HintedHandoff handoff = new HintedHandoff(vertx, context, cluster, replicas, rpc, metrics, hintRate, timeout);
        TombstoneReaper reaper = new TombstoneReaper(vertx, context, cluster, replicas, rpc, metrics, timeout);
        vertx.setPeriodic(intervals.hintsMs(), id -> handoff.tick());
        // A primary that comes back gets its hints at once, not at the next tick.
        cluster.onLiveChange(live -> context.runOnContext(v -> handoff.tick()));
        OwnershipHandoff ownership = new OwnershipHandoff(vertx, context, cluster, replicas, rpc, metrics,
                handoffSettings.progress(), handoffSettings.keysPerSecond(), timeout, HANDOFF_SETTLE_MS, HANDOFF_SWEEP_MS,
                handoffSettings.gossipNow(), handoffSettings.departed());
        replicas.addChangeListener(ownership);
        vertx.setPeriodic(HANDOFF_TICK_MS, id -> ownership.tick());
        cluster.onRingChange(ring -> context.runOnContext(v -> {
            ownership.ringChanged();
            ownership.tick();
        }));
        cluster.onTransitionChange(t -> context.runOnContext(v -> ownership.tick()));
        exchanges = antiEntropy.scheduler(vertx, context, rpc, metrics);
        exchanges.start();
        return vertx.executeBlocking(() -> {
            reaper.seed();
            return null;
        }, false).onSuccess(v -> vertx.setPeriodic(intervals.reapMs(), id -> reaper.tick()));
    }

    @Override
    public Future<?> stop() {
        if (exchanges != null) {
            exchanges.stop();
        }
        return rpc == null ? Future.succeededFuture() : rpc.close();
    }
}
