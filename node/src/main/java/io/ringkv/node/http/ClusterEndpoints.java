package io.ringkv.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringkv.coordinator.ConflictMode;
import io.ringkv.coordinator.ReadRepair;
import io.ringkv.node.maintenance.HandoffProgress;
import io.ringkv.node.membership.ClusterSettings;
import io.ringkv.node.membership.ClusterState;
import io.ringkv.node.membership.Peer;
import io.ringkv.node.storage.ReplicaStore;
import io.ringkv.ring.Change;
import io.ringkv.ring.Plan;
import io.ringkv.ring.Ring;
import io.ringkv.ring.Transition;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cluster-level endpoints: health, status, runtime settings, staged membership changes (join, leave,
 * plan, commit) and the one-replica debug read.
 */
public final class ClusterEndpoints {

    private final Optional<Instant> certificateExpires;
    private final ClusterState cluster;
    private final ReplicaStore store;
    private final Runnable gossipNow;
    private final Context context;
    private final HandoffProgress handoff;

    /**
     * @param gossipNow publishes this node's ring and settings at once
     * @param handoff   what this node's ownership handoff is doing
     */
    /** @param certificateExpires when this node's certificate expires; empty when it serves plain connections */
    public ClusterEndpoints(ClusterState cluster, ReplicaStore store, Runnable gossipNow, Context context,
                            HandoffProgress handoff, Optional<Instant> certificateExpires) {
        this.certificateExpires = certificateExpires;
        this.cluster = cluster;
        this.store = store;
        this.gossipNow = gossipNow;
        this.context = context;
        this.handoff = handoff;
    }

