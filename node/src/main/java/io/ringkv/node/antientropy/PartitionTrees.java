package io.ringkv.node.antientropy;

import io.ringkv.antientropy.EntryHash;
import io.ringkv.antientropy.MerkleTree;
import io.ringkv.antientropy.MerkleTreeCodec;
import io.ringkv.antientropy.SegmentListing;
import io.ringkv.antientropy.Segments;
import io.ringkv.antientropy.TreeDataException;
import io.ringkv.antientropy.TreeShape;
import io.ringkv.node.storage.ReplicaStore;
import io.ringkv.node.storage.StorageKeys;
import io.ringkv.node.storage.Store;
import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.DvvSetCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;

/**
 * This node's Merkle trees: one per partition of the ring, over the keys this node stores in it.
 *
 * <p><b>Kept current incrementally.</b> Every change {@link ReplicaStore} stores is told to
 * its change listener on the key's storage thread, which moves the key's leaf from the old state's entry
 * hash to the new one's: no scan per exchange.
 *
 * <p><b>Rebuilt when it cannot be trusted.</b> {@link #rebuild} scans a partition from a store snapshot
 * taken at the same instant, with respect to writes, as the tree starts recording the writes that follow
 * ({@link ReplicaStore#betweenChanges}), so every write is counted exactly once however the scan and the
 * writes interleave. A tree is rebuilt when it was never built, and when it is older than the rebuild
 * interval, which catches what incremental updates cannot see (a bit flipped on disk).
 *
 * <p><b>Persisted on clean shutdown only.</b> {@link #open} loads the saved trees and then writes a
 * "dirty" marker that only {@link #close} removes, after saving every built tree. After a crash the
 * marker is there, so nothing saved is trusted and every tree is rebuilt: writes made after a save never
 * reached it, and which did cannot be known (saving periodically would not change that; it would only
 * add writes). A rebuild costs one scan of the partition, in the background.
 *
 * <p>Thread-safe: each tree is guarded by its own monitor; scans run on the caller's (blocking) thread.
 */
