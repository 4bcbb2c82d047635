package io.ringkv.antientropy;

import java.util.BitSet;

/**
 * A hash tree over the keys of one partition of one replica, kept up to date as writes land.
 *
 * <p>Leaf {@code i} is the sum, modulo 2^64, of the {@link EntryHash entry hashes} of the keys stored in
 * segment {@code i} of the partition. A sum is order-independent and invertible, so a write that
 * changes a key's entry hash from {@code old} to {@code new} updates its leaf in O(1) with
 * {@link #update}, without looking at the segment's other keys. An inner node is the hash of its
 * children's hashes ({@link EntryHash}); inner nodes are recomputed lazily, when asked for, so a burst
 * of writes costs one recomputation per node it touched. Two replicas holding the same keys in the same
 * states have equal trees, whatever the order the writes arrived in.
 *
 * <p>A tree is <em>built</em> once it reflects a full scan of the partition: either it was rebuilt
 * ({@link #startRebuild}) or restored from a save known to be current ({@link MerkleTreeCodec}). A new
 * tree is not built, and should not be compared with a peer's.
 *
 * <p>Rebuilding while writes go on: {@link #startRebuild} returns a {@link Rebuild} that the caller
 * fills from a scan of a consistent snapshot of the partition taken at the moment the rebuild started;
 * every {@link #update} from then on is also recorded as a delta of the rebuild. {@link #finishRebuild}
 * makes each leaf the scanned sum plus the recorded deltas. This is exact provided each write is either
 * in the snapshot or updates the tree after {@code startRebuild}, never both: the caller must start the
 * rebuild and take the snapshot at one instant with respect to writes.
 *
 * <p>Not thread-safe: the owner serializes calls (a lock per tree). The one exception is
 * {@link Rebuild#add}, which touches only the rebuild and may run on a scanning thread without the lock,
 * as long as that thread's adds happen-before {@link #finishRebuild} (taking the lock ensures it).
 */
public final class MerkleTree {

    /** {@link #builtAtMillis()} of a tree that was never built. */
    public static final long NEVER = -1;

    private final TreeShape shape;
    /** Node hashes per level, root first; the last level is the leaves. */
    private final long[][] levels;
    /** Per inner level: nodes whose stored hash is out of date. A dirty node's ancestors are all dirty. */
    private final BitSet[] dirty;
    private long builtAtMillis = NEVER;
    private Rebuild rebuild;

    /** An empty tree of {@code shape}, not built. */
    public MerkleTree(TreeShape shape) {
        this.shape = shape;
        levels = new long[shape.levels()][];
        dirty = new BitSet[shape.leafLevel()];
        for (int level = 0; level < shape.levels(); level++) {
            levels[level] = new long[shape.size(level)];
        }
        for (int level = 0; level < shape.leafLevel(); level++) {
            dirty[level] = new BitSet(shape.size(level));
            dirty[level].set(0, shape.size(level));
        }
    }

    /** A built tree with the given leaves, as saved at {@code builtAtMillis}. */
    static MerkleTree restored(TreeShape shape, long[] leaves, long builtAtMillis) {
        MerkleTree tree = new MerkleTree(shape);
        System.arraycopy(leaves, 0, tree.leaves(), 0, shape.leafCount());
        tree.builtAtMillis = builtAtMillis;
        return tree;
    }

    public TreeShape shape() {
        return shape;
    }

    /**
     * Records that a key of leaf {@code leaf} changed from entry hash {@code removed} to {@code added}
     * ({@link EntryHash#ABSENT} for a key that did not exist or no longer does). O(1) amortized.
     */
    public void update(int leaf, long removed, long added) {
        long delta = added - removed;
        if (delta == 0) {
            return;
        }
        leaves()[leaf] += delta;
        if (rebuild != null) {
            rebuild.deltas[leaf] += delta;
        }
        int index = leaf;
        for (int level = shape.leafLevel() - 1; level >= 0; level--) {
            index /= shape.fanOut();
            if (dirty[level].get(index)) {
                break;
            }
            dirty[level].set(index);
        }
    }

    /** The hash of node {@code index} of {@code level}, recomputing what is out of date below it. */
    public long hash(int level, int index) {
        if (!shape.contains(level, index)) {
            throw new IndexOutOfBoundsException("no node " + index + " on level " + level + " of " + shape);
        }
        if (level == shape.leafLevel() || !dirty[level].get(index)) {
            return levels[level][index];
        }
        int from = shape.firstChild(level, index);
        int to = shape.childrenEnd(level, index);
        for (int child = from; child < to; child++) {
            hash(level + 1, child);
        }
        long h = EntryHash.ofChildren(levels[level + 1], from, to);
        levels[level][index] = h;
        dirty[level].clear(index);
        return h;
    }

    /** The hashes of the given nodes of {@code level}, in the same order. */
    public long[] hashes(int level, int[] indexes) {
        long[] out = new long[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            out[i] = hash(level, indexes[i]);
        }
        return out;
    }

    /** The root hash: equal roots, equal contents (but for a 2^-64 chance). */
    public long root() {
        return hash(0, 0);
    }

    /** True once the tree reflects a full scan (see the class comment). */
    public boolean isBuilt() {
        return builtAtMillis != NEVER;
    }

    /** When the tree was last built from a full scan, or {@link #NEVER}. */
    public long builtAtMillis() {
        return builtAtMillis;
    }

    public boolean isRebuilding() {
        return rebuild != null;
    }

    /**
     * Starts a rebuild: fill it from a snapshot of the partition taken now (see the class comment),
     * then {@link #finishRebuild} or {@link #abandonRebuild} it. Until then the tree keeps answering
     * with its current contents.
     *
     * @throws IllegalStateException if a rebuild is already running
     */
    public Rebuild startRebuild() {
        if (rebuild != null) {
            throw new IllegalStateException("a rebuild is already running");
        }
        rebuild = new Rebuild(this, shape.leafCount());
        return rebuild;
    }

    /** Replaces the contents with those of the finished scan plus the writes since; the tree is built. */
    public void finishRebuild(Rebuild finished, long nowMillis) {
        requireCurrent(finished);
        long[] leaves = leaves();
        for (int i = 0; i < leaves.length; i++) {
            leaves[i] = finished.sums[i] + finished.deltas[i];
        }
        for (int level = 0; level < dirty.length; level++) {
            dirty[level].set(0, shape.size(level));
        }
        rebuild = null;
        builtAtMillis = nowMillis;
    }

    /** Drops a rebuild that could not finish; the tree stays as it was. */
    public void abandonRebuild(Rebuild abandoned) {
        requireCurrent(abandoned);
        rebuild = null;
    }

    /** A copy of the leaves, for saving. */
    long[] leafHashes() {
        return leaves().clone();
    }

    private long[] leaves() {
        return levels[shape.leafLevel()];
    }

    private void requireCurrent(Rebuild r) {
        if (r == null || r != rebuild || r.tree != this) {
            throw new IllegalStateException("not the running rebuild of this tree");
        }
    }

    /** The leaves of a running rebuild, filled from a scan. */
    public static final class Rebuild {
        private final MerkleTree tree;
        private final long[] sums;
        private final long[] deltas;

        private Rebuild(MerkleTree tree, int leaves) {
            this.tree = tree;
            this.sums = new long[leaves];
            this.deltas = new long[leaves];
        }

        /** Adds a key found by the scan to leaf {@code leaf}. */
        public void add(int leaf, long entryHash) {
            sums[leaf] += entryHash;
        }
    }
}
