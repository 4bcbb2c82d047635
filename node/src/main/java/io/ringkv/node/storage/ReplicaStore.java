package io.ringkv.node.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ringkv.coordinator.ConflictMode;
import io.ringkv.versioning.CorruptStateException;
import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.DvvSetCodec;
import io.ringkv.versioning.StoredValue;
import io.ringkv.versioning.VersionVector;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
 * state, merging into it and writing it back is atomic per key. The operations a stripe finds queued
 * together are stored together, in one batch write (group commit), and each one's future completes only
 * after that batch is stored. Futures complete on the stripe thread; callers on an event loop hop back
 * to their context.
 *
 * <p>States of data keys are cached, encoded (a state is decoded when it is used: one array per key is
 * far cheaper for the garbage collector to keep than the objects of a decoded state, and decoding costs
 * about a microsecond). The cache is written on the key's stripe right after the store accepted the
 * write, and invalidated if the write failed, so it never returns a state older than the one stored.
 * Reads of cached keys ({@link #cachedState}, {@link #cachedEncoded}) need no storage thread: they are
 * served at once on the caller's thread, which spares the hop to a stripe and back on most reads. Such a
 * read may miss a write that is being stored at that very moment, which is fine: that write has not been
 * acknowledged to anyone yet.
 */
public final class ReplicaStore implements AutoCloseable {

    /**
     * Told about every state this store writes, on the key's stripe thread, right after it is stored:
     * {@code previous} is the state it replaced, {@code current} the new one (empty when the key was
     * removed), each with its encoding. Listeners must be quick; they delay the key's next operation.
     */
    @FunctionalInterface
    public interface ChangeListener {
        void changed(String key, String hintFor, Stored previous, Stored current);
    }

    private final Store store;
    private final StripedExecutor<Group> stripes;
    private final Cache<String, byte[]> cache;
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
     * @param cacheBytes approximate bytes of encoded states to cache
     * @param conflicts  the cluster's conflict mode, read on every write
     */
    public ReplicaStore(Store store, int stripes, int queueLimit, long cacheBytes, Supplier<ConflictMode> conflicts) {
        this.store = store;
        this.stripes = new StripedExecutor<>("ringkv-storage", stripes, queueLimit, Group::new);
        this.conflicts = conflicts;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(cacheBytes)
                .weigher((String k, byte[] v) -> weight(k, v))
                .build();
    }

    public void addChangeListener(ChangeListener listener) {
        listeners.add(listener);
    }

    /** A state with its encoding, as stored (an empty state for an absent key). */
    public record Stored(DvvSet<StoredValue> state, byte[] encoded) {
    }

    private static final byte[] EMPTY = DvvSetCodec.encode(DvvSet.empty());
    /** A deleted key, as a later operation of the same group reads it. */
    private static final Stored ABSENT = new Stored(DvvSet.empty(), EMPTY);

    /** The state of {@code key} (as held for {@code hintFor}, or as a primary when null); empty if none. */
    public CompletableFuture<DvvSet<StoredValue>> read(String key, String hintFor) {
        return stripes.submit(key, g -> g.load(key, hintFor).state());
    }

    /** The encoded state of {@code key}, as {@link #read} but without decoding a stored one. */
    public CompletableFuture<byte[]> readEncoded(String key, String hintFor) {
        return stripes.submit(key, g -> g.load(key, hintFor).encoded());
    }

    /**
     * The encoded state of {@code key} as a primary, as {@link #readEncoded} but without caching a state
     * read from storage: for bulk reads (ownership handoff) that would otherwise evict the keys clients use.
     */
    public CompletableFuture<byte[]> readEncodedUncached(String key) {
        return stripes.submit(key, g -> {
            Stored pending = g.pending(key, null);
            byte[] cached = pending != null ? pending.encoded() : cache.getIfPresent(key);
            if (cached != null) {
                return cached;
            }
            byte[] raw = store.get(Store.Space.DATA, StorageKeys.dataKey(key));
            return raw == null ? EMPTY : raw;
        });
    }

    /** The cached state of {@code key} as a primary, or null when it is not cached; never blocks. */
    public DvvSet<StoredValue> cachedState(String key) {
        byte[] cached = cache.getIfPresent(key);
        return cached == null ? null : decode(cached, key);
    }

    /** The cached encoded state of {@code key} as a primary, or null when it is not cached; never blocks. */
    public byte[] cachedEncoded(String key) {
        return cache.getIfPresent(key);
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
        return stripes.submit(key, g -> {
            Stored current = g.load(key, hintFor);
            VersionVector writerContext = current.state().contextAfterUpdate(context, node).orElse(null);
            Stored saved = g.save(key, hintFor, current, conflicts.get().update(current.state(), context, value, node));
            return new Coordinated(saved.state(), saved.encoded(), writerContext);
        });
    }

    /** Merges {@code incoming} into the stored state of {@code key} and stores the result, which it returns. */
    public CompletableFuture<DvvSet<StoredValue>> merge(String key, String hintFor, DvvSet<StoredValue> incoming) {
        return stripes.submit(key, g -> {
            Stored current = g.load(key, hintFor);
            DvvSet<StoredValue> merged = conflicts.get().merge(current.state(), incoming);
            return merged.equals(current.state()) ? current.state() : g.save(key, hintFor, current, merged).state();
        });
    }

    /**
     * Removes the hint for {@code key} held for {@code node} if it still is {@code delivered}: a write
     * that reached the hint after it was sent out keeps it for the next delivery.
     *
     * @return true if removed
     */
    public CompletableFuture<Boolean> removeHintIfUnchanged(String node, String key, DvvSet<StoredValue> delivered) {
        return stripes.submit(key, g -> {
            if (!g.load(key, node).state().equals(delivered)) {
                return false;
            }
            g.deleteHint(node, key);
            return true;
        });
    }

    /**
     * Removes the hint for {@code key} held for {@code node}, whatever it holds, even if it cannot be
     * decoded; nothing if there is none.
     */
    public CompletableFuture<Void> dropHint(String node, String key) {
        return stripes.submit(key, g -> {
            g.deleteHint(node, key);
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
        return stripes.submit(key, g -> {
            Stored current = g.load(key, null);
            if (!current.state().equals(expected)) {
                return false;
            }
            g.delete(key, current);
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
        // Only after everything queued before it is stored and told: keep may depend on what the
        // listeners were told of those writes.
        return stripes.submitAfterCommit(key, g -> {
            if (keep.getAsBoolean()) {
                return false;
            }
            Stored previous = g.load(key, null);
            if (previous.state().entries().isEmpty()) {
                return false;
            }
            g.delete(key, previous);
            return true;
        });
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

    /**
     * What the operations of one group on one stripe wrote (see {@link StripedExecutor}): their changes
     * for the store, to be written as one batch, and what to do once it is stored: update the cache and
     * hint counts, tell the listeners. Until then a later operation of the group reads the pending state
     * of a key it shares with an earlier one, and nothing outside the stripe sees any of it: the cache,
     * which event loops read, only ever holds stored states. Confined to its stripe's thread.
     */
    private final class Group implements StripedExecutor.Group {

        /** A key as a primary ({@code hintFor} null) or as a hint for a node. */
        private record Slot(String key, String hintFor) {
        }

        /** A change for the store, and what to do once it is stored. */
        private record Staged(Store.Write write, Runnable effect) {
        }

        private final List<Staged> staged = new ArrayList<>();
        private final Map<Slot, Stored> pending = new HashMap<>();
        /** Pending states replaced by the current operation, oldest first, to undo it if it fails. */
        private final List<Map.Entry<Slot, Stored>> undo = new ArrayList<>();
        /** How many changes were staged when the current operation began. */
        private int stagedAtBegin;

        /** The state of {@code key} written by this group but not yet stored, or null. */
        Stored pending(String key, String hintFor) {
            return pending.isEmpty() ? null : pending.get(new Slot(key, hintFor));
        }

        Stored load(String key, String hintFor) {
            Stored p = pending(key, hintFor);
            if (p != null) {
                return p;
            }
            if (hintFor == null) {
                byte[] cached = cache.getIfPresent(key);
                if (cached != null) {
                    return new Stored(decode(cached, key), cached);
                }
            }
            byte[] raw = hintFor == null ? store.get(Store.Space.DATA, StorageKeys.dataKey(key))
                    : store.get(Store.Space.HINTS, StorageKeys.hintKey(hintFor, key));
            Stored loaded = new Stored(decode(raw, key), raw == null ? EMPTY : raw);
            if (hintFor == null) {
                // Read from the store, with nothing of this group pending for the key: not newer than stored.
                cache.put(key, loaded.encoded());
            }
            return loaded;
        }

        /** Stores {@code state} for {@code key}, replacing {@code previous}, when the group commits. */
        Stored save(String key, String hintFor, Stored previous, DvvSet<StoredValue> state) {
            byte[] raw = DvvSetCodec.encode(state);
            Stored saved = new Stored(state, raw);
            if (hintFor == null) {
                change(new Slot(key, null), new Store.Write(Store.Space.DATA, StorageKeys.dataKey(key), raw), saved, () -> {
                    cache.put(key, raw);
                    notifyChanged(key, null, previous, saved);
                });
            } else {
                change(new Slot(key, hintFor), new Store.Write(Store.Space.HINTS, StorageKeys.hintKey(hintFor, key), raw), saved, () -> {
                    if (previous.state().entries().isEmpty()) {
                        hints.computeIfAbsent(hintFor, n -> new AtomicLong()).incrementAndGet();
                    }
                    notifyChanged(key, hintFor, previous, saved);
                });
            }
            return saved;
        }

        /** Deletes the data of {@code key}, whose state is {@code previous}, when the group commits. */
        void delete(String key, Stored previous) {
            change(new Slot(key, null), new Store.Write(Store.Space.DATA, StorageKeys.dataKey(key), null), ABSENT, () -> {
                cache.invalidate(key);
                notifyChanged(key, null, previous, ABSENT);
            });
        }

        /** True if a hint for {@code key} is held for {@code node}, pending or stored; decodes nothing. */
        private boolean holdsHint(String node, String key) {
            Stored p = pending(key, node);
            return p != null ? p != ABSENT : store.get(Store.Space.HINTS, StorageKeys.hintKey(node, key)) != null;
        }

        /**
         * Deletes the hint for {@code key} held for {@code node} when the group commits, and counts it off;
         * nothing if none is held, so the count never goes below what the store holds.
         */
        void deleteHint(String node, String key) {
            if (!holdsHint(node, key)) {
                return;
            }
            change(new Slot(key, node), new Store.Write(Store.Space.HINTS, StorageKeys.hintKey(node, key), null), ABSENT,
                    () -> hints.computeIfAbsent(node, n -> new AtomicLong()).decrementAndGet());
        }

        private void change(Slot slot, Store.Write write, Stored state, Runnable effect) {
            undo.add(new AbstractMap.SimpleEntry<>(slot, pending.put(slot, state)));
            staged.add(new Staged(write, effect));
        }

        @Override
        public void begin() {
            undo.clear();
            stagedAtBegin = staged.size();
        }

        @Override
        public void rollback() {
            for (int i = undo.size() - 1; i >= 0; i--) {
                Map.Entry<Slot, Stored> u = undo.get(i);
                if (u.getValue() == null) {
                    pending.remove(u.getKey());
                } else {
                    pending.put(u.getKey(), u.getValue());
                }
            }
            undo.clear();
            staged.subList(stagedAtBegin, staged.size()).clear();
        }

        @Override
        public void commit() {
            if (staged.isEmpty()) {
                return;
            }
            List<Store.Write> writes = new ArrayList<>(staged.size());
            for (Staged c : staged) {
                writes.add(c.write());
            }
            changes.readLock().lock();
            try {
                try {
                    store.write(writes);
                } catch (RuntimeException e) {
                    pending.keySet().forEach(slot -> cache.invalidate(slot.key()));
                    throw e;
                }
                // Every effect runs, so that the cache and the hint counts follow the store even if a
                // listener fails; the first failure then fails the group's operations.
                RuntimeException failed = null;
                for (Staged c : staged) {
                    try {
                        c.effect().run();
                    } catch (RuntimeException e) {
                        if (failed == null) {
                            failed = e;
                        }
                    }
                }
                if (failed != null) {
                    throw failed;
                }
            } finally {
                changes.readLock().unlock();
                staged.clear();
                pending.clear();
                undo.clear();
            }
        }
    }

    private void notifyChanged(String key, String hintFor, Stored previous, Stored current) {
        for (ChangeListener l : listeners) {
            l.changed(key, hintFor, previous, current);
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

    private static int weight(String key, byte[] encoded) {
        return (int) Math.min(Integer.MAX_VALUE, 96L + 2L * key.length() + encoded.length);
    }

    @Override
    public void close() {
        stripes.close();
    }
}