public final class PartitionTrees implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartitionTrees.class);
    private static final byte[] DIRTY = "aae.dirty".getBytes(StandardCharsets.UTF_8);
    private static final String SAVED = "aae.tree.";
    /** An empty state means an absent key, to the tree as to the store's readers. */
    private static final byte[] EMPTY_STATE = DvvSetCodec.encode(DvvSet.empty());

    /** A tree of this node is not built: it cannot be compared yet. */
    public static final class NotReadyException extends RuntimeException {
        NotReadyException(String message) {
            super(message, null, false, false);
        }
    }

    /** What {@code GET /cluster/aae} shows of one tree. */
    public record TreeStatus(int partition, boolean built, long builtAtMillis, boolean rebuilding) {
    }

    private record Trees(int partitionCount, MerkleTree[] byPartition) {
    }

    private final ReplicaStore replicas;
    private final Store store;
    private final LongSupplier clock;
    private volatile Trees trees;
    /** Saved trees by partition count and partition, loaded at open, taken over by {@link #adopt}. */
    private final Map<Integer, Map<Integer, MerkleTree>> saved;
    /** Scans hold it shared; {@link #close} takes it exclusively so that it never closes a store being scanned. */
    private final ReentrantReadWriteLock scans = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private PartitionTrees(ReplicaStore replicas, LongSupplier clock, Map<Integer, Map<Integer, MerkleTree>> saved) {
        this.replicas = replicas;
        this.store = replicas.store();
        this.clock = clock;
        this.saved = saved;
    }

    /**
     * Loads the trees saved at the last clean shutdown, marks them stale until the next one, and starts
     * following {@code replicas}' changes. Blocking; call once at start, before any write.
     *
     * @param partitionCount the partition count of the ring this node knows, or 0 if it knows none yet
     * @param clock          wall-clock milliseconds, for when trees were built
     */
    public static PartitionTrees open(ReplicaStore replicas, int partitionCount, LongSupplier clock) {
        Store store = replicas.store();
        boolean clean = store.get(Store.Space.META, DIRTY) == null;
        Map<Integer, Map<Integer, MerkleTree>> saved = clean ? load(store) : Map.of();
        store.put(Store.Space.META, DIRTY, Long.toString(clock.getAsLong()).getBytes(StandardCharsets.UTF_8));
        int restored = saved.values().stream().mapToInt(Map::size).sum();
        if (!clean) {
            log.atInfo().log("anti-entropy trees are stale after an unclean shutdown: rebuilding them");
        } else if (restored > 0) {
            log.atInfo().addKeyValue("trees", restored).log("anti-entropy trees restored");
        }
        PartitionTrees t = new PartitionTrees(replicas, clock, new HashMap<>(saved));
        if (partitionCount > 0) {
            t.adopt(partitionCount);
        }
        replicas.addChangeListener(t::changed);
        return t;
    }

    /**
     * Keeps a tree per partition of a ring of {@code partitionCount} partitions: saved ones where they
     * fit, empty unbuilt ones elsewhere. Nothing changes if the count is the one already kept.
     */
    public synchronized void adopt(int partitionCount) {
        Trees current = trees;
        if (current != null && current.partitionCount() == partitionCount) {
            return;
        }
        TreeShape shape = TreeShape.forPartition(partitionCount);
        Map<Integer, MerkleTree> restored = saved.getOrDefault(partitionCount, Map.of());
        MerkleTree[] byPartition = new MerkleTree[partitionCount];
        for (int p = 0; p < partitionCount; p++) {
            MerkleTree t = restored.get(p);
            byPartition[p] = t != null && t.shape().equals(shape) ? t : new MerkleTree(shape);
        }
        saved.clear();
        trees = new Trees(partitionCount, byPartition);
    }

    /** The partition count trees are kept for; 0 before a ring is known. */
    public int partitionCount() {
        Trees t = trees;
        return t == null ? 0 : t.partitionCount();
    }

    /** Moves the key's leaf from its previous state's entry hash to its new one's. On a storage thread. */
    private void changed(String key, String hintFor, ReplicaStore.Stored previous, ReplicaStore.Stored current) {
        Trees t = trees;
        if (hintFor != null || t == null) {
            // Hints are not replicas. Before a ring is known there is no tree: the first rebuild counts the key.
            return;
        }
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        int segment = Segments.of(utf8);
        long before = previous.state().entries().isEmpty() ? EntryHash.ABSENT : EntryHash.of(utf8, previous.encoded());
        long after = current.state().entries().isEmpty() ? EntryHash.ABSENT : EntryHash.of(utf8, current.encoded());
        MerkleTree tree = t.byPartition()[Segments.partitionOf(segment, t.partitionCount())];
        synchronized (tree) {
            tree.update(Segments.leafOf(segment, t.partitionCount()), before, after);
        }
    }

    /**
     * The hashes of {@code nodes} of {@code level} of a partition's tree.
     *
     * @throws NotReadyException        if the tree is not built, or kept for another partition count
     * @throws IllegalArgumentException if a node does not exist
     */
    public long[] hashes(int partitionCount, int partition, int level, int[] nodes) {
        MerkleTree tree = tree(partitionCount, partition);
        synchronized (tree) {
            if (!tree.isBuilt()) {
                throw new NotReadyException("the tree of partition " + partition + " is not built yet");
            }
            for (int node : nodes) {
                if (!tree.shape().contains(level, node)) {
                    throw new IllegalArgumentException("no node " + node + " on level " + level + " of " + tree.shape());
                }
            }
            return tree.hashes(level, nodes);
        }
    }

    public boolean isBuilt(int partition) {
        Trees t = trees;
        if (t == null) {
            return false;
        }
        MerkleTree tree = t.byPartition()[partition];
        synchronized (tree) {
            return tree.isBuilt();
        }
    }

    /** True if the partition's tree was never built or was built more than {@code maxAgeMs} ago. */
    public boolean needsRebuild(int partition, long maxAgeMs) {
        Trees t = trees;
        if (t == null) {
            return false;
        }
        MerkleTree tree = t.byPartition()[partition];
        synchronized (tree) {
            return !tree.isRebuilding() && (!tree.isBuilt() || clock.getAsLong() - tree.builtAtMillis() >= maxAgeMs);
        }
    }

    /**
     * Rebuilds a partition's tree from a full scan while writes go on (see the class comment). Blocking:
     * call it off the event loops and the storage threads.
     *
     * @return the number of keys scanned, or -1 if the trees were closed (or re-shaped) meanwhile
     */
    public long rebuild(int partition) {
        scans.readLock().lock();
        try {
            Trees t = trees;
            if (closed || t == null) {
                return -1;
            }
            MerkleTree tree = t.byPartition()[partition];
            MerkleTree.Rebuild[] rebuild = new MerkleTree.Rebuild[1];
            Store.Snapshot snapshot = replicas.betweenChanges(() -> {
                synchronized (tree) {
                    rebuild[0] = tree.startRebuild();
                }
                return store.snapshot();
            });
            boolean finished = false;
            long[] keys = {0};
            try {
                int first = Segments.first(partition, t.partitionCount());
                snapshot.scanRange(Store.Space.DATA, StorageKeys.partitionStart(partition, t.partitionCount()),
                        StorageKeys.partitionEnd(partition, t.partitionCount()), (k, v) -> {
                            if (!Arrays.equals(v, EMPTY_STATE)) {
                                rebuild[0].add(StorageKeys.segmentOf(k) - first, EntryHash.of(StorageKeys.userKeyBytes(k), v));
                                keys[0]++;
                            }
                            return !closed;
                        });
                synchronized (tree) {
                    if (!closed && trees == t) {
                        tree.finishRebuild(rebuild[0], clock.getAsLong());
                        finished = true;
                    }
                }
            } finally {
                snapshot.close();
                if (!finished) {
                    synchronized (tree) {
                        tree.abandonRebuild(rebuild[0]);
                    }
                }
            }
            return finished ? keys[0] : -1;
        } finally {
            scans.readLock().unlock();
        }
    }

    /**
     * This replica's listings of {@code segments}, in the same order. Blocking.
     *
     * @throws NotReadyException if the trees are closed
     */
    public List<SegmentListing> list(int[] segments) {
        scans.readLock().lock();
        try {
            if (closed) {
                throw new NotReadyException("shutting down");
            }
            List<SegmentListing> out = new ArrayList<>(segments.length);
            for (int segment : segments) {
                SegmentListing.Builder b = SegmentListing.builder(segment);
                store.scanRange(Store.Space.DATA, StorageKeys.segmentStart(segment), StorageKeys.segmentEnd(segment), (k, v) -> {
                    if (!Arrays.equals(v, EMPTY_STATE)) {
                        b.add(StorageKeys.userKeyBytes(k), EntryHash.ofState(v));
                    }
                    return true;
                });
                out.add(b.build());
            }
            return out;
        } finally {
            scans.readLock().unlock();
        }
    }

    /** Every tree's state, by partition. */
    public List<TreeStatus> status() {
        Trees t = trees;
        if (t == null) {
            return List.of();
        }
        List<TreeStatus> out = new ArrayList<>(t.partitionCount());
        for (int p = 0; p < t.partitionCount(); p++) {
            MerkleTree tree = t.byPartition()[p];
            synchronized (tree) {
                out.add(new TreeStatus(p, tree.isBuilt(), tree.builtAtMillis(), tree.isRebuilding()));
            }
        }
        return out;
    }

    private MerkleTree tree(int partitionCount, int partition) {
        Trees t = trees;
        if (t == null || t.partitionCount() != partitionCount) {
            throw new NotReadyException("no trees for a ring of " + partitionCount + " partitions here");
        }
        if (partition < 0 || partition >= partitionCount) {
            throw new IllegalArgumentException("no partition " + partition + " of " + partitionCount);
        }
        return t.byPartition()[partition];
    }

    /**
     * Saves every built tree and removes the dirty marker: the next start trusts them. Call once the
     * storage threads stopped (no write can land any more) and before the store closes. Blocking.
     */
    @Override
    public void close() {
        closed = true;
        scans.writeLock().lock();
        try {
            Trees t = trees;
            Set<String> written = new HashSet<>();
            if (t != null) {
                for (int p = 0; p < t.partitionCount(); p++) {
                    MerkleTree tree = t.byPartition()[p];
                    byte[] bytes;
                    synchronized (tree) {
                        bytes = tree.isBuilt() ? MerkleTreeCodec.encode(tree) : null;
                    }
                    if (bytes != null) {
                        String name = SAVED + t.partitionCount() + "." + p;
                        store.put(Store.Space.META, name.getBytes(StandardCharsets.UTF_8), bytes);
                        written.add(name);
                    }
                }
            }
            List<byte[]> stale = new ArrayList<>();
            store.scan(Store.Space.META, SAVED.getBytes(StandardCharsets.UTF_8), (k, v) -> {
                if (!written.contains(new String(k, StandardCharsets.UTF_8))) {
                    stale.add(k);
                }
                return true;
            });
            stale.forEach(k -> store.delete(Store.Space.META, k));
            store.delete(Store.Space.META, DIRTY);
            log.atInfo().addKeyValue("trees_saved", written.size()).log("anti-entropy trees saved");
        } finally {
            scans.writeLock().unlock();
        }
    }

    private static Map<Integer, Map<Integer, MerkleTree>> load(Store store) {
        Map<Integer, Map<Integer, MerkleTree>> out = new HashMap<>();
        store.scan(Store.Space.META, SAVED.getBytes(StandardCharsets.UTF_8), (k, v) -> {
            String name = new String(k, StandardCharsets.UTF_8);
            try {
                String[] parts = name.substring(SAVED.length()).split("\\.");
                int partitionCount = Integer.parseInt(parts[0]);
                int partition = Integer.parseInt(parts[1]);
                out.computeIfAbsent(partitionCount, c -> new HashMap<>()).put(partition, MerkleTreeCodec.decode(v));
            } catch (TreeDataException | RuntimeException e) {
                // Not trusted means rebuilt: nothing is lost but a scan.
                log.atWarn().addKeyValue("entry", name).addKeyValue("error", e.getMessage())
                        .log("saved anti-entropy tree unreadable; it will be rebuilt");
            }
            return true;
        });
        return out;
    }
}
