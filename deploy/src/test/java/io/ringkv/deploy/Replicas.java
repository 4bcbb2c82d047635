package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.ring.Ring;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Test helpers that look at single replicas and at the ring, as an operator would. */
final class Replicas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Replicas() {
    }

    /** The ring as node {@code via} knows it. */
    static Ring ring(ClusterFixture fx, int via) throws Exception {
        JsonNode status = JSON.readTree(fx.get(via, "/cluster").body());
        List<String> owners = new ArrayList<>();
        status.path("owners").forEach(o -> owners.add(o.asText()));
        return Ring.of(status.path("ring_version").asLong(), owners);
    }

    /** {@code count} keys named {@code prefix-i} whose n primaries include {@code node}. */
    static List<String> keysWithPrimary(Ring ring, int n, String node, String prefix, int count) {
        return keysWhosePrimaries(ring, n, primaries -> primaries.contains(node), prefix, count);
    }

    /** {@code count} keys named {@code prefix-i} whose first primary, the one that reaps their tombstones, is {@code node}. */
    static List<String> keysWithFirstPrimary(Ring ring, int n, String node, String prefix, int count) {
        return keysWhosePrimaries(ring, n, primaries -> primaries.get(0).equals(node), prefix, count);
    }

    private static List<String> keysWhosePrimaries(Ring ring, int n, Predicate<List<String>> test, String prefix, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < count; i++) {
            if (i == 100_000) {
                throw new IllegalStateException("fewer than " + count + " of " + i + " keys " + prefix + "-i fit");
            }
            String key = prefix + "-" + i;
            if (test.test(ring.preferenceList(key, n).primaries())) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** The non-tombstone values one node holds for {@code key}, read from that node alone. */
    static List<String> valuesOn(ClusterFixture fx, int node, String key) throws Exception {
        JsonNode state = JSON.readTree(fx.get(node, "/debug/replica/" + encode(key)).body());
        List<String> values = new ArrayList<>();
        for (JsonNode s : state.path("siblings")) {
            if (!s.path("tombstone").asBoolean()) {
                values.add(new String(Base64.getDecoder().decode(s.path("value_base64").asText()), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    /** The full state one node holds for {@code key}: exists, tombstones, fingerprint. */
    static JsonNode stateOn(ClusterFixture fx, int node, String key) throws Exception {
        return JSON.readTree(fx.get(node, "/debug/replica/" + encode(key)).body());
    }

    /** Whether one node holds any state for {@code key}, a tombstone included. */
    static boolean holds(ClusterFixture fx, int node, String key) throws Exception {
        return stateOn(fx, node, key).path("exists").asBoolean();
    }

    /** Hints node {@code node} holds, per node they are for. */
    static Map<String, Long> hintsHeldBy(ClusterFixture fx, int node) throws Exception {
        Map<String, Long> hints = new TreeMap<>();
        JSON.readTree(fx.get(node, "/cluster").body()).path("hints_pending").fields()
                .forEachRemaining(e -> hints.put(e.getKey(), e.getValue().asLong()));
        return hints;
    }

    /** Live members as node {@code node} sees them. */
    static List<String> liveMembers(ClusterFixture fx, int node) throws Exception {
        List<String> live = new ArrayList<>();
        for (JsonNode m : JSON.readTree(fx.get(node, "/cluster").body()).path("members")) {
            if (m.path("live").asBoolean()) {
                live.add(m.path("node").asText());
            }
        }
        return live;
    }

    /** A counter from node {@code node}'s Prometheus metrics, 0 if absent. */
    static double metric(ClusterFixture fx, int node, String name) {
        for (String line : fx.get(node, "/metrics").body().split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
