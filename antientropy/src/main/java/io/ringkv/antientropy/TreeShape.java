package io.ringkv.antientropy;

import java.util.Arrays;

/**
 * The geometry of a {@link MerkleTree}: how many leaves, how many children per inner node, and hence
 * how many nodes each level has. Level 0 is the root; the last level holds the leaves. Node {@code i}
 * of a level has children {@code [i * fanOut, min((i + 1) * fanOut, size(level + 1)))}. Two trees can
 * only be compared if their shapes are equal. Immutable.
 */
public final class TreeShape {

    /**
     * Children per inner node of a partition's tree. Why 16: an exchange costs one round trip per level
     * and, for every differing node, the hashes of all its children; 16 keeps a partition of 1024
     * segments (64 partitions) at four levels while a differing leaf costs 16 hashes per level.
     */
    public static final int DEFAULT_FAN_OUT = 16;

    private final int leafCount;
    private final int fanOut;
    /** Nodes per level, root first. */
    private final int[] sizes;

    private TreeShape(int leafCount, int fanOut) {
        if (leafCount < 1) {
            throw new IllegalArgumentException("a tree needs at least one leaf: " + leafCount);
        }
        if (fanOut < 2) {
            throw new IllegalArgumentException("fan-out must be at least 2: " + fanOut);
        }
        this.leafCount = leafCount;
        this.fanOut = fanOut;
        int levels = 1;
        for (long n = leafCount; n > 1; n = (n + fanOut - 1) / fanOut) {
            levels++;
        }
        sizes = new int[levels];
        int n = leafCount;
        for (int level = levels - 1; level >= 0; level--) {
            sizes[level] = n;
            n = (n + fanOut - 1) / fanOut;
        }
    }

    /** A tree of {@code leafCount} leaves, {@code fanOut} children per inner node. */
    public static TreeShape of(int leafCount, int fanOut) {
        return new TreeShape(leafCount, fanOut);
    }

    /** The tree of one partition of a ring of {@code partitionCount} partitions: one leaf per segment. */
    public static TreeShape forPartition(int partitionCount) {
        return new TreeShape(Segments.perPartition(partitionCount), DEFAULT_FAN_OUT);
    }

    public int leafCount() {
        return leafCount;
    }

    public int fanOut() {
        return fanOut;
    }

    /** Levels, the root's and the leaves' included (1 when the root is the only leaf). */
    public int levels() {
        return sizes.length;
    }

    /** The level of the leaves. */
    public int leafLevel() {
        return sizes.length - 1;
    }

    /** Nodes on {@code level}. */
    public int size(int level) {
        return sizes[level];
    }

    /** The first child of node {@code index} of {@code level}, on {@code level + 1}. */
    public int firstChild(int level, int index) {
        checkInner(level, index);
        return index * fanOut;
    }

    /** One past the last child of node {@code index} of {@code level}. */
    public int childrenEnd(int level, int index) {
        checkInner(level, index);
        return Math.min((index + 1) * fanOut, sizes[level + 1]);
    }

    /** True if {@code index} names a node of {@code level}. */
    public boolean contains(int level, int index) {
        return level >= 0 && level < sizes.length && index >= 0 && index < sizes[level];
    }

    private void checkInner(int level, int index) {
        if (level >= leafLevel() || !contains(level, index)) {
            throw new IndexOutOfBoundsException("no inner node " + index + " on level " + level + " of " + this);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TreeShape s && s.leafCount == leafCount && s.fanOut == fanOut;
    }

    @Override
    public int hashCode() {
        return 31 * leafCount + fanOut;
    }

    @Override
    public String toString() {
        return "TreeShape" + Arrays.toString(sizes) + "/" + fanOut;
    }
}
