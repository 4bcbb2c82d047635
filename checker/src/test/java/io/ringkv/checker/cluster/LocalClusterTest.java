package io.ringkv.checker.cluster;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LocalClusterTest {

    private static final Path JAR = Path.of("kv.jar");
    private static final Path DIR = Path.of("data");

    @Test
    void nodesSharingTheMachineShareItsCores() {
        int cores = Runtime.getRuntime().availableProcessors();
        LocalCluster cluster = LocalCluster.of(JAR, DIR, 3, 7070, List.of(), List.of("--n", "3"));

        for (NodeProcess node : cluster.nodes()) {
            assertThat(option(node.command(), "--event-loops")).isEqualTo(String.valueOf(Math.max(1, cores / 3)));
            assertThat(option(node.command(), "--storage-threads")).isEqualTo(String.valueOf(Math.max(1, cores / 3)));
            assertThat(option(node.command(), "--n")).isEqualTo("3");
        }
    }

    @Test
    void manyNodesGetOneEventLoopEach() {
        LocalCluster cluster = LocalCluster.of(JAR, DIR, 250, 7070, List.of(), List.of());

        assertThat(option(cluster.node(250).command(), "--event-loops")).isEqualTo("1");
        assertThat(option(cluster.node(250).command(), "--storage-threads")).isEqualTo("1");
    }

    @Test
    void explicitThreadCountsAreKept() {
        LocalCluster cluster = LocalCluster.of(JAR, DIR, 3, 7070, List.of(), List.of("--event-loops=4", "--storage-threads=3"));

        List<String> command = cluster.node(2).command();
        assertThat(command).contains("--event-loops=4", "--storage-threads=3");
        assertThat(Collections.frequency(command, "--event-loops")).isZero();
        assertThat(Collections.frequency(command, "--storage-threads")).isZero();
    }

    @Test
    void nodesGetAFixedHeapSoTheYoungGenerationIsNotSqueezed() {
        List<String> heap = LocalCluster.DEFAULT_JVM_OPTIONS.stream()
                .filter(o -> o.startsWith("-Xms") || o.startsWith("-Xmx"))
                .map(o -> o.substring(4))
                .toList();

        assertThat(heap).hasSize(2);
        assertThat(heap.get(0)).isEqualTo(heap.get(1));
    }

    private static String option(List<String> command, String name) {
        int i = command.indexOf(name);
        assertThat(i).as("%s in %s", name, command).isNotNegative();
        return command.get(i + 1);
    }
}
