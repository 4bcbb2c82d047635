package io.ringkv.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringkv.coordinator.ConflictMode;
import io.ringkv.coordinator.ReadRepair;
import io.ringkv.node.membership.ClusterSettings;
import io.ringkv.node.membership.ClusterState;
import io.ringkv.node.membership.Peer;
import io.ringkv.node.storage.ReplicaStore;
import io.ringkv.ring.Ring;
import io.ringkv.versioning.CausalContextCodec;
import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.DvvSetCodec;
import io.ringkv.versioning.StoredValue;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** The cluster-level endpoints: health, status, runtime settings and the one-replica debug read. */
public final class ClusterEndpoints {

    private final ClusterState cluster;
    private final ReplicaStore store;
    private final Runnable gossipNow;
    private final Context context;

    /** @param gossipNow publishes this node's ring and settings at once */
    public ClusterEndpoints(ClusterState cluster, ReplicaStore store, Runnable gossipNow, Context context) {
        this.cluster = cluster;
        this.store = store;
        this.gossipNow = gossipNow;
        this.context = context;
    }

    void health(HttpServerRequest req) {
        ObjectNode body = HttpApi.JSON.createObjectNode().put("node", cluster.self());
        if (cluster.inRing()) {
            body.put("status", "ok").put("ring_version", cluster.ring().version())
                    .put("ring_members", cluster.ring().members().size()).put("live_members", cluster.live().size());
            HttpApi.json(req.response(), 200, body);
        } else {
            body.put("status", "joining").put("detail", "waiting to be admitted to a ring");
            HttpApi.json(req.response(), 503, body);
        }
    }

    void status(HttpServerRequest req) {
        Map<String, Long> hints = store.hintsPending();
        ObjectNode body = HttpApi.JSON.createObjectNode().put("node", cluster.self());
        Ring ring = cluster.ring();
        Map<String, Peer> live = cluster.live();
        ArrayNode members = body.putArray("members");
        if (ring != null) {
            body.put("ring_version", ring.version()).put("partitions", ring.partitionCount());
            for (String m : ring.members()) {
                ObjectNode member = members.addObject().put("node", m).put("live", live.containsKey(m))
                        .put("partitions_owned", ring.partitionsOwnedBy(m).size())
                        .put("hints_pending_here", hints.getOrDefault(m, 0L));
                Peer p = live.get(m);
                if (p != null) {
                    member.put("http", p.httpAddress());
                }
            }
            ArrayNode owners = body.putArray("owners");
            ring.owners().forEach(owners::add);
        }
        ObjectNode pending = body.putObject("hints_pending");
        hints.forEach(pending::put);
        ArrayNode unknownLive = body.putArray("live_not_in_ring");
        live.keySet().stream().sorted().filter(n -> ring == null || !ring.members().contains(n)).forEach(unknownLive::add);
        ClusterSettings settings = cluster.settings();
        body.set("settings", settingsJson(settings));
        if (ring != null) {
            // What requests without explicit quorums use while the ring has fewer members than n.
            int n = Math.min(settings.n(), ring.members().size());
            body.putObject("effective").put("n", n).put("r", Math.min(settings.r(), n)).put("w", Math.min(settings.w(), n));
        }
        HttpApi.json(req.response(), 200, body);
    }

    void updateSettings(HttpServerRequest req, Buffer raw) {
        JsonNode body;
        try {
            body = HttpApi.JSON.readTree(raw.getBytes());
        } catch (IOException e) {
            HttpApi.error(req.response(), ApiError.badRequest("invalid_json", "body is not JSON: " + e.getMessage()));
            return;
        }
        ClusterSettings next;
        try {
            next = apply(cluster.settings(), body);
        } catch (ApiError e) {
            HttpApi.error(req.response(), e);
            return;
        }
        Ring ring = cluster.ring();
        if (ring != null && next.n() > ring.members().size()) {
            HttpApi.error(req.response(), ApiError.badRequest("invalid_quorum", "n=" + next.n() + " needs at least "
                    + next.n() + " nodes; the ring has " + ring.members().size()));
            return;
        }
        cluster.offerSettings(next);
        gossipNow.run();
        HttpApi.json(req.response(), 200, settingsJson(cluster.settings()));
    }

