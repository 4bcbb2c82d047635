package io.ringkv.node.antientropy;

import io.ringkv.node.NodeMetrics;
import io.ringkv.node.membership.ClusterState;
import io.ringkv.node.rpc.ReplicaClient;
import io.ringkv.node.storage.ReplicaStore;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * A node's anti-entropy: its Merkle trees, the log of its exchanges and how it runs them. Opened with
 * the node's storage, before any write; closed after the last write and before the store closes, which
 * saves the trees for the next start.
 */
public final class AntiEntropy implements AutoCloseable {

    private final ClusterState cluster;
    private final ReplicaStore replicas;
    private final PartitionTrees trees;
    private final ExchangeLog exchanges = new ExchangeLog();
    private final AntiEntropySettings settings;

    private AntiEntropy(ClusterState cluster, ReplicaStore replicas, PartitionTrees trees, AntiEntropySettings settings) {
        this.cluster = cluster;
        this.replicas = replicas;
        this.trees = trees;
        this.settings = settings;
    }

    /** Loads (or prepares to rebuild) the trees and follows the ring's partition count. Blocking. */
    public static AntiEntropy open(ClusterState cluster, ReplicaStore replicas, AntiEntropySettings settings) {
        PartitionTrees trees = PartitionTrees.open(replicas, cluster.ring() == null ? 0 : cluster.ring().partitionCount(),
                System::currentTimeMillis);
        cluster.onRingChange(ring -> trees.adopt(ring.partitionCount()));
        if (cluster.ring() != null) {
            // A ring adopted between reading it above and listening for changes is not missed.
            trees.adopt(cluster.ring().partitionCount());
        }
        return new AntiEntropy(cluster, replicas, trees, settings);
    }

    public PartitionTrees trees() {
        return trees;
    }

    public ExchangeLog exchanges() {
        return exchanges;
    }

    public AntiEntropySettings settings() {
        return settings;
    }

    /** The scheduler of rebuilds and exchanges, for the maintenance event loop {@code context}. */
    public AntiEntropyScheduler scheduler(Vertx vertx, Context context, ReplicaClient rpc, NodeMetrics metrics) {
        return new AntiEntropyScheduler(vertx, context, cluster, trees, replicas, rpc, metrics, exchanges, settings);
    }

    /** The answering side of exchanges, for one event loop serving replica requests. */
    public ExchangeServer server(Context context) {
        return new ExchangeServer(trees, replicas, context);
    }

    /** Saves the trees. Call after the storage threads stopped, before the store closes. */
    @Override
    public void close() {
        trees.close();
    }
}
