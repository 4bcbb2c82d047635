package io.ringkv.node.storage;

import io.ringkv.coordinator.ConflictMode;
import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.StoredValue;
import io.ringkv.versioning.VersionVector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaStoreTest {

    private static StoredValue value(String s) {
        return StoredValue.of(s.getBytes(StandardCharsets.UTF_8), "text/plain", 1);
    }

    @Test
    void coordinatesMergesAndCountsHints() {
        MemoryStore memory = new MemoryStore();
        try (ReplicaStore store = new ReplicaStore(memory, 2, 100, 1 << 20, () -> ConflictMode.SIBLINGS)) {
            ReplicaStore.Coordinated first = store.coordinate("k", null, VersionVector.empty(), value("a"), "n1").join();
            assertThat(first.writerContext()).isEqualTo(VersionVector.of(Map.of("n1", 1L)));
            DvvSet<StoredValue> other = DvvSet.<StoredValue>empty().update(VersionVector.empty(), value("b"), "n2");
            DvvSet<StoredValue> merged = store.merge("k", null, other).join();
            assertThat(merged.valueCount()).isEqualTo(2);
            assertThat(store.read("k", null).join()).isEqualTo(merged);

            store.merge("k", "n3", merged).join();
            store.merge("k2", "n3", other).join();
            store.merge("k2", "n3", merged).join();
            assertThat(store.hintsPending()).isEqualTo(Map.of("n3", 2L));
            assertThat(store.removeHintIfUnchanged("n3", "k2", other).join()).as("the hint changed since").isFalse();
            assertThat(store.removeHintIfUnchanged("n3", "k2", store.read("k2", "n3").join()).join()).isTrue();
            assertThat(store.hintsPending()).isEqualTo(Map.of("n3", 1L));
        }
        try (ReplicaStore restarted = new ReplicaStore(memory, 2, 100, 1 << 20, () -> ConflictMode.SIBLINGS)) {
            restarted.countHints();
            assertThat(restarted.hintsPending()).isEqualTo(Map.of("n3", 1L));
        }
    }

    @Test
    void removeUnlessKeepsWhatTheCallerStillNeedsAndTellsTheListeners() {
        MemoryStore memory = new MemoryStore();
        try (ReplicaStore store = new ReplicaStore(memory, 2, 100, 1 << 20, () -> ConflictMode.SIBLINGS)) {
            List<String> removed = new java.util.ArrayList<>();
            store.addChangeListener((key, hintFor, previous, state) -> {
                if (state.entries().isEmpty()) {
                    removed.add(key);
                }
            });
            store.coordinate("kept", null, VersionVector.empty(), value("a"), "n1").join();
            store.coordinate("gone", null, VersionVector.empty(), value("b"), "n1").join();
            assertThat(store.removeUnless("kept", () -> true).join()).isFalse();
            assertThat(store.removeUnless("gone", () -> false).join()).isTrue();
            assertThat(store.removeUnless("absent", () -> false).join()).as("nothing to remove").isFalse();
            assertThat(removed).containsExactly("gone");
            assertThat(store.cachedState("gone")).isNull();
            assertThat(store.read("gone", null).join().entries()).isEmpty();
            assertThat(memory.get(Store.Space.DATA, StorageKeys.dataKey("gone"))).isNull();
            assertThat(store.read("kept", null).join().valueCount()).isEqualTo(1);
            assertThat(ReplicaStore.isEmptyEncoding(store.readEncodedUncached("gone").join())).isTrue();
            assertThat(ReplicaStore.isEmptyEncoding(store.readEncodedUncached("kept").join())).isFalse();
        }
    }

    /**
     * Whatever the mix of coordinated writes, merges and removals, a read through the cache equals what
     * the store holds, decoded or encoded: the cache never returns an older state.
     */
    @Property(tries = 200)
    void theCacheNeverServesAStateOlderThanTheStore(@ForAll @Size(max = 40) List<@IntRange(max = 11) Integer> ops) {
        MemoryStore memory = new MemoryStore();
        try (ReplicaStore store = new ReplicaStore(memory, 3, 100, 4096, () -> ConflictMode.SIBLINGS)) {
            int i = 0;
            for (int op : ops) {
                String key = "k" + (op % 3);
                switch (op / 3) {
                    case 0 -> store.coordinate(key, null, VersionVector.empty(), value("v" + i), "n1").join();
                    case 1 -> store.merge(key, null, DvvSet.<StoredValue>empty()
                            .update(VersionVector.empty(), value("m" + i), "n2")).join();
                    case 2 -> store.removeIfUnchanged(key, store.read(key, null).join()).join();
                    default -> store.coordinate(key, null, store.read(key, null).join().context(), value("w" + i), "n1").join();
                }
                i++;
                for (int k = 0; k < 3; k++) {
                    String each = "k" + k;
                    DvvSet<StoredValue> stored = ReplicaStore.decode(memory.get(Store.Space.DATA, StorageKeys.dataKey(each)), each);
                    assertThat(store.read(each, null).join()).isEqualTo(stored);
                    assertThat(ReplicaStore.decode(store.readEncoded(each, null).join(), each)).isEqualTo(stored);
                    assertThat(ReplicaStore.decode(store.readEncodedUncached(each).join(), each)).isEqualTo(stored);
                    // The non-blocking reads serve the cache: absent or current, never older.
                    DvvSet<StoredValue> cached = store.cachedState(each);
                    assertThat(cached == null || cached.equals(stored)).as("cached state of %s", each).isTrue();
                    byte[] encoded = store.cachedEncoded(each);
                    assertThat(encoded == null || ReplicaStore.decode(encoded, each).equals(stored))
                            .as("cached encoding of %s", each).isTrue();
                }
            }
        }
    }
}
