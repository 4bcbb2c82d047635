package io.ringkv.checker.cluster;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A cluster of node processes on one machine: node i is {@code n<i>}, listens on 127.0.0.i (every
 * address in 127.0.0.0/8 is local on Linux) with the same ports on every node, and keeps its data in
 * {@code <dir>/n<i>}. Node 1 founds the cluster, the others join it through its gossip port.
 */
public final class LocalCluster implements AutoCloseable {

    /**
     * The JVM options of every node: a small heap suffices, the values live in RocksDB. It is fixed
     * (initial = maximum), as on any server: a node's cache holds encoded states that are replaced on
     * every write, so they die after living a while. Starting at 64 MiB, G1 kept the heap near 260 MiB
     * while those states filled the old generation, shrank the young generation to make room, and ran
     * up to 17 young collections a second until a marking cycle freed the old one (BENCHMARKS.md).
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms512m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError");

    private final List<NodeProcess> nodes;

    private LocalCluster(List<NodeProcess> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Describes (does not start) {@code count} nodes.
     *
     * @param basePort  HTTP port; replica RPC is basePort + 1, gossip basePort + 2
     * @param nodeArgs  extra {@code kv node} options for every node (quorum defaults, timeouts...)
     */
    public static LocalCluster of(Path jar, Path dir, int count, int basePort, List<String> jvmOptions, List<String> nodeArgs) {
        return of(jar, dir, count, basePort, jvmOptions, nodeArgs, i -> List.of());
    }

    /**
     * As {@link #of(Path, Path, int, int, List, List)}, with {@code perNode.apply(i)} as further options of
     * node i (counting from 1).
     */
    public static LocalCluster of(Path jar, Path dir, int count, int basePort, List<String> jvmOptions, List<String> nodeArgs,
                                  IntFunction<List<String>> perNode) {
        return of(jar, dir, count, basePort, jvmOptions, nodeArgs, perNode, null);
    }

    /**
     * As {@link #of(Path, Path, int, int, List, List, IntFunction)}, for nodes that serve HTTPS with
     * certificates of the authority {@code tls} trusts (each node's {@code --certs-dir} is among its
     * options); null for plain HTTP.
     */
    public static LocalCluster of(Path jar, Path dir, int count, int basePort, List<String> jvmOptions, List<String> nodeArgs,
                                  IntFunction<List<String>> perNode, SSLContext tls) {
        if (count < 1 || count > 250) {
            throw new IllegalArgumentException("between 1 and 250 nodes, got " + count);
        }
        List<NodeProcess> nodes = new ArrayList<>();
        String seed = "127.0.0.1:" + (basePort + 2);
        for (int i = 1; i <= count; i++) {
            String id = "n" + i;
            String host = "127.0.0." + i;
            Path data = dir.resolve(id).toAbsolutePath();
            List<String> cmd = NodeProcess.javaCommand(jar, jvmOptions);
            cmd.addAll(List.of("node", "--id", id, "--host", host,
                    "--http-port", String.valueOf(basePort), "--rpc-port", String.valueOf(basePort + 1),
                    "--gossip-port", String.valueOf(basePort + 2), "--data-dir", data.toString(),
                    "--parent-pid", String.valueOf(ProcessHandle.current().pid())));
            if (i > 1) {
                cmd.addAll(List.of("--seeds", seed));
            }
            if (tls == null) {
                // Nodes refuse to start open unless told; a cluster without trust to reach them is an open one.
                cmd.add("--insecure");
            }
            List<String> extra = new ArrayList<>(nodeArgs);
            extra.addAll(perNode.apply(i));
            int share = coresPerNode(count);
            if (extra.stream().noneMatch(a -> a.startsWith("--event-loops"))) {
                cmd.addAll(List.of("--event-loops", String.valueOf(share)));
            }
            if (extra.stream().noneMatch(a -> a.startsWith("--storage-threads"))) {
                cmd.addAll(List.of("--storage-threads", String.valueOf(share)));
            }
            cmd.addAll(extra);
            nodes.add(new NodeProcess(id, host, basePort, basePort + 1, basePort + 2, data, cmd, tls));
        }
        return new LocalCluster(nodes);
    }

    /**
     * The cores each of {@code count} nodes sharing this machine gets (at least one): the number of event
     * loops and of storage threads it runs. A node alone on a machine runs one event loop per core and
     * four storage threads; {@code count} of them doing so here would run many times more busy threads
     * than there are cores, and the hand-offs between them cost more than the work. Measured on two cores
     * with three nodes (BENCHMARKS.md): one event loop instead of two, then one storage thread instead of
     * four, each cut the cluster's CPU per request by about a fifth.
     */
    static int coresPerNode(int count) {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / count);
    }

    /**
     * Starts every node, the founder first, and waits until each is healthy and sees all of them in
     * its ring.
     *
     * @param progress told what is being waited for, about once a second
     * @throws IllegalStateException naming the nodes that were not healthy in time (the cluster is
     *                               left running; close it)
     */
    public void start(Duration timeout, Consumer<String> progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        nodes.get(0).start();
        awaitHealthy(List.of(nodes.get(0)), 1, deadline, progress);
        for (int i = 1; i < nodes.size(); i++) {
            nodes.get(i).start();
        }
        awaitHealthy(nodes, nodes.size(), deadline, progress);
    }

    /** Waits until every node of {@code which} is healthy with {@code ringMembers} ring members. */
    public void awaitHealthy(List<NodeProcess> which, int ringMembers, Duration timeout, Consumer<String> progress) {
        awaitHealthy(which, ringMembers, System.nanoTime() + timeout.toNanos(), progress);
    }

    private static void awaitHealthy(List<NodeProcess> which, int ringMembers, long deadline, Consumer<String> progress) {
        long lastReport = 0;
        while (true) {
            List<String> waiting = new ArrayList<>();
            for (NodeProcess n : which) {
                if (!n.isAlive()) {
                    throw new IllegalStateException("node " + n.id() + " exited with code " + n.exitCode()
                            + "; see " + n.logFile());
                }
                if (!n.healthy(ringMembers)) {
                    waiting.add(n.id());
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException("nodes " + waiting + " not healthy in time; see their node.log");
            }
            if (now - lastReport > 1_000_000_000L) {
                progress.accept("waiting for " + String.join(", ", waiting) + " to join a " + ringMembers + "-node ring");
                lastReport = now;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for nodes", e);
            }
        }
    }

    public List<NodeProcess> nodes() {
        return nodes;
    }

    /** Node {@code i}, counting from 1 as the node ids do. */
    public NodeProcess node(int i) {
        return nodes.get(i - 1);
    }

    /** HTTP addresses of every node, host:port. */
    public List<String> httpAddresses() {
        return nodes.stream().map(NodeProcess::httpAddress).toList();
    }

    /** Stops every node (SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() {
        for (NodeProcess n : nodes) {
            n.resume();
        }
        nodes.parallelStream().forEach(n -> n.stop(Duration.ofSeconds(10)));
    }
}
