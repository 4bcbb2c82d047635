package io.ringkv.checker.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.checker.cluster.NodeProcess;
import io.ringkv.ring.Ring;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Looks at the cluster the way an operator does, through the public HTTP endpoints: {@code /cluster}
 * for the ring and who is live, {@code /debug/replica/{key}} for one node's own state of a key.
 * Every request has a short timeout; a node that does not answer gives an empty result.
 */
final class ClusterProbe {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();

    /** The node's {@code /cluster} answer. */
    Optional<JsonNode> status(NodeProcess node) {
        return getJson(node, "/cluster");
    }

    /** Whether every node answers and sees all {@code nodes.size()} ring members live. */
    boolean allLive(List<NodeProcess> nodes) {
        for (NodeProcess n : nodes) {
            Optional<JsonNode> s = status(n);
            if (s.isEmpty()) {
                return false;
            }
            int live = 0;
            for (JsonNode m : s.get().path("members")) {
                if (m.path("live").asBoolean()) {
                    live++;
                }
            }
            if (live != nodes.size() || s.get().path("members").size() != nodes.size()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until {@link #allLive} holds, polling twice a second.
     *
     * @return false when it did not hold within {@code timeout}
     */
    boolean awaitAllLive(List<NodeProcess> nodes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (allLive(nodes)) {
                return true;
            }
            if (System.nanoTime() - deadline > 0 || !sleep(500)) {
                return false;
            }
        }
    }

    /** The ring as the first node that answers knows it. */
    Optional<Ring> ring(List<NodeProcess> nodes) {
        for (NodeProcess n : nodes) {
            Optional<JsonNode> s = status(n);
            if (s.isPresent() && s.get().has("owners")) {
                List<String> owners = new ArrayList<>();
                s.get().path("owners").forEach(o -> owners.add(o.asText()));
                return Optional.of(Ring.of(s.get().path("ring_version").asLong(), owners));
            }
        }
        return Optional.empty();
    }

    /** How many hints {@code node} holds for other nodes ({@code hints_pending} of {@code /cluster}). */
    Optional<Long> hintsHeld(NodeProcess node) {
        return status(node).map(s -> {
            long held = 0;
            for (JsonNode count : s.path("hints_pending")) {
                held += count.asLong();
            }
            return held;
        });
    }

    /** The fingerprint of the state {@code node} holds for {@code key} ({@code GET /debug/replica/{key}}). */
    Optional<String> fingerprint(NodeProcess node, String key) {
        String path = "/debug/replica/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
        return getJson(node, path).map(j -> j.path("fingerprint").asText(null));
    }

    private Optional<JsonNode> getJson(NodeProcess node, String path) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://" + node.httpAddress() + path))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? Optional.ofNullable(JSON.readTree(r.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Sleeps; false when interrupted. */
    static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
