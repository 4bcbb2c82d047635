package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Merkle-tree anti-entropy on a real 3-node cluster (n=3, sloppy quorums off, so a write made while a
 * replica is down leaves no hint): the replica that missed writes, deletes and concurrent writes gets
 * them back with no client reading anything, and the trees survive restarts as they should.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AntiEntropyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONVERGENCE_BOUND = Duration.ofSeconds(120);

    private static ClusterFixture fx;

    @BeforeAll
    static void startCluster() throws Exception {
        fx = ClusterFixture.start("aae", 3, 18170, "--n", "3", "--r", "2", "--w", "2", "--sloppy", "false",
                "--aae-interval-ms", "1000");
    }

    @AfterAll
    static void stopCluster() {
        if (fx != null) {
            fx.close();
        }
    }

    private static JsonNode aae(int node) throws Exception {
        return JSON.readTree(fx.get(node, "/cluster/aae").body());
    }

    private static void awaitDown(int node) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Replicas.liveMembers(fx, 1)).doesNotContain("n" + node));
    }

    private static void awaitBack(int node) {
        fx.cluster.awaitHealthy(List.of(fx.node(node)), 3, Duration.ofSeconds(60), msg -> { });
        fx.awaitAllLive(Duration.ofSeconds(30));
    }

    private static void awaitTreesBuilt(int node) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (JsonNode p : aae(node).path("partitions")) {
                assertThat(p.path("tree").path("built").asBoolean()).as("tree of partition %s on n%d", p.path("partition"), node)
                        .isTrue();
            }
        });
    }

    private static double sum(String metric) {
        double total = 0;
        for (int i = 1; i <= 3; i++) {
            total += Replicas.metric(fx, i, metric);
        }
        return total;
    }

    @Test
    @Order(1)
    void aReplicaThatMissedWritesWhileDownConvergesWithNoClientReading() throws Exception {
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            assertThat(fx.put(1, "/kv/base-" + i + "?w=3", "v0").statusCode()).isEqualTo(204);
            written.add("base-" + i);
        }
        // Contexts for the deletes below, read while every replica agrees (nothing to repair).
        Map<String, String> contexts = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            contexts.put("base-" + i, fx.get(1, "/kv/base-" + i).headers().firstValue("X-Context").orElseThrow());
        }

        fx.node(3).kill();
        awaitDown(3);
        int diverged = 0;
        for (int i = 0; i < 100; i++, diverged++) {
            assertThat(fx.put(1 + i % 2, "/kv/new-" + i + "?w=2&sloppy=false", "new").statusCode()).isEqualTo(204);
            written.add("new-" + i);
        }
        for (int i = 0; i < 20; i++, diverged++) {
            assertThat(fx.send(2, "DELETE", "/kv/base-" + i + "?w=2&sloppy=false", null, "X-Context", contexts.get("base-" + i))
                    .statusCode()).isEqualTo(204);
        }
        for (int i = 20; i < 60; i++, diverged++) {
            // No context: a sibling of v0 on the replicas that see it.
            assertThat(fx.put(1, "/kv/base-" + i + "?w=2&sloppy=false", "v1").statusCode()).isEqualTo(204);
        }
        assertThat(Replicas.stateOn(fx, 1, "new-0").path("exists").asBoolean()).isTrue();

        fx.node(3).start();
        awaitBack(3);
        long back = System.nanoTime();

        Set<String> pending = new LinkedHashSet<>(written);
        await().atMost(CONVERGENCE_BOUND).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            pending.removeIf(key -> {
                try {
                    String f1 = Replicas.stateOn(fx, 1, key).path("fingerprint").asText();
                    return f1.equals(Replicas.stateOn(fx, 2, key).path("fingerprint").asText())
                            && f1.equals(Replicas.stateOn(fx, 3, key).path("fingerprint").asText());
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(pending).as("keys whose replicas still differ").isEmpty();
        });
        long ms = (System.nanoTime() - back) / 1_000_000;
        System.out.printf("AntiEntropyIT: all %d keys (%d diverged on n3) identical on every replica %d ms after n3 was back "
                + "(bound %d s; exchanges with a returning node wait one interval, 1000 ms)%n", written.size(), diverged, ms,
                CONVERGENCE_BOUND.toSeconds());

        assertThat(Replicas.valuesOn(fx, 3, "new-42")).containsExactly("new");
        assertThat(Replicas.valuesOn(fx, 3, "base-7")).as("the delete reached n3").isEmpty();
        assertThat(Replicas.valuesOn(fx, 3, "base-30")).containsExactlyInAnyOrder("v0", "v1");
        assertThat(sum("ringkv_aae_keys_repaired_total")).isGreaterThanOrEqualTo(diverged);
        assertThat(sum("ringkv_read_repairs_total")).as("read repairs").isZero();
        assertThat(sum("ringkv_hints_delivered_total")).as("hints delivered").isZero();
    }

    @Test
    @Order(2)
    void statusShowsEachTreeAndTheLastExchangeOfEachPair() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode status = aae(1);
            assertThat(status.path("partitions")).hasSize(64);
            for (JsonNode p : status.path("partitions")) {
                assertThat(p.path("tree").path("built_at").asText()).isNotEmpty();
                for (JsonNode peer : p.path("peers")) {
                    if (peer.path("started_by").asText().equals("n1")) {
                        assertThat(peer.path("last_exchange").path("outcome").asText()).isEqualTo("completed");
                    }
                }
            }
        });
        assertThat(aae(1).path("totals").path("exchanges_completed").asLong()).isPositive();

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = Kv.commandLine().execute("aae", "status", "--node", fx.node(2).httpAddress());
        } finally {
            System.setOut(stdout);
        }
        String table = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).isZero();
        assertThat(table).contains("KEYS-REPAIRED", "TREES BUILT", "n1>n2", "completed");
        assertThat(table.lines().filter(l -> l.matches("^\\d+\\s+n\\d .*"))).as("a row per partition").hasSize(64);
    }

    @Test
    @Order(3)
    void treesSurviveACleanRestartAndAreRebuiltAfterACrash() throws Exception {
        awaitTreesBuilt(2);
        Map<Integer, String> builtAt = new HashMap<>();
        aae(2).path("partitions").forEach(p -> builtAt.put(p.path("partition").asInt(), p.path("tree").path("built_at").asText()));

        fx.node(2).stop(Duration.ofSeconds(30));
        Instant restarted = Instant.now();
        fx.node(2).start();
        awaitBack(2);
        for (JsonNode p : aae(2).path("partitions")) {
            assertThat(p.path("tree").path("built_at").asText()).as("partition %s after a clean restart", p.path("partition"))
                    .isEqualTo(builtAt.get(p.path("partition").asInt()));
        }

        fx.node(2).kill();
        Instant crashed = Instant.now();
        fx.node(2).start();
        awaitBack(2);
        awaitTreesBuilt(2);
        for (JsonNode p : aae(2).path("partitions")) {
            assertThat(Instant.parse(p.path("tree").path("built_at").asText())).as("partition %s after a crash", p.path("partition"))
                    .isAfter(crashed).isAfter(restarted);
        }
    }
}