    void health(HttpServerRequest req) {
        ObjectNode body = HttpApi.JSON.createObjectNode().put("node", cluster.self());
        if (cluster.inRing()) {
            body.put("status", "ok").put("ring_version", cluster.ring().version())
                    .put("ring_members", cluster.ring().members().size()).put("live_members", cluster.live().size());
            HttpApi.json(req.response(), 200, body);
        } else if (cluster.departed()) {
            body.put("status", "left").put("detail", "left the ring; handing off what it still holds, then stopping");
            HttpApi.json(req.response(), 503, body);
        } else {
            body.put("status", "joining").put("detail", cluster.joiningOrMember(cluster.self())
                    ? "admitted; receiving its partitions before it owns them" : "waiting to be admitted to a ring");
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
        ObjectNode tls = body.putObject("tls").put("enabled", certificateExpires.isPresent());
        certificateExpires.ifPresent(t -> tls.put("certificate_expires", t.toString()));
        ArrayNode unknownLive = body.putArray("live_not_in_ring");
        live.keySet().stream().sorted().filter(n -> ring == null || !ring.members().contains(n)).forEach(unknownLive::add);
        ClusterSettings settings = cluster.settings();
        body.set("settings", settingsJson(settings));
        body.set("transition", transitionJson(ring, cluster.transition()));
        body.set("handoff", handoffJson());
        ArrayNode staged = body.putArray("staged");
        cluster.staged().forEach(c -> staged.addObject().put("action", c.kind().name().toLowerCase(Locale.ROOT)).put("node", c.node()));
        if (ring != null) {
            // What requests without explicit quorums use while the ring has fewer members than n.
            int n = Math.min(settings.n(), ring.members().size());
            body.putObject("effective").put("n", n).put("r", Math.min(settings.r(), n)).put("w", Math.min(settings.w(), n));
        }
        HttpApi.json(req.response(), 200, body);
    }

    /** The ring change in progress: its next ring and, per source node, the partitions handed off and left. */
    private static JsonNode transitionJson(Ring ring, Transition t) {
        if (t == null || ring == null) {
            return HttpApi.JSON.nullNode();
        }
        ObjectNode json = HttpApi.JSON.createObjectNode().put("from_version", ring.version())
                .put("to_version", t.next().version()).put("n", t.n());
        List<Transition.Source> sources = t.sources(ring);
        long done = sources.stream().filter(t.done()::contains).count();
        json.put("handoffs_total", sources.size()).put("handoffs_done", done);
        ObjectNode perNode = json.putObject("by_source");
        Map<String, int[]> counts = new TreeMap<>();
        for (Transition.Source s : sources) {
            int[] c = counts.computeIfAbsent(s.node(), k -> new int[2]);
            c[t.done().contains(s) ? 0 : 1]++;
        }
        counts.forEach((node, c) -> perNode.putObject(node).put("done", c[0]).put("pending", c[1]));
        ArrayNode moves = json.putArray("moves");
        for (int p = 0; p < ring.partitionCount(); p++) {
            List<String> to = t.newcomers(ring, p);
            if (!to.isEmpty()) {
                ObjectNode move = moves.addObject().put("partition", p);
                ArrayNode toJson = move.putArray("to");
                to.forEach(toJson::add);
                ArrayNode pending = move.putArray("waiting_for");
                for (String s : ring.preferenceList(p, t.n()).primaries()) {
                    if (!t.done().contains(new Transition.Source(p, s))) {
                        pending.add(s);
                    }
                }
            }
        }
        ObjectNode next = json.putObject("next_ownership");
        t.next().ownershipCounts().forEach(next::put);
        return json;
    }

    /** What this node's handoff is doing now, and its totals. */
    private JsonNode handoffJson() {
        ObjectNode json = HttpApi.JSON.createObjectNode().put("keys_sent", handoff.keysSent())
                .put("partitions_transferred", handoff.partitionsTransferred())
                .put("partitions_dropped", handoff.partitionsDropped());
        HandoffProgress.Active a = handoff.active();
        if (a != null) {
            ObjectNode active = json.putObject("active").put("partition", a.partition()).put("kind", a.kind())
                    .put("keys_sent", a.keysSent()).put("keys_queued", a.keysQueued())
                    .put("running_ms", System.currentTimeMillis() - a.startedAtMillis());
            ArrayNode to = active.putArray("to");
            a.targets().forEach(to::add);
        }
        if (handoff.waiting() != null) {
            json.put("waiting", handoff.waiting());
        }
        return json;
    }

    /** The request's JSON body (a missing node when empty); null, with a 400 answered, when it is not JSON. */
    private static JsonNode jsonBody(HttpServerRequest req, Buffer raw) {
        try {
            JsonNode body = HttpApi.JSON.readTree(raw.getBytes());
            return body == null ? MissingNode.getInstance() : body;
        } catch (IOException e) {
            HttpApi.error(req.response(), ApiError.badRequest("invalid_json", "body is not JSON: " + e.getMessage()));
            return null;
        }
    }

    /** Stages a join or a leave, checked against what this node knows; nothing changes until a commit. */
    void stage(HttpServerRequest req, Buffer raw) {
        JsonNode body = jsonBody(req, raw);
        if (body == null) {
            return;
        }
        if (body == null || !body.isObject() || body.has("join") == body.has("leave")) {
            HttpApi.error(req.response(), ApiError.badRequest("invalid_change",
                    "send {\"join\": \"<node id>\", \"address\": \"<host:port>\"} or {\"leave\": \"<node id>\"}"));
            return;
        }
        Ring ring = cluster.ring();
        if (ring == null) {
            HttpApi.error(req.response(), new ApiError(409, "no_ring", "this node is not in a cluster yet"));
            return;
        }
        Change change;
        if (body.has("join")) {
            String node = body.path("join").asText("");
            Peer peer = cluster.peer(node);
            if (peer == null) {
                HttpApi.error(req.response(), new ApiError(409, "not_live", "node '" + node + "' is not a live member: start it "
                        + "with --seeds (or --join) pointing at this cluster, then stage its join"));
                return;
            }
            String address = body.path("address").asText(null);
            if (address != null && !address.equals(peer.httpAddress())) {
                HttpApi.error(req.response(), new ApiError(409, "address_mismatch", "node '" + node + "' is live at "
                        + peer.httpAddress() + ", not " + address));
                return;
            }
            if (ring.members().contains(node)) {
                HttpApi.error(req.response(), new ApiError(409, "already_member", "node '" + node + "' is already a member"));
                return;
            }
            change = Change.join(node);
        } else {
            String node = body.path("leave").asText("");
            if (!ring.members().contains(node)) {
                HttpApi.error(req.response(), new ApiError(409, "not_member", "node '" + node + "' is not a member of the ring"));
                return;
            }
            change = Change.leave(node);
        }
        List<Change> candidate = new ArrayList<>(cluster.staged());
        candidate.removeIf(c -> c.node().equals(change.node()));
        candidate.add(change);
        try {
            Plan.of(ring, candidate, cluster.settings().n());
        } catch (Plan.RefusedException e) {
            // Refused before staging: a change that cannot be planned is not kept.
            HttpApi.error(req.response(), new ApiError(409, "plan_refused", e.getMessage()));
            return;
        }
        cluster.stage(change);
        plan(req);
    }

    void clearStaged(HttpServerRequest req) {
        cluster.clearStaged(null);
        HttpApi.json(req.response(), 200, HttpApi.JSON.createObjectNode().putArray("staged"));
    }

    /** The plan for the staged changes: moves and the resulting ownership; 409 with the reason if refused. */
    void plan(HttpServerRequest req) {
        try {
            HttpApi.json(req.response(), 200, planJson(makePlan()));
        } catch (ApiError e) {
            HttpApi.error(req.response(), e);
        }
    }

    /**
     * Marks the handoffs of a node that is down for good as done, so that a change (typically its own
     * removal) can complete without it. Its copies are not streamed; every other current replica still
     * streams its own, so only writes acknowledged by that node alone (w=1) can be missing. Refused while
     * the node is live, and for a node that receives data in the change (nothing could replace that).
     */
    void forceHandoff(HttpServerRequest req, Buffer raw) {
        JsonNode body = jsonBody(req, raw);
        if (body == null) {
            return;
        }
        String node = body.path("node").asText("");
        if (node.isEmpty()) {
            HttpApi.error(req.response(), ApiError.badRequest("invalid_node", "send {\"node\": \"<id of the node that is down>\"}"));
            return;
        }
        Ring ring = cluster.ring();
        Transition t = cluster.transition();
        if (ring == null || t == null) {
            HttpApi.error(req.response(), new ApiError(409, "no_transition", "no ring change is in progress"));
            return;
        }
        if (cluster.isLive(node)) {
            HttpApi.error(req.response(), new ApiError(409, "node_live", "node '" + node
                    + "' is live: its handoffs will finish; force only a node that is down for good"));
            return;
        }
        for (int p = 0; p < ring.partitionCount(); p++) {
            if (t.newcomers(ring, p).contains(node)) {
                HttpApi.error(req.response(), new ApiError(409, "node_receives", "node '" + node + "' receives partition "
                        + p + " in this change; it must come back (or be left out of a new plan) for the change to complete"));
                return;
            }
        }
        List<Transition.Source> pending = t.pendingFor(ring, node);
        if (pending.isEmpty()) {
            HttpApi.error(req.response(), new ApiError(409, "nothing_pending", "node '" + node + "' has no handoff left"));
            return;
        }
        Transition forced = t;
        for (Transition.Source s : pending) {
            forced = forced.withDone(s);
        }
        cluster.offerTransition(forced);
        gossipNow.run();
        HttpApi.json(req.response(), 200, HttpApi.JSON.createObjectNode().put("node", node)
                .put("handoffs_forced", pending.size())
                .put("note", "the other replicas of these partitions streamed their copies; writes acknowledged by "
                        + node + " alone are not in the new owners"));
    }

    /** Starts the transition the staged changes plan; ownership changes once every handoff is done. */
    void commit(HttpServerRequest req) {
        try {
            Plan plan = makePlan();
            Transition t = Transition.start(plan.current(), plan.next(), cluster.settings().n());
            if (!cluster.offerTransition(t)) {
                throw new ApiError(409, "conflict", "the ring changed while committing; check the plan again");
            }
            cluster.clearStaged(plan.changes());
            gossipNow.run();
            ObjectNode json = planJson(plan);
            json.put("committed", true);
            HttpApi.json(req.response(), 200, json);
        } catch (ApiError e) {
            HttpApi.error(req.response(), e);
        }
    }

    private Plan makePlan() {
        Ring ring = cluster.ring();
        if (ring == null) {
            throw new ApiError(409, "no_ring", "this node is not in a cluster yet");
        }
        Transition t = cluster.transition();
        if (t != null) {
            throw new ApiError(409, "change_in_progress", "ring version " + t.next().version()
                    + " is still being handed off; wait until it is done (kv cluster status)");
        }
        List<Change> staged = cluster.staged();
        try {
            return Plan.of(ring, staged, cluster.settings().n());
        } catch (Plan.RefusedException e) {
            throw new ApiError(409, "plan_refused", e.getMessage());
        }
    }

    private static ObjectNode planJson(Plan plan) {
        ObjectNode json = HttpApi.JSON.createObjectNode().put("from_version", plan.current().version())
                .put("to_version", plan.next().version());
        ArrayNode changes = json.putArray("changes");
        plan.changes().forEach(c -> changes.addObject().put("action", c.kind().name().toLowerCase(Locale.ROOT)).put("node", c.node()));
        ArrayNode transfers = json.putArray("transfers");
        plan.transfers().forEach(tr -> transfers.addObject().put("partition", tr.partition()).put("from", tr.from()).put("to", tr.to()));
        json.put("partitions_changing_owner", plan.movedPartitions().size());
        ObjectNode before = json.putObject("ownership_before");
        plan.current().ownershipCounts().forEach(before::put);
        ObjectNode after = json.putObject("ownership_after");
        plan.next().ownershipCounts().forEach(after::put);
        return json;
    }

    void updateSettings(HttpServerRequest req, Buffer raw) {
        JsonNode body = jsonBody(req, raw);
        if (body == null) {
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
        if (next.n() != cluster.settings().n() && cluster.transition() != null) {
            HttpApi.error(req.response(), new ApiError(409, "change_in_progress",
                    "n cannot change while partitions move to ring version " + cluster.transition().next().version()
                            + "; wait until the handoff is done (kv cluster status)"));
            return;
        }
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
