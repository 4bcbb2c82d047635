package io.ringkv.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The node's metrics, exposed in Prometheus text format at {@code GET /metrics}. */
public final class NodeMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Counter readRepairs;
    private final Counter hintedWrites;
    private final Counter hintsDelivered;
    private final Counter tombstonesReaped;
    private final Counter tombstonesKeptForDownPrimary;
    private final Counter exchangesCompleted;
    private final Counter exchangesFailed;
    private final Counter keysCompared;
    private final Counter keysRepaired;
    private final Counter exchangeBytes;
    private final Counter treesRebuilt;
    private final Counter handoffKeys;
    private final Counter unionWrites;
    private final Counter gossipRejected;
    private final Map<Integer, Counter> authRefused = new ConcurrentHashMap<>();

    public NodeMetrics(String node) {
        registry.config().commonTags("node", node);
        readRepairs = Counter.builder("ringkv.read.repairs").description("states sent to replicas by read repair")
                .register(registry);
        hintedWrites = Counter.builder("ringkv.hinted.writes").description("writes sent to a fallback with a hint")
                .register(registry);
        hintsDelivered = Counter.builder("ringkv.hints.delivered").description("hints handed off to their primary")
                .register(registry);
        tombstonesReaped = Counter.builder("ringkv.tombstones.reaped").description("tombstones removed after their grace period")
                .register(registry);
        gossipRejected = Counter.builder("ringkv.gossip.rejected")
                .description("gossip messages dropped: unsigned, or not signed by a node of the cluster's authority")
                .register(registry);
        tombstonesKeptForDownPrimary = Counter.builder("ringkv.tombstones.kept").tag("reason", "primary_down")
                .description("times the reaper kept a tombstone past its grace period, by reason").register(registry);
        exchangesCompleted = Counter.builder("ringkv.aae.exchanges").tag("outcome", "completed")
                .description("anti-entropy exchanges this node started, by outcome").register(registry);
        exchangesFailed = Counter.builder("ringkv.aae.exchanges").tag("outcome", "failed")
                .description("anti-entropy exchanges this node started, by outcome").register(registry);
        keysCompared = Counter.builder("ringkv.aae.keys.compared")
                .description("keys listed by both replicas in segments whose hashes differed").register(registry);
        keysRepaired = Counter.builder("ringkv.aae.keys.repaired")
                .description("keys anti-entropy found different and synchronized on both replicas").register(registry);
        exchangeBytes = Counter.builder("ringkv.aae.bytes").baseUnit("bytes")
                .description("bytes sent and received by the anti-entropy exchanges this node started").register(registry);
        treesRebuilt = Counter.builder("ringkv.aae.trees.rebuilt")
                .description("partition Merkle trees rebuilt from a full scan").register(registry);
        handoffKeys = Counter.builder("ringkv.handoff.keys")
                .description("key states sent to new owners by ownership handoff").register(registry);
        unionWrites = Counter.builder("ringkv.handoff.union.writes")
                .description("writes also sent to a partition's next owner while ownership moves").register(registry);
    }

    /** Counts a client request by operation and HTTP status. */
    public void request(String op, int status) {
        requests.computeIfAbsent(op + status, k -> Counter.builder("ringkv.requests")
                .tag("op", op).tag("status", String.valueOf(status)).register(registry)).increment();
    }

    public void readRepair() {
        readRepairs.increment();
    }

    public void hintedWrite() {
        hintedWrites.increment();
    }

    public void hintDelivered() {
        hintsDelivered.increment();
    }

    public void tombstoneReaped() {
        tombstonesReaped.increment();
    }

    /** A tombstone past its grace period stays because one of its primaries is down and may not hold it. */
    public void tombstoneKeptForDownPrimary() {
        tombstonesKeptForDownPrimary.increment();
    }

    public void handoffKeys(int count) {
        handoffKeys.increment(count);
    }

    public void unionWrite() {
        unionWrites.increment();
    }

    /** Counts one anti-entropy exchange this node started, and what it did. */
    public void exchange(boolean completed, long compared, long repaired, long bytes) {
        (completed ? exchangesCompleted : exchangesFailed).increment();
        keysCompared.increment(compared);
        keysRepaired.increment(repaired);
        exchangeBytes.increment(bytes);
    }

    public void treeRebuilt() {
        treesRebuilt.increment();
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Every metric in Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    public void gossipRejected() {
        gossipRejected.increment();
    }

    /** A request refused for its credentials (401), its role (403), or too many checks at once (503). */
    public void authenticationRefused(int status) {
        authRefused.computeIfAbsent(status, st -> Counter.builder("ringkv.http.auth.refused")
                .tag("status", String.valueOf(st)).description("requests refused by authentication or authorization")
                .register(registry)).increment();
    }
}
