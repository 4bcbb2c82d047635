package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Read repair (asynchronous and synchronous) and tombstones on a real 3-node cluster (n=3), with a
 * short tombstone grace period so reaping can be watched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadRepairAndDeletesIT {

    private static ClusterFixture fx;

    @BeforeAll
    static void startCluster() throws Exception {
        fx = ClusterFixture.start("repair", 3, 17370, "--n", "3", "--r", "2", "--w", "2",
                "--tombstone-grace-ms", "3000", "--reap-interval-ms", "500");
    }

    @AfterAll
    static void stopCluster() {
        if (fx != null) {
            fx.close();
        }
    }

    private static void stop(int... nodes) {
        for (int i : nodes) {
            fx.node(i).kill();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int i : nodes) {
                assertThat(Replicas.liveMembers(fx, 1)).doesNotContain("n" + i);
            }
        });
    }

    private static void restart(int... nodes) {
        for (int i : nodes) {
            fx.node(i).start();
        }
        fx.cluster.awaitHealthy(fx.cluster.nodes(), 3, Duration.ofSeconds(60), msg -> { });
        fx.awaitAllLive(Duration.ofSeconds(30));
    }

    /** Writes {@code keys} to node 1 alone (w=1, no hints) while nodes 2 and 3 are down. */
    private static void writeWhileOthersDown(List<String> keys) throws Exception {
        stop(2, 3);
        for (String key : keys) {
            assertThat(fx.put(1, "/kv/" + key + "?w=1&sloppy=false", "fresh-" + key).statusCode()).isEqualTo(204);
        }
        restart(2, 3);
        for (String key : keys) {
            assertThat(Replicas.valuesOn(fx, 2, key)).isEmpty();
            assertThat(Replicas.valuesOn(fx, 3, key)).isEmpty();
        }
    }

    @Test
    @Order(1)
    void anAsynchronousReadRepairsStaleReplicasAfterAnswering() throws Exception {
        List<String> keys = List.of("async-1", "async-2", "async-3");
        writeWhileOthersDown(keys);
        for (String key : keys) {
            HttpResponse<String> read = fx.get(2, "/kv/" + key + "?r=3&read_repair=async");
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).isEqualTo("fresh-" + key);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String key : keys) {
                for (int i = 1; i <= 3; i++) {
                    assertThat(Replicas.valuesOn(fx, i, key)).as("%s on n%d", key, i).containsExactly("fresh-" + key);
                }
            }
        });
    }

    @Test
    @Order(2)
    void aSynchronousReadReturnsOnlyOnceAWriteQuorumHoldsItsAnswer() throws Exception {
        List<String> keys = List.of("sync-1", "sync-2", "sync-3");
        writeWhileOthersDown(keys);
        for (String key : keys) {
            // r=3: the answer is the merge of all three, which only n1 holds; w=2 must hold it before the reply.
            HttpResponse<String> read = fx.get(2, "/kv/" + key + "?r=3&read_repair=sync");
            assertThat(read.statusCode()).isEqualTo(200);
            int holders = 0;
            for (int i = 1; i <= 3; i++) {
                if (Replicas.valuesOn(fx, i, key).contains("fresh-" + key)) {
                    holders++;
                }
            }
            assertThat(holders).as("replicas holding %s right after the read returned", key).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    @Order(3)
    void aDeletedKeyStaysDeletedWhenTheReplicaThatMissedTheDeleteReturns() throws Exception {
        assertThat(fx.put(1, "/kv/ghost?w=3", "boo").statusCode()).isEqualTo(204);
        String context = fx.get(1, "/kv/ghost").headers().firstValue("X-Context").orElseThrow();
        stop(3);
        assertThat(fx.send(1, "DELETE", "/kv/ghost?w=2&sloppy=false", null, "X-Context", context).statusCode()).isEqualTo(204);
        restart(3);
        assertThat(Replicas.valuesOn(fx, 3, "ghost")).as("n3 missed the delete").containsExactly("boo");

        assertThat(fx.get(3, "/kv/ghost?r=3").statusCode()).isEqualTo(404);
        // The read repaired n3 with the tombstone; after the grace period every primary drops the key.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int i = 1; i <= 3; i++) {
                JsonNode state = Replicas.stateOn(fx, i, "ghost");
                assertThat(state.path("exists").asBoolean()).as("ghost still stored on n%d: %s", i, state).isFalse();
            }
        });
        assertThat(Replicas.metric(fx, 1, "ringkv_tombstones_reaped_total") + Replicas.metric(fx, 2, "ringkv_tombstones_reaped_total")
                + Replicas.metric(fx, 3, "ringkv_tombstones_reaped_total")).isGreaterThanOrEqualTo(1);
        HttpResponse<String> after = fx.get(2, "/kv/ghost?r=3");
        assertThat(after.statusCode()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void aTombstoneIsKeptWhileAPrimaryMissesIt() throws Exception {
        assertThat(fx.put(1, "/kv/kept?w=3", "v").statusCode()).isEqualTo(204);
        String context = fx.get(1, "/kv/kept").headers().firstValue("X-Context").orElseThrow();
        stop(2);
        assertThat(fx.send(1, "DELETE", "/kv/kept?w=2&sloppy=false", null, "X-Context", context).statusCode()).isEqualTo(204);
        // Well past the grace period, with n2 down: the tombstone must stay, or n2 would resurrect the value.
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(Replicas.stateOn(fx, 1, "kept").path("exists").asBoolean()).isTrue();
            assertThat(Replicas.stateOn(fx, 3, "kept").path("exists").asBoolean()).isTrue();
        });
        restart(2);
        assertThat(fx.get(1, "/kv/kept?r=3").statusCode()).isEqualTo(404);
    }
}
