package io.ringkv.node;

import io.ringkv.coordinator.ConflictMode;
import io.ringkv.coordinator.ReadRepair;
import io.ringkv.ring.Ring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code kv node}: runs one node in the foreground until it is stopped (SIGTERM or Ctrl-C). */
@Command(name = "node", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs one ringkv node in the foreground.",
                "With no seeds it founds a new single-node cluster; with seeds it joins theirs."})
public final class NodeCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(NodeCommand.class);

    @Option(names = "--id", description = "Node id, unique in the cluster (default: ${DEFAULT-VALUE}).", defaultValue = "n1")
    String id;

    @Option(names = "--host", description = "The one address this node binds and connects from (default: ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--http-port", description = "Client HTTP API port (default: ${DEFAULT-VALUE}).", defaultValue = "7070")
    int httpPort;

    @Option(names = "--rpc-port", description = "Replica RPC port (default: ${DEFAULT-VALUE}).", defaultValue = "7071")
    int rpcPort;

    @Option(names = "--gossip-port", description = "Membership/gossip port (default: ${DEFAULT-VALUE}).", defaultValue = "7072")
    int gossipPort;

    @Option(names = "--data-dir", description = "Data directory (default: data/<id>).")
    Path dataDir;

    @Option(names = "--seeds", split = ",", description = "Gossip addresses host:port of members to join, comma-separated.")
    List<String> seeds = new ArrayList<>();

    @Option(names = "--cluster-name", description = "Only nodes with the same name form a cluster (default: ${DEFAULT-VALUE}).",
            defaultValue = "ringkv")
    String clusterName;

    @Option(names = "--partitions", description = "Partitions of a new cluster, a power of two (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + Ring.DEFAULT_PARTITIONS)
    int partitions;

    @Option(names = "--n", description = "Replicas per key, for a new cluster (default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int n;

    @Option(names = "--r", description = "Default read quorum, for a new cluster (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int r;

    @Option(names = "--w", description = "Default write quorum, for a new cluster (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int w;

    @Option(names = "--sloppy", description = "Sloppy quorums with hinted handoff (default: ${DEFAULT-VALUE}).",
            defaultValue = "true", arity = "1")
    boolean sloppy;

    @Option(names = "--read-repair", description = "async or sync (default: ${DEFAULT-VALUE}).", defaultValue = "async")
    String readRepair;

    @Option(names = "--conflicts", description = "siblings or lww (default: ${DEFAULT-VALUE}).", defaultValue = "siblings")
    String conflicts;

    @Option(names = "--timeout-ms", description = "Default request timeout (default: ${DEFAULT-VALUE}).", defaultValue = "5000")
    long timeoutMs;

    @Option(names = "--tombstone-grace-ms", description = "Keep tombstones this long after every primary has them "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "86400000")
    long tombstoneGraceMs;

    @Option(names = "--storage", description = "rocksdb or memory (default: ${DEFAULT-VALUE}).", defaultValue = "rocksdb")
    String storage;

    @Option(names = "--fsync", description = "fsync the write-ahead log on every write (default: ${DEFAULT-VALUE}).",
            defaultValue = "false", arity = "1")
    boolean fsync;

    @Option(names = "--max-value-bytes", description = "Largest value accepted (default: ${DEFAULT-VALUE}).",
            defaultValue = "1048576")
    int maxValueBytes;

    @Option(names = "--max-inflight", description = "Client requests in progress before answering 503 (default: ${DEFAULT-VALUE}).",
            defaultValue = "10000")
    int maxInflight;

    @Option(names = "--replica-timeout-ms", description = "Wait this long for a replica before also trying a fallback "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "500")
    long replicaTimeoutMs;

    @Option(names = "--heartbeat-seconds", description = "Membership heartbeat interval (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int heartbeatSeconds;

    @Option(names = "--failure-timeout-seconds", description = "A member silent this long is down (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    int failureTimeoutSeconds;

    @Option(names = "--event-loops", description = "Event loop threads (default: number of cores; `kv local` divides the cores among its nodes).")
    Integer eventLoops;

    @Option(names = "--storage-threads", description = "Storage threads (default: ${DEFAULT-VALUE}; `kv local` gives each node its share of the cores).", defaultValue = "4")
    int storageThreads;

    @Option(names = "--cache-mb", description = "Size of the cache of stored states, in MiB (default: ${DEFAULT-VALUE}).", defaultValue = "64")
    long cacheMb;

    @Option(names = "--gossip-interval-ms", description = "Metadata gossip interval (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000")
    long gossipIntervalMs;

    @Option(names = "--hint-interval-ms", description = "How often hints are offered to their primaries (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000")
    long hintIntervalMs;

    @Option(names = "--hint-rate", description = "Hints delivered per second at most (default: ${DEFAULT-VALUE}).",
            defaultValue = "5000")
    int hintRate;

    @Option(names = "--reap-interval-ms", description = "How often tombstones past their grace period are looked for "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "10000")
    long reapIntervalMs;

    @Option(names = "--aae-interval-ms", description = "Anti-entropy: how often each partition is compared with each "
            + "other replica, and how long a replica must be back before it is (default: ${DEFAULT-VALUE}).",
            defaultValue = "60000")
    long aaeIntervalMs;

    @Option(names = "--aae-keys-per-second", description = "Anti-entropy: keys compared or repaired per second at most, "
            + "over all exchanges this node starts (default: ${DEFAULT-VALUE}).", defaultValue = "2000")
    int aaeKeysPerSecond;

    @Option(names = "--aae-concurrency", description = "Anti-entropy: exchanges this node runs at once; 0 starts none "
            + "(its trees still answer its peers) (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    int aaeConcurrency;

    @Option(names = "--aae-rebuild-interval-ms", description = "Anti-entropy: rebuild each Merkle tree from a full scan "
            + "this often, to catch silent corruption (default: ${DEFAULT-VALUE}, a week).", defaultValue = "604800000")
    long aaeRebuildIntervalMs;

    @Option(names = "--join", paramLabel = "SEED", description = "Gossip address host:port of a member to join through "
            + "(the same as adding it to --seeds).")
    String join;

    @Option(names = "--auto-join", arity = "1", description = "Ask to join the cluster on start; with false, wait until "
            + "an operator runs kv cluster join and commit (default: ${DEFAULT-VALUE}).", defaultValue = "true")
    boolean autoJoin;

    @Option(names = "--handoff-keys-per-second", description = "Ownership handoff: key states sent per second at most "
            + "when partitions move to other nodes (default: ${DEFAULT-VALUE}).", defaultValue = "5000")
    int handoffKeysPerSecond;

    @Option(names = "--certs-dir", description = "The node's certificates: ca.crt (the cluster's authority), node.crt "
            + "and node.key (made by kv certs create-node for this --id). The client API is then HTTPS and replica "
            + "connections mutual TLS between nodes of that authority.")
    Path certsDir;

    @Option(names = "--insecure", description = "Start without --certs-dir: plain HTTP, no authentication, unsigned "
            + "gossip, open replica port. Only for throwaway work on a network nobody else reaches.")
    boolean insecure;

    @Option(names = "--open-metrics", description = "With --certs-dir, serve /metrics without credentials (for a "
            + "scraper on a trusted network).")
    boolean openMetrics;

    @Option(names = "--bootstrap-admin-password-file", paramLabel = "FILE", description = "With --certs-dir: when the "
            + "cluster has no users yet, create user admin (role admin) with the password in FILE (its first line).")
    Path bootstrapAdminPasswordFile;

    @Option(names = "--parent-pid", hidden = true,
            description = "Stop when this process exits (used by kv local and the test harness, so nodes never outlive them).")
    Long parentPid;

    /** The configuration these options describe. */
    public NodeConfig config() {
        List<String> allSeeds = new ArrayList<>(seeds == null ? List.of() : seeds);
        if (join != null) {
            allSeeds.add(join);
        }
        return new NodeConfig(id, host, httpPort, rpcPort, gossipPort,
                dataDir == null ? Path.of("data", id) : dataDir, allSeeds, clusterName, partitions, n, r, w, sloppy,
                parseReadRepair(readRepair), parseConflicts(conflicts), timeoutMs, tombstoneGraceMs, storage, fsync,
                maxValueBytes, maxInflight, replicaTimeoutMs, heartbeatSeconds, failureTimeoutSeconds,
                eventLoops == null ? Runtime.getRuntime().availableProcessors() : eventLoops, storageThreads,
                cacheMb * 1024 * 1024, gossipIntervalMs, hintIntervalMs, hintRate, reapIntervalMs,
                aaeIntervalMs, aaeKeysPerSecond, aaeConcurrency, aaeRebuildIntervalMs, autoJoin, handoffKeysPerSecond,
                certsDir, openMetrics, bootstrapAdminPasswordFile);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (certsDir == null && !insecure) {
            throw new IllegalArgumentException("refusing to start an open node: give --certs-dir (see kv certs), or "
                    + "--insecure for throwaway work");
        }
        if (certsDir != null && insecure) {
            throw new IllegalArgumentException("--insecure and --certs-dir contradict each other");
        }
        if (insecure) {
            log.atWarn().log("INSECURE: plain HTTP, no authentication, unsigned gossip and an open replica port; "
                    + "anyone who reaches this node can read, write and reconfigure the cluster");
        }
        NodeConfig config = config();
        // A node that left the ring stops by itself once it handed everything off: exit 0, through the
        // shutdown hook below (on a thread of its own: exit waits for the hook, the hook for the node).
        Node node = Node.start(config, () -> new Thread(() -> System.exit(0), "ringkv-departed").start());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "ringkv-shutdown"));
        if (parentPid != null) {
            ProcessHandle.of(parentPid).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> System.exit(0)),
                    () -> System.exit(0));
        }
        log.atInfo().addKeyValue("node", config.nodeId()).addKeyValue("http", config.host() + ":" + config.httpPort())
                .addKeyValue("data", config.dataDir()).log("node started");
        stopped.await();
        return 0;
    }

    static ReadRepair parseReadRepair(String value) {
        return switch (value.toLowerCase()) {
            case "async" -> ReadRepair.ASYNC;
            case "sync" -> ReadRepair.SYNC;
            default -> throw new IllegalArgumentException("--read-repair must be async or sync, got " + value);
        };
    }

    static ConflictMode parseConflicts(String value) {
        return switch (value.toLowerCase()) {
            case "siblings" -> ConflictMode.SIBLINGS;
            case "lww" -> ConflictMode.LWW;
            default -> throw new IllegalArgumentException("--conflicts must be siblings or lww, got " + value);
        };
    }
}
