package io.ringkv.deploy;

import io.ringkv.ring.Ring;
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
 * Sloppy quorums and hinted handoff on a real 5-node cluster (n=3): a primary down, writes go to a
 * fallback with a hint, the hint survives a crash of the fallback, and reaches the primary when it is
 * back, with no client reading anything.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HintedHandoffIT {

    private static ClusterFixture fx;
    private static Ring ring;

    @BeforeAll
    static void startCluster() throws Exception {
        fx = ClusterFixture.start("handoff", 5, 17270, "--n", "3", "--r", "2", "--w", "2", "--hint-interval-ms", "500");
        ring = Replicas.ring(fx, 1);
    }

    @AfterAll
    static void stopCluster() {
        if (fx != null) {
            fx.close();
        }
    }

    /** Kills node {@code i} and waits until node 1 sees it down, so coordinators pick fallbacks. */
    private static void killAndAwaitDown(int i) {
        fx.node(i).kill();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Replicas.liveMembers(fx, 1)).doesNotContain("n" + i));
    }

    private static void restartAndAwaitUp(int i) {
        fx.node(i).start();
        fx.cluster.awaitHealthy(List.of(fx.node(i)), 5, Duration.ofSeconds(60), msg -> { });
        fx.awaitAllLive(Duration.ofSeconds(30));
    }

    @Test
    @Order(1)
    void withAPrimaryDownWritesSucceedThroughAFallbackAndReachThePrimaryWhenItIsBack() throws Exception {
        List<String> keys = Replicas.keysWithPrimary(ring, 3, "n5", "handoff", 30);
        killAndAwaitDown(5);
        for (String key : keys) {
            // w=3 with one of three primaries down: only a fallback can make the third acknowledgement.
            HttpResponse<String> put = fx.put(1, "/kv/" + key + "?w=3", "v-" + key);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
            assertThat(fx.put(2, "/kv/" + key + "-w2?w=2", "w2").statusCode()).isEqualTo(204);
        }
        long held = 0;
        for (int i = 1; i <= 4; i++) {
            held += Replicas.hintsHeldBy(fx, i).getOrDefault("n5", 0L);
        }
        assertThat(held).as("hints held for n5 across the fallbacks").isGreaterThanOrEqualTo(keys.size());

        restartAndAwaitUp(5);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String key : keys) {
                assertThat(Replicas.valuesOn(fx, 5, key)).as("n5 holds %s", key).containsExactly("v-" + key);
            }
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int i = 1; i <= 4; i++) {
                assertThat(Replicas.hintsHeldBy(fx, i)).as("hints left on n%d", i).doesNotContainKey("n5");
            }
        });
        assertThat(Replicas.metric(fx, 1, "ringkv_hints_delivered_total") + Replicas.metric(fx, 2, "ringkv_hints_delivered_total")
                + Replicas.metric(fx, 3, "ringkv_hints_delivered_total") + Replicas.metric(fx, 4, "ringkv_hints_delivered_total"))
                .isGreaterThanOrEqualTo(keys.size());
    }

    @Test
    @Order(2)
    void hintsSurviveACrashOfTheFallbackThatHoldsThem() throws Exception {
        List<String> keys = Replicas.keysWithPrimary(ring, 3, "n4", "crash", 20);
        killAndAwaitDown(4);
        for (String key : keys) {
            assertThat(fx.put(1, "/kv/" + key + "?w=3", "c-" + key).statusCode()).isEqualTo(204);
        }
        int holder = 0;
        for (int i : new int[] {1, 2, 3, 5}) {
            if (Replicas.hintsHeldBy(fx, i).getOrDefault("n4", 0L) > 0) {
                holder = i;
                break;
            }
        }
        assertThat(holder).as("some fallback holds hints for n4").isPositive();
        long before = Replicas.hintsHeldBy(fx, holder).get("n4");
        fx.node(holder).kill();
        fx.node(holder).start();
        fx.cluster.awaitHealthy(List.of(fx.node(holder)), 5, Duration.ofSeconds(60), msg -> { });
        assertThat(Replicas.hintsHeldBy(fx, holder).get("n4")).as("hints after the fallback's restart").isEqualTo(before);

        restartAndAwaitUp(4);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String key : keys) {
                assertThat(Replicas.valuesOn(fx, 4, key)).as("n4 holds %s", key).containsExactly("c-" + key);
            }
        });
    }

    @Test
    @Order(3)
    void withoutSloppyQuorumsTheSameWriteFailsAndNothingIsHalfWritten() throws Exception {
        List<String> keys = Replicas.keysWithPrimary(ring, 3, "n3", "strict", 5);
        killAndAwaitDown(3);
        for (String key : keys) {
            HttpResponse<String> put = fx.put(1, "/kv/" + key + "?w=3&sloppy=false", "never");
            assertThat(put.statusCode()).isEqualTo(503);
            assertThat(put.body()).contains("insufficient_replicas");
            for (int i : new int[] {1, 2, 4, 5}) {
                assertThat(Replicas.stateOn(fx, i, key).path("exists").asBoolean()).as("%s on n%d", key, i).isFalse();
            }
        }
        for (int i : new int[] {1, 2, 4, 5}) {
            assertThat(Replicas.hintsHeldBy(fx, i)).doesNotContainKey("n3");
        }
        restartAndAwaitUp(3);
    }
}
