package io.ringkv.deploy;

import io.ringkv.checker.cluster.NodeProcess;
import io.ringkv.client.CausalContext;
import io.ringkv.client.KvClient;
import io.ringkv.client.ReadOptions;
import io.ringkv.client.WriteOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real faults on a real 3-node cluster: SIGKILL of one node, then of every node. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsIT {

    private static ClusterFixture fx;

    @BeforeAll
    static void startCluster() throws Exception {
        fx = ClusterFixture.start("faults", 3, 17170, "--n", "3", "--r", "2", "--w", "2");
    }

    @AfterAll
    static void stopCluster() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    @Order(1)
    void withOneNodeKilledTheClusterStillServesQuorumReadsAndWrites() {
        try (KvClient one = fx.client(1); KvClient two = fx.client(2)) {
            for (int i = 0; i < 20; i++) {
                one.put("before-" + i, "v" + i, CausalContext.none());
            }
            fx.node(3).kill();
            // Immediately, before membership notices: the dead replica's connection fails fast.
            for (int i = 0; i < 20; i++) {
                two.put("after-" + i, "w" + i, CausalContext.none(), WriteOptions.defaults().withW(2));
                assertThat(one.get("before-" + i, ReadOptions.defaults().withR(2)).value().orElseThrow().valueAsString())
                        .isEqualTo("v" + i);
                assertThat(one.get("after-" + i, ReadOptions.defaults().withR(2)).value().orElseThrow().valueAsString())
                        .isEqualTo("w" + i);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(Replicas.liveMembers(fx, 1)).containsExactlyInAnyOrder("n1", "n2"));
        }
        fx.node(3).start();
        fx.cluster.awaitHealthy(fx.cluster.nodes(), 3, Duration.ofSeconds(60), msg -> { });
        fx.awaitAllLive(Duration.ofSeconds(30));
    }

    @Test
    @Order(2)
    void acknowledgedWritesSurviveSigkillOfEveryNode() {
        try (KvClient client = fx.client(2)) {
            for (int i = 0; i < 100; i++) {
                client.put("durable-" + i, "d" + i, CausalContext.none(), WriteOptions.defaults().withW(3));
            }
        }
        fx.cluster.nodes().forEach(NodeProcess::kill);
        fx.cluster.nodes().forEach(NodeProcess::start);
        fx.cluster.awaitHealthy(fx.cluster.nodes(), 3, Duration.ofSeconds(90), msg -> { });
        fx.awaitAllLive(Duration.ofSeconds(60));
        try (KvClient client = fx.client(3)) {
            for (int i = 0; i < 100; i++) {
                assertThat(client.get("durable-" + i, ReadOptions.defaults().withR(3)).value().orElseThrow().valueAsString())
                        .isEqualTo("d" + i);
            }
        }
    }
}
