package io.ringkv.node.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringkv.node.antientropy.AntiEntropy;
import io.ringkv.node.antientropy.AntiEntropySettings;
import io.ringkv.node.antientropy.ExchangeLog;
import io.ringkv.node.antientropy.PartitionTrees;
import io.ringkv.node.membership.ClusterState;
import io.ringkv.ring.Ring;
import io.vertx.core.http.HttpServerRequest;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /cluster/aae}: this node's view of anti-entropy. For every partition it is a primary of:
 * its tree (built when, being rebuilt), and for each other primary the last exchange this node started
 * with it (outcome, keys compared and repaired, bytes) or the node that starts them. Times are ISO-8601.
 */
public final class AntiEntropyEndpoint {

    private final ClusterState cluster;
    private final AntiEntropy antiEntropy;

    public AntiEntropyEndpoint(ClusterState cluster, AntiEntropy antiEntropy) {
        this.cluster = cluster;
        this.antiEntropy = antiEntropy;
    }

    void status(HttpServerRequest req) {
        ObjectNode body = HttpApi.JSON.createObjectNode().put("node", cluster.self());
        AntiEntropySettings s = antiEntropy.settings();
        body.putObject("settings").put("exchange_interval_ms", s.exchangeIntervalMs()).put("keys_per_second", s.keysPerSecond())
                .put("concurrency", s.concurrency()).put("rebuild_interval_ms", s.rebuildIntervalMs());
        ExchangeLog log = antiEntropy.exchanges();
        ExchangeLog.Totals t = log.totals();
        body.putObject("totals").put("exchanges_completed", t.completed()).put("exchanges_failed", t.failed())
                .put("keys_compared", t.keysCompared()).put("keys_repaired", t.keysRepaired()).put("bytes", t.bytes());
        ArrayNode partitions = body.putArray("partitions");
        Ring ring = cluster.ring();
        if (ring != null && cluster.inRing()) {
            int n = Math.min(cluster.settings().n(), ring.members().size());
            List<PartitionTrees.TreeStatus> trees = antiEntropy.trees().status();
            for (int p = 0; p < ring.partitionCount(); p++) {
                List<String> primaries = ring.preferenceList(p, n).primaries();
                int self = primaries.indexOf(cluster.self());
                if (self < 0) {
                    continue;
                }
                ObjectNode partition = partitions.addObject().put("partition", p);
                primaries.forEach(partition.putArray("primaries")::add);
                ObjectNode tree = partition.putObject("tree");
                if (p < trees.size()) {
                    PartitionTrees.TreeStatus ts = trees.get(p);
                    tree.put("built", ts.built()).put("rebuilding", ts.rebuilding());
                    if (ts.built()) {
                        tree.put("built_at", Instant.ofEpochMilli(ts.builtAtMillis()).toString());
                    }
                } else {
                    tree.put("built", false).put("rebuilding", false);
                }
                partition.put("keys_repaired", log.repaired(p));
                ArrayNode peers = partition.putArray("peers");
                for (int i = 0; i < primaries.size(); i++) {
                    if (i != self) {
                        peer(peers.addObject(), p, primaries.get(i), i > self ? cluster.self() : primaries.get(i), log);
                    }
                }
            }
        }
        HttpApi.json(req.response(), 200, body);
    }

    private void peer(ObjectNode out, int partition, String peer, String startedBy, ExchangeLog log) {
        out.put("peer", peer).put("live", cluster.isLive(peer)).put("started_by", startedBy);
        if (!startedBy.equals(cluster.self())) {
            return;
        }
        out.put("running", log.isRunning(partition, peer));
        ExchangeLog.Exchange e = log.last(partition, peer);
        if (e != null) {
            ObjectNode last = out.putObject("last_exchange")
                    .put("started_at", Instant.ofEpochMilli(e.startedAtMillis()).toString())
                    .put("duration_ms", e.durationMs())
                    .put("outcome", e.outcome().name().toLowerCase(Locale.ROOT))
                    .put("segments_differing", e.segmentsDiffering())
                    .put("keys_compared", e.keysCompared())
                    .put("keys_repaired", e.keysRepaired())
                    .put("bytes", e.bytes());
            if (e.error() != null) {
                last.put("error", e.error());
            }
        }
    }
}
