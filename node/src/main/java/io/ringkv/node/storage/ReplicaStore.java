package io.ringkv.node.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ringkv.coordinator.ConflictMode;
import io.ringkv.versioning.CorruptStateException;
import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.DvvSetCodec;
import io.ringkv.versioning.StoredValue;
import io.ringkv.versioning.VersionVector;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * This node's replicas: the sibling set of every key it holds, and the hints it holds for other nodes.
 *
 * <p>Every operation runs on the storage stripe of its key (see {@link StripedExecutor}), so reading a
 * state, merging into it and writing it back is atomic per key. Futures complete on the stripe thread;
 * callers on an event loop hop back to their context.
 *
 * <p>States of data keys are cached, decoded and encoded. The cache is written on the key's stripe right
 * after the store accepted the write, and invalidated if the write failed, so it never returns a state
 * older than the one stored. Reads of cached keys ({@link #cachedState}, {@link #cachedEncoded}) need no
 * storage thread: they are served at once on the caller's thread, which spares the hop to a stripe and
 * back on most reads. Such a read may miss a write that is being stored at that very moment, which is
 * fine: that write has not been acknowledged to anyone yet.
 */
public final class ReplicaStore implements AutoCloseable {

    /**
     * Told about every state this store writes, on the key's stripe thread, right after it is stored:
     * {@code previous} is the state it replaced, {@code state} the new one (empty when the key was
     * removed). Listeners must be quick; they delay the key's next operation.
     */
    @FunctionalInterface
    public interface ChangeListener {
        void changed(String key, String hintFor, DvvSet<StoredValue> previous, DvvSet<StoredValue> state);
    }

    private final Store store;
    private final StripedExecutor stripes;
    private final Cache<String, Cached> cache;
    private final Supplier<ConflictMode> conflicts;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    /** Hints held, per node they are for; kept exact by the stripes, seeded by a scan at start. */
    private final Map<String, AtomicLong> hints = new ConcurrentHashMap<>();
    /**
     * Held (shared) by each change from storing it to telling the listeners, and (exclusive) by
     * {@link #betweenChanges}, so that no change is ever half-way through while that runs.
     */
    private final ReentrantReadWriteLock changes = new ReentrantReadWriteLock();

    /**
     * @param stripes    storage threads
     * @param queueLimit queued operations per stripe before refusing more
     * @param cacheBytes approximate bytes of decoded values to cache
     * @param conflicts  the cluster's conflict mode, read on every write
     */
    public ReplicaStore(Store store, int stripes, int queueLimit, long cacheBytes, Supplier<ConflictMode> conflicts) {
        this.store = store;
        this.stripes = new StripedExecutor("ringkv-storage", stripes, queueLimit);
        this.conflicts = conflicts;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(cacheBytes)
                .weigher((String k, Cached v) -> weight(k, v))
                .build();
    }

    public void addChangeListener(ChangeListener listener) {
        listeners.add(listener);
    }

    /** A state with its encoding, as the cache keeps it. */
    private record Cached(DvvSet<StoredValue> state, byte[] encoded) {
    }

    private static final byte[] EMPTY = DvvSetCodec.encode(DvvSet.empty());

    /** The state of {@code key} (as held for {@code hintFor}, or as a primary when null); empty if none. */
    public CompletableFuture<DvvSet<StoredValue>> read(String key, String hintFor) {
        return stripes.submit(key, () -> load(key, hintFor).state());
    }

    /** The encoded state of {@code key}, as {@link #read} but without decoding a stored one. */
    public CompletableFuture<byte[]> readEncoded(String key, String hintFor) {
        return stripes.submit(key, () -> load(key, hintFor).encoded());
    }

    /**
     * The encoded state of {@code key} as a primary, as {@link #readEncoded} but without caching a state
     * read from storage: for bulk reads (ownership handoff) that would otherwise evict the keys clients use.
     */
    public CompletableFuture<byte[]> readEncodedUncached(String key) {
        return stripes.submit(key, () -> {
            Cached cached = cache.getIfPresent(key);
            if (cached != null) {
                return cached.encoded();
            }
            byte[] raw = store.get(Store.Space.DATA, StorageKeys.dataKey(key));
            return raw == null ? EMPTY : raw;
        });
    }

    /** The cached state of {@code key} as a primary, or null when it is not cached; never blocks. */
    public DvvSet<StoredValue> cachedState(String key) {
        Cached c = cache.getIfPresent(key);
        return c == null ? null : c.state();
    }

    /** The cached encoded state of {@code key} as a primary, or null when it is not cached; never blocks. */
    public byte[] cachedEncoded(String key) {
        Cached c = cache.getIfPresent(key);
        return c == null ? null : c.encoded();
    }

    /**
     * The outcome of a coordinated write.
     *
     * @param state         the stored state, to be sent to the other replicas
     * @param encoded       its encoding
     * @param writerContext the context of the new value, when a version vector can say it exactly
     *                      (see {@link DvvSet#contextAfterUpdate}); null otherwise
     */
    public record Coordinated(DvvSet<StoredValue> state, byte[] encoded, VersionVector writerContext) {
    }

    /**
     * Coordinates a client write: applies {@code value} written with {@code context} to the stored state
     * as replica {@code node}, which mints the new dot, and stores the result.
     */
    public CompletableFuture<Coordinated> coordinate(String key, String hintFor, VersionVector context,
                                                     StoredValue value, String node) {
        return stripes.submit(key, () -> {
            DvvSet<StoredValue> current = load(key, hintFor).state();
            VersionVector writerContext = current.contextAfterUpdate(context, node).orElse(null);
            Cached saved = save(key, hintFor, current, conflicts.get().update(current, context, value, node));
            return new Coordinated(saved.state(), saved.encoded(), writerContext);
        });
    }

    /** Merges {@code incoming} into the stored state of {@code key} and stores the result, which it returns. */
    public CompletableFuture<DvvSet<StoredValue>> merge(String key, String hintFor, DvvSet<StoredValue> incoming) {
        return stripes.submit(key, () -> {
            DvvSet<StoredValue> current = load(key, hintFor).state();
            DvvSet<StoredValue> merged = conflicts.get().merge(current, incoming);
            return merged.equals(current) ? current : save(key, hintFor, current, merged).state();
        });
    }

    /**
     * Removes the hint for {@code key} held for {@code node} if it still is {@code delivered}: a write
     * that reached the hint after it was sent out keeps it for the next delivery.
     *
     * @return true if removed
     */
    public CompletableFuture<Boolean> removeHintIfUnchanged(String node, String key, DvvSet<StoredValue> delivered) {
        return stripes.submit(key, () -> {
            if (!load(key, node).state().equals(delivered)) {
                return false;
            }
            store.delete(Store.Space.HINTS, StorageKeys.hintKey(node, key));
            hints.computeIfAbsent(node, n -> new AtomicLong()).decrementAndGet();
            return true;
        });
    }

    /** Removes the hint for {@code key} held for {@code node}, whatever it holds. */
    public CompletableFuture<Void> dropHint(String node, String key) {
        return stripes.submit(key, () -> {
            store.delete(Store.Space.HINTS, StorageKeys.hintKey(node, key));
            hints.computeIfAbsent(node, n -> new AtomicLong()).decrementAndGet();
            return null;
        });
    }

    /**
     * Removes {@code key} from this replica if its state still is {@code expected}: used to reap a
     * tombstone that every primary holds. A write that arrived since keeps the key.
     *
     * @return true if removed
     */
    public CompletableFuture<Boolean> removeIfUnchanged(String key, DvvSet<StoredValue> expected) {
        return stripes.submit(key, () -> {
            if (!load(key, null).state().equals(expected)) {
                return false;
            }
            delete(key, expected);
            return true;
        });
    }

    /**
     * Removes {@code key} from this replica unless {@code keep} says otherwise, asked on the key's storage
     * thread: used to drop a partition this node handed off. Because {@code keep} runs in line with the
     * key's writes, a write stored before it was told to the listeners (which can make {@code keep} true),
     * and one stored after recreates the key.
     *
     * @return true if removed
     */
    public CompletableFuture<Boolean> removeUnless(String key, BooleanSupplier keep) {
        return stripes.submit(key, () -> {
            if (keep.getAsBoolean()) {
                return false;
            }
            DvvSet<StoredValue> previous = load(key, null).state();
            if (previous.entries().isEmpty()) {
                return false;
            }
            delete(key, previous);
            return true;
        });
    }

    /** Deletes the data of {@code key}, whose state is {@code previous}, and tells the listeners; on its stripe. */
    private void delete(String key, DvvSet<StoredValue> previous) {
        changes.readLock().lock();
        try {
            try {
                store.delete(Store.Space.DATA, StorageKeys.dataKey(key));
            } finally {
                cache.invalidate(key);
            }
            notifyChanged(key, null, previous, DvvSet.empty());
        } finally {
            changes.readLock().unlock();
        }
    }

    /** True if {@code encoded} is the encoding of a state with no values (what an absent key reads as). */
    public static boolean isEmptyEncoding(byte[] encoded) {
        return Arrays.equals(encoded, EMPTY);
    }

    /**
     * Runs {@code action} at an instant when every change has either been stored and told to the
     * listeners, or not been stored yet: none is in between. A listener that starts recording changes
     * and a {@linkplain Store#snapshot() snapshot} taken together in {@code action} thus see every change
     * exactly once between them, which is what rebuilding a Merkle tree while writes go on needs.
     * Blocks writes while it runs: keep {@code action} to a few microseconds, and never call this from a
     * storage thread.
     */
    public <T> T betweenChanges(Supplier<T> action) {
        changes.writeLock().lock();
        try {
            return action.get();
        } finally {
            changes.writeLock().unlock();
        }
    }

    /** Operations queued or running on the storage threads. */
    public int backlog() {
        return stripes.backlog();
    }

    /** The underlying store, for scans that run outside the stripes (anti-entropy, hints). */
    public Store store() {
        return store;
    }

    private Cached load(String key, String hintFor) {
        if (hintFor == null) {
            Cached cached = cache.getIfPresent(key);
            if (cached != null) {
                return cached;
            }
        }
        byte[] raw = hintFor == null ? store.get(Store.Space.DATA, StorageKeys.dataKey(key))
                : store.get(Store.Space.HINTS, StorageKeys.hintKey(hintFor, key));
        Cached loaded = new Cached(decode(raw, key), raw == null ? EMPTY : raw);
        if (hintFor == null) {
            cache.put(key, loaded);
        }
        return loaded;
    }

    /** Hints held for each node, counting only nodes with at least one. */
    public Map<String, Long> hintsPending() {
        Map<String, Long> pending = new TreeMap<>();
        hints.forEach((node, count) -> {
            if (count.get() > 0) {
                pending.put(node, count.get());
            }
        });
        return pending;
    }

    /** Counts the hints in the store; call once at start, before any write. Blocking. */
    public void countHints() {
        hints.clear();
        store.scan(Store.Space.HINTS, new byte[0], (k, v) -> {
            hints.computeIfAbsent(StorageKeys.hintNode(k), n -> new AtomicLong()).incrementAndGet();
            return true;
        });
    }

    private Cached save(String key, String hintFor, DvvSet<StoredValue> previous, DvvSet<StoredValue> state) {
        byte[] raw = DvvSetCodec.encode(state);
        Cached saved = new Cached(state, raw);
        changes.readLock().lock();
        try {
            try {
                if (hintFor == null) {
                    store.put(Store.Space.DATA, StorageKeys.dataKey(key), raw);
                    cache.put(key, saved);
                } else {
                    store.put(Store.Space.HINTS, StorageKeys.hintKey(hintFor, key), raw);
                    if (previous.entries().isEmpty()) {
                        hints.computeIfAbsent(hintFor, n -> new AtomicLong()).incrementAndGet();
                    }
                }
            } catch (RuntimeException e) {
                cache.invalidate(key);
                throw e;
            }
            notifyChanged(key, hintFor, previous, state);
        } finally {
            changes.readLock().unlock();
        }
        return saved;
    }

    private void notifyChanged(String key, String hintFor, DvvSet<StoredValue> previous, DvvSet<StoredValue> state) {
        for (ChangeListener l : listeners) {
            l.changed(key, hintFor, previous, state);
        }
    }

    /** Decodes a stored state; an absent one is empty. */
    public static DvvSet<StoredValue> decode(byte[] raw, String key) {
        if (raw == null) {
            return DvvSet.empty();
        }
        try {
            return DvvSetCodec.decode(raw);
        } catch (CorruptStateException e) {
            throw new StoreException("stored state of key " + key + " is corrupt: " + e.getMessage(), e);
        }
    }

    private static int weight(String key, Cached cached) {
        long bytes = 96L + 2L * key.length() + cached.encoded().length;
        for (StoredValue v : cached.state().values()) {
            bytes += 48 + v.length();
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    @Override
    public void close() {
        stripes.close();
    }
}
