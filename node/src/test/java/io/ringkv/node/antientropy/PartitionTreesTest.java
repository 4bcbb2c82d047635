package io.ringkv.node.antientropy;

import io.ringkv.coordinator.ConflictMode;
import io.ringkv.node.storage.MemoryStore;
import io.ringkv.node.storage.ReplicaStore;
import io.ringkv.node.storage.Store;
import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.StoredValue;
import io.ringkv.versioning.VersionVector;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionTreesTest {

    private static final int PARTITIONS = 16;

    private static StoredValue value(String s) {
        return StoredValue.of(s.getBytes(StandardCharsets.UTF_8), "text/plain", 1);
    }

    private static ReplicaStore replicas(Store store) {
        return new ReplicaStore(store, 3, 10_000, 1 << 20, () -> ConflictMode.SIBLINGS);
    }

    private static long[] roots(PartitionTrees trees) {
        long[] roots = new long[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            roots[p] = trees.hashes(PARTITIONS, p, 0, new int[] {0})[0];
        }
        return roots;
    }

    private static void rebuildAll(PartitionTrees trees) {
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(trees.rebuild(p)).isNotNegative();
        }
    }

    /** Coordinated writes, merges of concurrent values and removals, as a node's replica sees them. */
    private static void randomWrites(ReplicaStore replicas, Random random, int count) {
        for (int i = 0; i < count; i++) {
            String key = "k" + random.nextInt(300);
            switch (random.nextInt(4)) {
                case 0, 1 -> replicas.coordinate(key, null, replicas.read(key, null).join().context(), value("v" + i), "n1").join();
                case 2 -> replicas.merge(key, null, DvvSet.<StoredValue>empty().update(VersionVector.empty(), value("c" + i), "n2")).join();
                default -> replicas.removeIfUnchanged(key, replicas.read(key, null).join()).join();
            }
        }
    }

    @Test
    void treesKeptUpToDateByWritesEqualTreesRebuiltFromTheStore() {
        MemoryStore store = new MemoryStore();
        try (ReplicaStore replicas = replicas(store)) {
            PartitionTrees trees = PartitionTrees.open(replicas, PARTITIONS, () -> 1000);
            rebuildAll(trees);
            randomWrites(replicas, new Random(1), 2000);
            long[] incremental = roots(trees);

            rebuildAll(trees);

            assertThat(roots(trees)).containsExactly(incremental);
        }
    }

    @Test
    void aRebuildWhileWritesLandCountsEveryWriteExactlyOnce() throws Exception {
        MemoryStore store = new MemoryStore();
        try (ReplicaStore replicas = replicas(store)) {
            PartitionTrees trees = PartitionTrees.open(replicas, PARTITIONS, () -> 1000);
            randomWrites(replicas, new Random(2), 500);
            AtomicBoolean stop = new AtomicBoolean();
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                Random random = new Random(10 + w);
                writers.add(CompletableFuture.runAsync(() -> {
                    while (!stop.get()) {
                        randomWrites(replicas, random, 20);
                    }
                }));
            }
            for (int round = 0; round < 5; round++) {
                rebuildAll(trees);
            }
            stop.set(true);
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();
            long[] afterConcurrentRebuilds = roots(trees);

            rebuildAll(trees);

            assertThat(roots(trees)).containsExactly(afterConcurrentRebuilds);
        }
    }

    @Test
    void treesSavedOnACleanShutdownAreTrustedAtTheNextStart() {
        MemoryStore store = new MemoryStore();
        long[] before;
        try (ReplicaStore replicas = replicas(store)) {
            PartitionTrees trees = PartitionTrees.open(replicas, PARTITIONS, () -> 1000);
            rebuildAll(trees);
            randomWrites(replicas, new Random(3), 500);
            before = roots(trees);
            replicas.close();
            trees.close();
        }
        try (ReplicaStore replicas = replicas(store)) {
            PartitionTrees trees = PartitionTrees.open(replicas, PARTITIONS, () -> 2000);

            assertThat(trees.status()).allSatisfy(s -> {
                assertThat(s.built()).isTrue();
                assertThat(s.builtAtMillis()).isEqualTo(1000);
            });
            assertThat(roots(trees)).containsExactly(before);
        }
    }

    @Test
    void afterAnUncleanShutdownEveryTreeIsRebuilt() {
        MemoryStore store = new MemoryStore();
        try (ReplicaStore replicas = replicas(store)) {
            PartitionTrees trees = PartitionTrees.open(replicas, PARTITIONS, () -> 1000);
            rebuildAll(trees);
            trees.close();
        }
        try (ReplicaStore replicas = replicas(store)) {
            PartitionTrees.open(replicas, PARTITIONS, () -> 2000);
            randomWrites(replicas, new Random(4), 100);
            // No close: the process died. The saved trees never saw these writes.
        }
        try (ReplicaStore replicas = replicas(store)) {
            PartitionTrees trees = PartitionTrees.open(replicas, PARTITIONS, () -> 3000);

            assertThat(trees.status()).noneSatisfy(s -> assertThat(s.built()).isTrue());
            assertThat(trees.needsRebuild(0, Long.MAX_VALUE)).isTrue();
        }
    }

    @Test
    void aTreeIsOnlyComparedOnceBuilt() {
        try (ReplicaStore replicas = replicas(new MemoryStore())) {
            PartitionTrees trees = PartitionTrees.open(replicas, 0, () -> 1000);

            assertThat(trees.partitionCount()).isZero();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> trees.hashes(PARTITIONS, 0, 0, new int[] {0}))
                    .isInstanceOf(PartitionTrees.NotReadyException.class);
            trees.adopt(PARTITIONS);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> trees.hashes(PARTITIONS, 0, 0, new int[] {0}))
                    .isInstanceOf(PartitionTrees.NotReadyException.class);
            trees.rebuild(0);
            assertThat(trees.hashes(PARTITIONS, 0, 0, new int[] {0})).hasSize(1);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> trees.hashes(PARTITIONS, 0, 1, new int[] {99}))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
