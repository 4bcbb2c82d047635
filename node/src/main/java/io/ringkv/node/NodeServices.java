package io.ringkv.node;

import io.ringkv.node.antientropy.AntiEntropy;
import io.ringkv.node.maintenance.HandoffProgress;
import io.ringkv.node.membership.ClusterState;
import io.ringkv.node.security.ContextSeal;
import io.ringkv.node.security.NodeTls;
import io.ringkv.node.storage.ReplicaStore;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every event loop of a node shares: configuration, the cluster view, storage and metrics.
 *
 * @param actor        the id under which this node's data mints dots (see MetadataStore#claimIdentity)
 * @param inflight     client requests in progress on the node
 * @param gossipNow    publishes this node's ring and settings at once
 * @param antiEntropy  the node's Merkle trees and exchanges
 * @param handoff      what ownership handoff is doing
 * @param tls          the node's certificates when its listeners speak TLS
 * @param contexts     the cluster's context keys when contexts are sealed (with TLS)
 */
record NodeServices(NodeConfig config, String actor, ClusterState cluster, ReplicaStore store, NodeMetrics metrics,
                    AtomicInteger inflight, Runnable gossipNow, AntiEntropy antiEntropy, HandoffProgress handoff,
                    Optional<NodeTls> tls, Optional<ContextSeal> contexts) {
}
