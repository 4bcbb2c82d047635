package io.ringkv.deploy;

import io.ringkv.checker.cluster.LocalCluster;
import io.ringkv.checker.cluster.NodeProcess;
import io.ringkv.client.KvClient;

import org.awaitility.Awaitility;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real cluster for an end-to-end test: node processes started from the built jar, on 127.0.0.1..N
 * with ports of the test's own, data under target/it. Raw HTTP helpers talk to any node.
 */
final class ClusterFixture implements AutoCloseable {

    static final List<String> TEST_JVM = List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:+ExitOnOutOfMemoryError");

    final LocalCluster cluster;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private ClusterFixture(LocalCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts {@code nodes} nodes with {@code nodeArgs} and waits until all are in one ring. */
    static ClusterFixture start(String name, int nodes, int basePort, String... nodeArgs) throws IOException {
        return start(name, nodes, nodes, basePort, nodeArgs);
    }

    /**
     * Describes {@code nodes} nodes with {@code nodeArgs}, starts the first {@code running} of them and
     * waits until those are in one ring; the others can be started later ({@code node(i).start()}).
     */
    static ClusterFixture start(String name, int nodes, int running, int basePort, String... nodeArgs) throws IOException {
        String jar = System.getProperty("ringkv.jar", "target/kv.jar");
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the runnable jar " + jar + " is missing: run the tests with `mvn verify`");
        }
        Path dir = Files.createDirectories(Path.of("target", "it")).resolve(name + "-" + System.currentTimeMillis());
        List<String> args = new ArrayList<>(List.of("--failure-timeout-seconds", "4",
                "--storage-threads", "2", "--cache-mb", "16"));
        args.addAll(List.of(nodeArgs));
        LocalCluster cluster = LocalCluster.of(Path.of(jar), dir, nodes, basePort, TEST_JVM, args);
        try {
            if (running == nodes) {
                cluster.start(Duration.ofSeconds(120), msg -> { });
            } else {
                cluster.node(1).start();
                cluster.awaitHealthy(List.of(cluster.node(1)), 1, Duration.ofSeconds(60), msg -> { });
                for (int i = 2; i <= running; i++) {
                    cluster.node(i).start();
                }
                cluster.awaitHealthy(cluster.nodes().subList(0, running), running, Duration.ofSeconds(120), msg -> { });
            }
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return new ClusterFixture(cluster);
    }

    NodeProcess node(int i) {
        return cluster.node(i);
    }

    KvClient client(int i) {
        return KvClient.builder().nodes(node(i).httpAddress()).requestTimeout(Duration.ofSeconds(10)).build();
    }

    HttpResponse<String> send(int node, String method, String pathAndQuery, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + node(node).httpAddress() + pathAndQuery))
                .timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + pathAndQuery + " on " + node(node).id() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(int node, String pathAndQuery) {
        return send(node, "GET", pathAndQuery, null);
    }

    HttpResponse<String> put(int node, String pathAndQuery, String body, String... headers) {
        return send(node, "PUT", pathAndQuery, body, headers);
    }

    /** Sends {@code requestLine} as is, for requests an HTTP client library refuses to send; returns the status. */
    int rawStatus(int node, String method, String rawPath) {
        try (Socket socket = new Socket(node(node).host(), node(node).httpPort())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write((method + " " + rawPath + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                    + "Connection: close\r\n\r\nx").getBytes(StandardCharsets.ISO_8859_1));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + rawPath + ": " + e, e);
        }
    }

    /** SIGKILLs {@code nodes} and waits until every node still running sees them down. */
    void kill(int... nodes) {
        for (int i : nodes) {
            node(i).kill();
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int j = 1; j <= cluster.nodes().size(); j++) {
                if (node(j).isAlive()) {
                    List<String> live = Replicas.liveMembers(this, j);
                    for (int i : nodes) {
                        assertThat(live).as("live members seen by n%d", j).doesNotContain(node(i).id());
                    }
                }
            }
        });
    }

    /**
     * Starts {@code nodes} again on their data and waits until every running node is healthy in a ring
     * of all of them and sees every other live.
     */
    void restart(int... nodes) {
        for (int i : nodes) {
            node(i).start();
        }
        List<NodeProcess> running = cluster.nodes().stream().filter(NodeProcess::isAlive).toList();
        cluster.awaitHealthy(running, running.size(), Duration.ofSeconds(60), msg -> { });
        awaitAllLive(Duration.ofSeconds(30));
    }

    /** Waits until every running node sees every running node live. */
    void awaitAllLive(Duration timeout) {
        List<String> running = cluster.nodes().stream().filter(NodeProcess::isAlive).map(NodeProcess::id).toList();
        Awaitility.await().atMost(timeout).untilAsserted(() -> {
            for (int i = 1; i <= cluster.nodes().size(); i++) {
                if (node(i).isAlive()) {
                    assertThat(Replicas.liveMembers(this, i)).as("live members seen by n%d", i).containsAll(running);
                }
            }
        });
    }

    @Override
    public void close() {
        cluster.close();
    }
}