    /** Reads the state this node holds for {@code key}, without asking any other replica. */
    void replica(HttpServerRequest req, String key) {
        String hintFor = req.getParam("hint_for");
        Future.fromCompletionStage(store.read(key, hintFor), context).onComplete(ar -> {
            if (ar.failed()) {
                HttpApi.error(req.response(), new ApiError(500, "internal", ar.cause().getMessage()));
                return;
            }
            DvvSet<StoredValue> state = ar.result();
            ObjectNode body = HttpApi.JSON.createObjectNode().put("node", cluster.self()).put("key", key);
            body.put("exists", !state.entries().isEmpty());
            body.put("fingerprint", fingerprint(state));
            body.put("context", state.entries().isEmpty() ? "" : CausalContextCodec.encode(state.context()));
            ArrayNode values = body.putArray("siblings");
            for (StoredValue v : state.values()) {
                values.addObject().put("content_type", v.contentType()).put("tombstone", v.isTombstone())
                        .put("timestamp_ms", v.timestampMillis())
                        .put("value_base64", Base64.getEncoder().encodeToString(v.bytes()));
            }
            HttpApi.json(req.response(), 200, body);
        });
    }

    static ObjectNode settingsJson(ClusterSettings s) {
        return HttpApi.JSON.createObjectNode()
                .put("version", s.version()).put("n", s.n()).put("r", s.r()).put("w", s.w()).put("sloppy", s.sloppy())
                .put("read_repair", s.readRepair().name().toLowerCase(Locale.ROOT))
                .put("conflicts", s.conflicts().name().toLowerCase(Locale.ROOT))
                .put("timeout_ms", s.timeoutMs()).put("tombstone_grace_ms", s.tombstoneGraceMs());
    }

    /** {@code current} with the fields of {@code body} applied, as a new version. */
    static ClusterSettings apply(ClusterSettings current, JsonNode body) {
        if (body == null || !body.isObject() || body.isEmpty()) {
            throw ApiError.badRequest("invalid_settings", "expected a JSON object with at least one setting");
        }
        int n = current.n();
        int r = current.r();
        int w = current.w();
        boolean sloppy = current.sloppy();
        ReadRepair readRepair = current.readRepair();
        ConflictMode conflicts = current.conflicts();
        long timeout = current.timeoutMs();
        long grace = current.tombstoneGraceMs();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "n" -> n = intField("n", v);
                case "r" -> r = intField("r", v);
                case "w" -> w = intField("w", v);
                case "sloppy" -> sloppy = boolField("sloppy", v);
                case "read_repair" -> readRepair = HttpApi.readRepairParam(textField("read_repair", v));
                case "conflicts" -> conflicts = switch (textField("conflicts", v).toLowerCase(Locale.ROOT)) {
                    case "siblings" -> ConflictMode.SIBLINGS;
                    case "lww" -> ConflictMode.LWW;
                    default -> throw ApiError.badRequest("invalid_settings", "conflicts must be siblings or lww");
                };
                case "timeout_ms" -> timeout = intField("timeout_ms", v);
                case "tombstone_grace_ms" -> grace = intField("tombstone_grace_ms", v);
                default -> throw ApiError.badRequest("invalid_settings", "unknown setting '" + f.getKey() + "'");
            }
        }
        try {
            return new ClusterSettings(current.version() + 1, n, r, w, sloppy, readRepair, conflicts, timeout, grace);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage().startsWith("n ") || e.getMessage().startsWith("r ")
                    || e.getMessage().startsWith("w ") ? "invalid_quorum" : "invalid_settings", e.getMessage());
        }
    }

    private static int intField(String name, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiError.badRequest(name.length() == 1 ? "invalid_quorum" : "invalid_settings",
                    name + " must be a whole number, got " + v);
        }
        return v.intValue();
    }

    private static boolean boolField(String name, JsonNode v) {
        if (!v.isBoolean()) {
            throw ApiError.badRequest("invalid_settings", name + " must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    private static String textField(String name, JsonNode v) {
        if (!v.isTextual()) {
            throw ApiError.badRequest("invalid_settings", name + " must be a string, got " + v);
        }
        return v.textValue();
    }

    /** A short digest of a replica state: equal states, equal fingerprints. */
    static String fingerprint(DvvSet<StoredValue> state) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(DvvSetCodec.encode(state));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
