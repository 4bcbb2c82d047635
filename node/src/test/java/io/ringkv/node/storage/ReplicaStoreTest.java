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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
    void removingAHintThatIsNotHeldLeavesTheCountAlone() {
        MemoryStore memory = new MemoryStore();
        try (ReplicaStore store = new ReplicaStore(memory, 2, 100, 1 << 20, () -> ConflictMode.SIBLINGS)) {
            DvvSet<StoredValue> state = DvvSet.<StoredValue>empty().update(VersionVector.empty(), value("a"), "n1");
            store.dropHint("n3", "never-hinted").join();
            assertThat(store.removeHintIfUnchanged("n3", "never-hinted", DvvSet.empty()).join()).isTrue();
            store.merge("k", "n3", state).join();
            store.dropHint("n3", "k").join();
            store.dropHint("n3", "k").join();
            assertThat(store.hintsPending()).as("nothing held after the drops").isEmpty();

            store.merge("k2", "n3", state).join();
            assertThat(store.hintsPending()).as("one hint held, counted once").isEqualTo(Map.of("n3", 1L));
        }
    }

    @Test
    void aCorruptHintCanBeDroppedAndIsCountedOff() {
        MemoryStore memory = new MemoryStore();
        memory.put(Store.Space.HINTS, StorageKeys.hintKey("n3", "k"), new byte[] {(byte) 0xff, 0x00, 0x13});
        try (ReplicaStore store = new ReplicaStore(memory, 2, 100, 1 << 20, () -> ConflictMode.SIBLINGS)) {
            store.countHints();
            assertThat(store.hintsPending()).isEqualTo(Map.of("n3", 1L));
            store.dropHint("n3", "k").join();
            assertThat(store.hintsPending()).isEmpty();
            assertThat(memory.get(Store.Space.HINTS, StorageKeys.hintKey("n3", "k"))).isNull();
        }
    }

    @Test
    void removeUnlessKeepsWhatTheCallerStillNeedsAndTellsTheListeners() {
        MemoryStore memory = new MemoryStore();
        try (ReplicaStore store = new ReplicaStore(memory, 2, 100, 1 << 20, () -> ConflictMode.SIBLINGS)) {
            List<String> removed = new java.util.ArrayList<>();
            store.addChangeListener((key, hintFor, previous, current) -> {
                if (current.state().entries().isEmpty()) {
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

    /**
     * A memory store that counts batch writes and holds the storage thread that reads key "gate" until
     * {@link #open}: what is submitted meanwhile queues up and runs as one group.
     */
    static final class GatedStore implements Store {
        final MemoryStore memory = new MemoryStore();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        final AtomicInteger batches = new AtomicInteger();

        @Override
        public byte[] get(Space space, byte[] key) {
            if (space == Space.DATA && Arrays.equals(key, StorageKeys.dataKey("gate"))) {
                entered.countDown();
                try {
                    open.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return memory.get(space, key);
        }

        @Override
        public void put(Space space, byte[] key, byte[] value) {
            memory.put(space, key, value);
        }

        @Override
        public void delete(Space space, byte[] key) {
            memory.delete(space, key);
        }

        @Override
        public void write(List<Write> writes) {
            batches.incrementAndGet();
            memory.write(writes);
        }

        @Override
        public void scan(Space space, byte[] prefix, Visitor visitor) {
            memory.scan(space, prefix, visitor);
        }

        @Override
        public void scanRange(Space space, byte[] from, byte[] to, Visitor visitor) {
            memory.scanRange(space, from, to, visitor);
        }

        @Override
        public Snapshot snapshot() {
            return memory.snapshot();
        }

        @Override
        public void close() {
            memory.close();
        }

        /** Holds {@code store}'s only storage thread until {@link #open} opens. */
        CompletableFuture<DvvSet<StoredValue>> hold(ReplicaStore store) {
            CompletableFuture<DvvSet<StoredValue>> held = store.read("gate", null);
            await().pollInterval(Duration.ofMillis(1)).atMost(10, TimeUnit.SECONDS).until(() -> entered.getCount() == 0);
            return held;
        }
    }

    @Test
    void writesQueuedTogetherAreStoredInOneBatchAndEachSeesTheOnesBeforeIt() {
        GatedStore gated = new GatedStore();
        try (ReplicaStore store = new ReplicaStore(gated, 1, 100, 1 << 20, () -> ConflictMode.SIBLINGS)) {
            List<String> told = new CopyOnWriteArrayList<>();
            store.addChangeListener((key, hintFor, previous, current) -> told.add(key + ":" + previous.state().valueCount() + "->" + current.state().valueCount()));
            CompletableFuture<DvvSet<StoredValue>> held = gated.hold(store);
            var first = store.coordinate("a", null, VersionVector.empty(), value("x"), "n1");
            var second = store.coordinate("a", null, VersionVector.empty(), value("y"), "n1");
            var other = store.merge("b", null, DvvSet.<StoredValue>empty().update(VersionVector.empty(), value("z"), "n2"));
            assertThat(first).as("not answered before it is stored").isNotDone();
            gated.open.countDown();
            held.join();
            assertThat(first.join().state().valueCount()).isEqualTo(1);
            assertThat(second.join().state().valueCount()).as("a blind write beside the first, still pending").isEqualTo(2);
            assertThat(other.join().valueCount()).isEqualTo(1);
            assertThat(gated.batches.get()).as("three writes, one batch").isEqualTo(1);
            assertThat(told).containsExactly("a:0->1", "a:1->2", "b:0->1");
            assertThat(ReplicaStore.decode(gated.memory.get(Store.Space.DATA, StorageKeys.dataKey("a")), "a"))
                    .isEqualTo(second.join().state()).isEqualTo(store.cachedState("a"));
        }
    }

    @Test
    void aRemovalThatAsksTheListenersRunsAfterTheWritesBeforeItWereToldToThem() {
        GatedStore gated = new GatedStore();
        try (ReplicaStore store = new ReplicaStore(gated, 1, 100, 1 << 20, () -> ConflictMode.SIBLINGS)) {
            Set<String> written = ConcurrentHashMap.newKeySet();
            store.addChangeListener((key, hintFor, previous, current) -> written.add(key));
            CompletableFuture<DvvSet<StoredValue>> held = gated.hold(store);
            var write = store.coordinate("k", null, VersionVector.empty(), value("x"), "n1");
            var removal = store.removeUnless("k", () -> written.contains("k"));
            gated.open.countDown();
            held.join();
            assertThat(removal.join()).as("the write queued before it was told first, so the key is kept").isFalse();
            assertThat(store.read("k", null).join()).isEqualTo(write.join().state());
        }
    }

    /**
     * Operations submitted all at once, so that they run in groups, leave the store, the hint counts and
     * what the listeners were told exactly as the same operations run one at a time.
     */
    @Property(tries = 100)
    void groupedOperationsEndAsIfRunOneByOne(@ForAll @Size(max = 30) List<@IntRange(max = 11) Integer> ops) {
        MemoryStore oneByOne = new MemoryStore();
        GatedStore gated = new GatedStore();
        try (ReplicaStore sequential = new ReplicaStore(oneByOne, 1, 100, 1 << 20, () -> ConflictMode.SIBLINGS);
             ReplicaStore grouped = new ReplicaStore(gated, 1, 100, 1 << 20, () -> ConflictMode.SIBLINGS)) {
            List<String> toldSequential = new CopyOnWriteArrayList<>();
            List<String> toldGrouped = new CopyOnWriteArrayList<>();
            sequential.addChangeListener((key, hintFor, previous, current) -> toldSequential.add(key + "/" + hintFor + "=" + current.state()));
            grouped.addChangeListener((key, hintFor, previous, current) -> toldGrouped.add(key + "/" + hintFor + "=" + current.state()));
            CompletableFuture<DvvSet<StoredValue>> held = gated.hold(grouped);
            List<CompletableFuture<?>> pending = new ArrayList<>();
            int i = 0;
            for (int op : ops) {
                for (ReplicaStore store : List.of(sequential, grouped)) {
                    String key = "k" + (op % 3);
                    DvvSet<StoredValue> sibling = DvvSet.<StoredValue>empty().update(VersionVector.empty(), value("m" + i), "n2");
                    CompletableFuture<?> f = switch (op / 3) {
                        case 0 -> store.coordinate(key, null, VersionVector.empty(), value("v" + i), "n1");
                        case 1 -> store.merge(key, null, sibling);
                        case 2 -> store.removeUnless(key, () -> false);
                        default -> store.merge(key, "n3", sibling);
                    };
                    if (store == sequential) {
                        f.join();
                    } else {
                        pending.add(f);
                    }
                }
                i++;
            }
            gated.open.countDown();
            held.join();
            pending.forEach(CompletableFuture::join);
            for (int k = 0; k < 3; k++) {
                for (Store.Space space : List.of(Store.Space.DATA, Store.Space.HINTS)) {
                    byte[] key = space == Store.Space.DATA ? StorageKeys.dataKey("k" + k) : StorageKeys.hintKey("n3", "k" + k);
                    assertThat(gated.memory.get(space, key)).isEqualTo(oneByOne.get(space, key));
                }
            }
            assertThat(grouped.hintsPending()).isEqualTo(sequential.hintsPending());
            assertThat(toldGrouped).isEqualTo(toldSequential);
        }
    }
}
