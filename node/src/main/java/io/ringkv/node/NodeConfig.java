package io.ringkv.node;

import io.ringkv.coordinator.ConflictMode;
import io.ringkv.coordinator.ReadRepair;
import io.ringkv.node.antientropy.AntiEntropySettings;
import io.ringkv.node.membership.ClusterSettings;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything a node is started with. The quorum and conflict settings are only this node's proposal for
 * a new cluster: a node that joins an existing one adopts that cluster's settings.
 *
 * @param host            the one address every listener binds and every outgoing connection is made from
 * @param seeds           gossip addresses (host:port) of members to join; empty to found a new cluster
 * @param storage         "rocksdb" or "memory"
 * @param fsync           sync the write-ahead log on every write
 * @param maxValueBytes   larger values are refused with 413
 * @param maxInflight     client requests in progress before new ones get 503
 * @param replicaTimeoutMs how long a write waits for a replica before also trying a fallback
 * @param autoJoin        ask to join the cluster on start (else wait for {@code kv cluster join})
 * @param handoffKeysPerSecond key states sent per second at most when ownership moves
 * @param certsDir        the node's certificates ({@code ca.crt}, {@code node.crt}, {@code node.key}): every
 *                        listener then speaks TLS and replica connections are mutual TLS; null for plain
 *                        connections
 * @param openMetrics     with TLS, whether {@code /metrics} is served without credentials
 * @param bootstrapAdminPasswordFile a file holding the password of a first {@code admin} user, created
 *                        when the cluster has no users yet; null for none
 */
public record NodeConfig(
        String nodeId,
        String host,
        int httpPort,
        int rpcPort,
        int gossipPort,
        Path dataDir,
        List<String> seeds,
        String clusterName,
        int partitions,
        int n,
        int r,
        int w,
        boolean sloppy,
        ReadRepair readRepair,
        ConflictMode conflicts,
        long timeoutMs,
        long tombstoneGraceMs,
        String storage,
        boolean fsync,
        int maxValueBytes,
        int maxInflight,
        long replicaTimeoutMs,
        int heartbeatSeconds,
        int failureTimeoutSeconds,
        int eventLoops,
        int storageThreads,
        long cacheBytes,
        long gossipIntervalMs,
        long hintIntervalMs,
        int hintRatePerSecond,
        long reapIntervalMs,
        long aaeIntervalMs,
        int aaeKeysPerSecond,
        int aaeConcurrency,
        long aaeRebuildIntervalMs,
        boolean autoJoin,
        int handoffKeysPerSecond,
        Path certsDir,
        boolean openMetrics,
        Path bootstrapAdminPasswordFile) {

    /** The largest key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;

    public NodeConfig {
        seeds = List.copyOf(seeds);
    }

    /** The cluster settings this node proposes when it founds a cluster. */
    public ClusterSettings initialSettings() {
        return new ClusterSettings(1, n, r, w, sloppy, readRepair, conflicts, timeoutMs, tombstoneGraceMs);
    }

    /** How this node runs anti-entropy (see {@link AntiEntropySettings}). */
    public AntiEntropySettings antiEntropy() {
        return new AntiEntropySettings(aaeIntervalMs, aaeKeysPerSecond, aaeConcurrency, aaeRebuildIntervalMs);
    }

    /** True when this node's listeners speak TLS. */
    public boolean secure() {
        return certsDir != null;
    }

    /** True when this node founds a new cluster instead of joining one. */
    public boolean founds() {
        String self = host + ":" + gossipPort;
        return seeds.stream().allMatch(s -> s.equals(self));
    }
}
