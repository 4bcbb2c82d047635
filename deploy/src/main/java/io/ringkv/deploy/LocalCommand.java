package io.ringkv.deploy;

import io.ringkv.checker.cluster.LocalCluster;
import io.ringkv.checker.cluster.NodeProcess;
import io.ringkv.client.GetResult;
import io.ringkv.client.KvClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code kv local}: a cluster of node processes on this machine, one per loopback address, until
 * Ctrl-C. Shows it working with a write and a read, then prints how to talk to it.
 *
 * <p>Secure unless told {@code --insecure}: under its directory it keeps a certificate authority (its key
 * in {@code safe/}), each node's certificates, an {@code admin} user's random password, and
 * {@code client.env} with what a client needs ({@code KV_NODE}, {@code KV_CACERT}, {@code KV_USER},
 * {@code KV_PASSWORD}); they are made once and reused when the cluster is started again.
 */
@Command(name = "local", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts a local cluster: node i on 127.0.0.i, data under --dir; stops it on Ctrl-C."})
public final class LocalCommand implements Callable<Integer> {

    @Option(names = "--nodes", description = "How many nodes (default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int nodes;

    @Option(names = "--dir", description = "Data directory; node i keeps its data in <dir>/n<i> (default: ${DEFAULT-VALUE}).",
            defaultValue = "data/local")
    Path dir;

    @Option(names = "--http-port", description = "HTTP port of every node; RPC and gossip use the next two "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "7070")
    int port;

    @Option(names = "--n", description = "Replicas per key (default: ${DEFAULT-VALUE}, or the number of nodes if fewer).",
            defaultValue = "3")
    int n;

    @Option(names = "--r", description = "Default read quorum (default: ${DEFAULT-VALUE}, at most n).", defaultValue = "2")
    int r;

    @Option(names = "--w", description = "Default write quorum (default: ${DEFAULT-VALUE}, at most n).", defaultValue = "2")
    int w;

    @Option(names = "--no-demo", description = "Skip the demo write and read.")
    boolean noDemo;

    @Option(names = "--node-arg", description = "Extra option passed to every `kv node`, repeatable (e.g. --node-arg=--fsync=true).")
    List<String> nodeArgs = new ArrayList<>();

    @Option(names = "--insecure", description = "Plain HTTP, no authentication, unsigned gossip: for throwaway "
            + "work on a machine nobody else uses.")
    boolean insecure;

    @Override
    public Integer call() throws Exception {
        int effectiveN = Math.min(n, nodes);
        List<String> args = new ArrayList<>(List.of("--n", String.valueOf(effectiveN),
                "--r", String.valueOf(Math.min(r, effectiveN)), "--w", String.valueOf(Math.min(w, effectiveN))));
        args.addAll(nodeArgs);
        LocalSecurity security = insecure ? null : LocalSecurity.prepare(dir, nodes, port);
        if (insecure) {
            System.err.println("*** kv local --insecure: plain HTTP, no authentication, unsigned gossip. Anyone who "
                    + "can reach these ports can read, write and reconfigure the cluster. ***");
        }
        LocalCluster cluster = LocalCluster.of(ownJar(), dir, nodes, port, LocalCluster.DEFAULT_JVM_OPTIONS, args,
                i -> security == null ? List.of() : security.nodeArgs(i), security == null ? null : security.trust());
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("stopping " + nodes + " nodes...");
            cluster.close();
            done.countDown();
        }, "kv-local-stop"));
        System.err.println("starting " + nodes + " nodes, data under " + dir.toAbsolutePath());
        try {
            cluster.start(Duration.ofSeconds(90), msg -> System.err.println("  " + msg));
        } catch (IllegalStateException e) {
            System.err.println("kv local: " + e.getMessage());
            System.exit(1);
        }
        System.out.println("cluster of " + nodes + " nodes is up (n=" + effectiveN + "):");
        for (NodeProcess p : cluster.nodes()) {
            System.out.println("  " + p.id() + "  " + p.baseUri() + "  pid " + p.pid() + "  log " + p.logFile());
        }
        if (!noDemo) {
            demo(cluster, security);
        }
        if (security == null) {
            System.out.println("try: curl -i http://" + cluster.node(1).httpAddress() + "/kv/hello    "
                    + "or: bin/kv get hello --node " + cluster.node(nodes).httpAddress());
        } else {
            System.out.println("client settings (admin user, its password, the CA): " + security.clientEnv());
            System.out.println("try: source " + security.clientEnv() + " && curl -i --cacert \"$KV_CACERT\" -u "
                    + "\"$KV_USER:$KV_PASSWORD\" https://" + cluster.node(1).httpAddress() + "/kv/hello");
            System.out.println("  or: source " + security.clientEnv() + " && bin/kv get hello --node "
                    + cluster.node(nodes).httpAddress());
        }
        System.out.println("Ctrl-C stops the cluster.");
        System.out.flush();
        done.await();
        return 0;
    }

    private static void demo(LocalCluster cluster, LocalSecurity security) {
        NodeProcess first = cluster.node(1);
        NodeProcess last = cluster.node(cluster.nodes().size());
        try (KvClient writer = client(first, security); KvClient reader = client(last, security)) {
            String value = "world, written at " + java.time.Instant.now();
            writer.put("hello", value, writer.get("hello").context());
            GetResult read = reader.get("hello");
            System.out.println("demo: PUT /kv/hello via " + first.id() + ", GET /kv/hello via " + last.id() + " -> \""
                    + read.siblings().get(0).valueAsString() + "\"");
        }
    }

    private static KvClient client(NodeProcess node, LocalSecurity security) {
        KvClient.Builder b = KvClient.builder().nodes(node.httpAddress());
        if (security != null) {
            security.configure(b);
        }
        return b.build();
    }

    /** The jar this class was loaded from: nodes run the same build as the command that starts them. */
    static Path ownJar() throws URISyntaxException {
        Path location = Path.of(LocalCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!location.toString().endsWith(".jar")) {
            Path built = Path.of("deploy", "target", "kv.jar");
            if (built.toFile().isFile()) {
                return built.toAbsolutePath();
            }
            throw new IllegalStateException("not running from the kv jar; build it with: mvn -DskipTests package");
        }
        return location;
    }
}
