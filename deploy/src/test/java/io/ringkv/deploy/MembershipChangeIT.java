package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.client.GetResult;
import io.ringkv.client.KvClient;
import io.ringkv.client.ReadOptions;
import io.ringkv.client.Sibling;
import io.ringkv.client.WriteOptions;
import io.ringkv.ring.Ring;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Growing and shrinking a real cluster: nodes join and leave while clients write and read, data moves
 * before ownership does, and no acknowledged write is lost, also when the receiving node is killed in
 * the middle of a transfer.
 */
class MembershipChangeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WriteOptions W2 = WriteOptions.defaults().withW(2).withTimeout(Duration.ofSeconds(10));
    private static final ReadOptions R2 = ReadOptions.defaults().withR(2).withTimeout(Duration.ofSeconds(10));

    @Test
    void joinTwoNodesThenRemoveAnOriginalWhileClientsWriteAndRead() throws Exception {
        try (ClusterFixture fx = ClusterFixture.start("grow", 5, 3, 17870, "--n", "3", "--r", "2", "--w", "2");
             KvClient c1 = fx.client(1); KvClient c3 = fx.client(3)) {
            Map<String, String> acked = new ConcurrentHashMap<>();
            writeAll(List.of(c1, fx.client(2), c3), "k", 20_000, acked);
            assertThat(acked).hasSize(20_000);

            // Clients keep going through the nodes that stay members the whole time.
            Workload load = new Workload(List.of(c1, c3), acked);
            Thread client = new Thread(load::run, "membership-it-client");
            client.start();
            try {
                fx.node(4).start();
                fx.node(5).start();
                fx.cluster.awaitHealthy(fx.cluster.nodes(), 5, Duration.ofSeconds(180), msg -> { });
                await().atMost(Duration.ofSeconds(60)).until(() -> status(fx, 1).path("transition").isNull());

                JsonNode plan = c1.stageLeave("n2");
                assertThat(plan.path("ownership_after").has("n2")).isFalse();
                c1.commit();
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                        .until(() -> !fx.node(2).isAlive());
                assertThat(fx.node(2).exitCode()).as("the departed node exits cleanly").isZero();
                for (int i : List.of(1, 3, 4, 5)) {
                    fx.cluster.awaitHealthy(List.of(fx.node(i)), 4, Duration.ofSeconds(60), msg -> { });
                }
            } finally {
                load.stop.set(true);
                client.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertThat(load.wrongReads).as("reads of acknowledged writes that came back missing or different: %s",
                    load.wrongExamples).isEmpty();
            assertThat(load.writes.get()).as("writes acknowledged during the membership changes").isPositive();
            assertThat(Replicas.metric(fx, 1, "ringkv_handoff_union_writes_total")
                    + Replicas.metric(fx, 3, "ringkv_handoff_union_writes_total"))
                    .as("writes to moving partitions also sent to their next owners").isPositive();

            Ring ring = Replicas.ring(fx, 1);
            assertThat(ring.members()).containsExactlyInAnyOrder("n1", "n3", "n4", "n5");
            for (int owned : ring.ownershipCounts().values()) {
                assertThat(owned).isBetween(64 / 4 - 1, 64 / 4 + 1);
            }
            try (KvClient c4 = fx.client(4)) {
                List<String> missing = readAll(List.of(c3, c4), acked);
                assertThat(missing).as("acknowledged writes not readable with r=2 at the end").isEmpty();
            }
        }
    }

    @Test
    void aTransferInterruptedByKillingTheReceiverCompletesAfterItRestarts() throws Exception {
        try (ClusterFixture fx = ClusterFixture.start("receiver-crash", 4, 3, 17970, "--n", "3", "--r", "2", "--w", "2",
                "--handoff-keys-per-second", "400");
             KvClient c1 = fx.client(1)) {
            Map<String, String> acked = new ConcurrentHashMap<>();
            writeAll(List.of(c1, fx.client(2), fx.client(3)), "x", 8_000, acked);

            fx.node(4).start();
            // Mid-transfer: the sources have sent part of what the newcomer gets, and /cluster says so.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                JsonNode s = status(fx, 1);
                return s.path("transition").isObject() && s.path("handoff").path("keys_sent").asLong() > 300;
            });
            JsonNode during = status(fx, 1);
            assertThat(during.path("transition").path("handoffs_total").asInt()).isPositive();
            assertThat(during.path("transition").path("handoffs_done").asInt())
                    .isLessThan(during.path("transition").path("handoffs_total").asInt());
            fx.node(4).kill();

            // The ring does not move while the receiver is down: the transfer waits for it.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Replicas.liveMembers(fx, 1)).doesNotContain("n4"));
            assertThat(Replicas.ring(fx, 1).members()).containsExactlyInAnyOrder("n1", "n2", "n3");
            assertThat(status(fx, 1).path("transition").isObject()).isTrue();

            fx.node(4).start();
            fx.cluster.awaitHealthy(fx.cluster.nodes(), 4, Duration.ofSeconds(180), msg -> { });
            Ring ring = Replicas.ring(fx, 1);
            List<String> notOnN4 = new ArrayList<>();
            for (Map.Entry<String, String> e : acked.entrySet()) {
                if (ring.preferenceList(e.getKey(), 3).primaries().contains("n4")
                        && !Replicas.valuesOn(fx, 4, e.getKey()).contains(e.getValue())) {
                    notOnN4.add(e.getKey());
                }
            }
            assertThat(notOnN4).as("keys n4 is a replica of but does not hold after the transfer").isEmpty();
            assertThat(readAll(List.of(c1), acked)).isEmpty();
        }
    }

    @Test
    void aNodeDownForGoodIsRemovedByForcingItsHandoffs() throws Exception {
        try (ClusterFixture fx = ClusterFixture.start("remove-dead", 4, 18070, "--n", "3", "--r", "2", "--w", "2");
             KvClient c1 = fx.client(1)) {
            Map<String, String> acked = new ConcurrentHashMap<>();
            writeAll(List.of(c1, fx.client(2), fx.client(3)), "d", 4_000, acked);
            fx.node(4).kill();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Replicas.liveMembers(fx, 1)).doesNotContain("n4"));

            c1.stageLeave("n4");
            c1.commit();
            // The change waits for the dead node's handoffs...
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                JsonNode t = status(fx, 1).path("transition");
                return t.isObject() && t.path("by_source").path("n4").path("pending").asInt() > 0
                        && t.path("handoffs_done").asInt() == t.path("handoffs_total").asInt()
                        - t.path("by_source").path("n4").path("pending").asInt();
            });
            assertThat(Replicas.ring(fx, 1).members()).contains("n4");
            // ...until they are forced; the other replicas have streamed their copies by then.
            assertThat(c1.forceHandoff("n4").path("handoffs_forced").asInt()).isPositive();
            for (int i = 1; i <= 3; i++) {
                fx.cluster.awaitHealthy(List.of(fx.node(i)), 3, Duration.ofSeconds(60), msg -> { });
            }
            assertThat(readAll(List.of(c1, fx.client(2)), acked)).as("acknowledged writes lost").isEmpty();
        }
    }

    private static JsonNode status(ClusterFixture fx, int node) throws Exception {
        return JSON.readTree(fx.get(node, "/cluster").body());
    }

    /** Writes {@code prefix-0..count-1} with w=2, 32 at a time; records each acknowledged write. */
    private static void writeAll(List<KvClient> clients, String prefix, int count, Map<String, String> acked) throws Exception {
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = prefix + "-" + i;
            String value = "v-" + key;
            inFlight.acquire();
            all.add(clients.get(i % clients.size())
                    .putAsync(key, value.getBytes(StandardCharsets.UTF_8), "text/plain", null, W2)
                    .whenComplete((ctx, e) -> {
                        inFlight.release();
                        if (e == null) {
                            acked.put(key, value);
                        }
                    }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(5, TimeUnit.MINUTES);
    }

    /** Reads every key of {@code acked} with r=2; returns those not found with their acknowledged value. */
    private static List<String> readAll(List<KvClient> clients, Map<String, String> acked) throws Exception {
        Semaphore inFlight = new Semaphore(32);
        Set<String> missing = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<?>> all = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, String> e : acked.entrySet()) {
            inFlight.acquire();
            all.add(clients.get(i++ % clients.size()).getAsync(e.getKey(), R2).whenComplete((r, err) -> {
                inFlight.release();
                if (err != null || !values(r).contains(e.getValue())) {
                    missing.add(e.getKey() + (err != null ? " (" + err.getMessage() + ")" : " " + values(r)));
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(5, TimeUnit.MINUTES);
        return new ArrayList<>(missing).subList(0, Math.min(20, missing.size()));
    }

    private static List<String> values(GetResult r) {
        return r == null ? List.of() : r.siblings().stream().map(Sibling::valueAsString).toList();
    }

    /**
     * A client writing new keys and reading acknowledged ones, one request at a time, until stopped (or
     * for ten minutes at most). A read of an acknowledged key that answers without its value is wrong;
     * a read that fails (timeout, 503) is not, it just did not answer.
     */
    private static final class Workload {
        final List<KvClient> clients;
        final Map<String, String> acked;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong writes = new AtomicLong();
        final List<String> wrongReads = new ArrayList<>();
        final List<String> wrongExamples = new ArrayList<>();

        Workload(List<KvClient> clients, Map<String, String> acked) {
            this.clients = clients;
            this.acked = acked;
        }

        void run() {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            List<String> readable = new ArrayList<>(acked.keySet());
            for (int i = 0; !stop.get() && System.nanoTime() < deadline; i++) {
                KvClient c = clients.get(i % clients.size());
                try {
                    if (i % 2 == 0) {
                        String key = "live-" + i;
                        String value = "v-" + key;
                        c.put(key, value.getBytes(StandardCharsets.UTF_8), "text/plain", null, W2);
                        acked.put(key, value);
                        readable.add(key);
                        writes.incrementAndGet();
                    } else {
                        String key = readable.get((int) ((i * 2_654_435_761L) % readable.size()));
                        List<String> got = values(c.get(key, R2));
                        if (!got.contains(acked.get(key))) {
                            wrongReads.add(key);
                            if (wrongExamples.size() < 10) {
                                wrongExamples.add(key + " -> " + got);
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    // Unavailable or timed out: not an answer, so neither right nor wrong.
                }
            }
        }
    }
}
