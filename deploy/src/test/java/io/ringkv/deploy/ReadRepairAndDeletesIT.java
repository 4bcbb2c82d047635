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

    /**
     * Leaves {@code key} with "new" on n1 alone and "old", which "new" supersedes, on n2 and n3: they are
     * down while n1 takes "new" (w=1, no hints), then back.
     */
    private static void newOnlyOnNodeOne(String key) throws Exception {
        HttpResponse<String> old = fx.put(1, "/kv/" + key + "?w=3", "old");
        assertThat(old.statusCode()).isEqualTo(204);
        fx.kill(2, 3);
        assertThat(fx.put(1, "/kv/" + key + "?w=1&sloppy=false", "new", "X-Context", old.headers().firstValue("X-Context")
                .orElseThrow()).statusCode()).isEqualTo(204);
        fx.restart(2, 3);
        assertThat(Replicas.valuesOn(fx, 1, key)).containsExactly("new");
        assertThat(Replicas.valuesOn(fx, 2, key)).containsExactly("old");
        assertThat(Replicas.valuesOn(fx, 3, key)).containsExactly("old");
    }

    /**
     * An asynchronous read answers with its first R replies and repairs only once every replica asked has
     * answered. With n2 paused, r=2 answers from n1 and n3, and n3 stays stale until n2 answers.
     */
    @Test
    @Order(1)
    void anAsynchronousReadAnswersAtOnceAndRepairsOnceEveryReplicaAnswered() throws Exception {
        newOnlyOnNodeOne("async");
        fx.node(2).pause();
        try {
            HttpResponse<String> read = fx.get(1, "/kv/async?r=2&read_repair=async&sloppy=false&timeout_ms=10000");
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).isEqualTo("new");
            assertThat(Replicas.valuesOn(fx, 3, "async")).as("n3 right after the read returned").containsExactly("old");
        } finally {
            fx.node(2).resume();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (int i = 2; i <= 3; i++) {
                assertThat(Replicas.valuesOn(fx, i, "async")).as("n%d", i).containsExactly("new");
            }
        });
    }

    /**
     * A synchronous read returns only once W replicas hold its answer. With n2 paused, r=2 gets "new"
     * from n1 and "old" from n3; with w=2 the answer waits until n3 has taken "new".
     */
    @Test
    @Order(2)
    void aSynchronousReadReturnsOnlyOnceAWriteQuorumHoldsItsAnswer() throws Exception {
        newOnlyOnNodeOne("sync");
        fx.node(2).pause();
        try {
            HttpResponse<String> read = fx.get(1, "/kv/sync?r=2&read_repair=sync&sloppy=false&timeout_ms=10000");
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).isEqualTo("new");
            assertThat(Replicas.valuesOn(fx, 3, "sync")).as("n3 right after the read returned").containsExactly("new");
        } finally {
            fx.node(2).resume();
        }
    }

    @Test
    @Order(3)
    void aDeletedKeyStaysDeletedWhenTheReplicaThatMissedTheDeleteReturns() throws Exception {
        assertThat(fx.put(1, "/kv/ghost?w=3", "boo").statusCode()).isEqualTo(204);
        String context = fx.get(1, "/kv/ghost").headers().firstValue("X-Context").orElseThrow();
        fx.kill(3);
        assertThat(fx.send(1, "DELETE", "/kv/ghost?w=2&sloppy=false", null, "X-Context", context).statusCode()).isEqualTo(204);
        fx.restart(3);
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
        // n1 reaps the key and stays up: n2 being down is all that may keep the tombstone.
        String key = Replicas.keysWithFirstPrimary(Replicas.ring(fx, 1), 3, "n1", "kept", 1).get(0);
        HttpResponse<String> put = fx.put(1, "/kv/" + key + "?w=3", "v");
        assertThat(put.statusCode()).isEqualTo(204);
        fx.kill(2);
        assertThat(fx.send(1, "DELETE", "/kv/" + key + "?w=2&sloppy=false", null,
                "X-Context", put.headers().firstValue("X-Context").orElseThrow()).statusCode()).isEqualTo(204);
        // Counted only for a tombstone past its grace period, and this is the only one n1 reaps; a reaped
        // tombstone ends the wait too, so that it fails below, saying so.
        double kept = Replicas.metric(fx, 1, "ringkv_tombstones_kept_total");
        await().atMost(Duration.ofSeconds(20)).until(() -> Replicas.metric(fx, 1, "ringkv_tombstones_kept_total") > kept
                || !Replicas.holds(fx, 1, key) || !Replicas.holds(fx, 3, key));
        assertThat(Replicas.holds(fx, 1, key)).as("tombstone on n1").isTrue();
        assertThat(Replicas.holds(fx, 3, key)).as("tombstone on n3").isTrue();
        fx.restart(2);
        assertThat(Replicas.valuesOn(fx, 2, key)).as("n2 missed the delete").containsExactly("v");
        assertThat(fx.get(1, "/kv/" + key + "?r=3").statusCode()).isEqualTo(404);
    }
}
