package io.ringkv.antientropy;

import io.ringkv.ring.Ring;

/**
 * The key space cut into {@value #COUNT} segments by the top 16 bits of a key's ring hash
 * ({@link Ring#keyHash}). Segments are the leaves of every Merkle tree and the unit an exchange lists
 * keys of.
 *
 * <p>Why these bits: a partition of a ring of {@code Q} partitions is the top {@code log2(Q)} bits of
 * the same hash, so for any {@code Q} up to {@value #COUNT} a partition is the contiguous run of
 * {@code COUNT / Q} segments starting at {@code partition * COUNT / Q}; and the node stores each key
 * under these 16 bits followed by the key, so a segment is one contiguous range of its store.
 */
public final class Segments {

    /** Segments in the key space. */
    public static final int COUNT = 1 << 16;

    private Segments() {
    }

    /** The segment of a key given as its UTF-8 bytes. */
    public static int of(byte[] keyUtf8) {
        return (int) (Ring.keyHash(keyUtf8) >>> 48);
    }

    /**
     * Segments in each partition of a ring of {@code partitionCount} partitions.
     *
     * @throws IllegalArgumentException unless {@code partitionCount} is a power of two up to {@value #COUNT}
     */
    public static int perPartition(int partitionCount) {
        if (partitionCount < 1 || partitionCount > COUNT || Integer.bitCount(partitionCount) != 1) {
            throw new IllegalArgumentException("partition count must be a power of two up to " + COUNT + ": " + partitionCount);
        }
        return COUNT / partitionCount;
    }

    /** The first segment of {@code partition}. */
    public static int first(int partition, int partitionCount) {
        int per = perPartition(partitionCount);
        if (partition < 0 || partition >= partitionCount) {
            throw new IndexOutOfBoundsException("partition " + partition + " of " + partitionCount);
        }
        return partition * per;
    }

    /** The partition that {@code segment} belongs to. */
    public static int partitionOf(int segment, int partitionCount) {
        return checked(segment) / perPartition(partitionCount);
    }

    /** The leaf index of {@code segment} in its partition's tree. */
    public static int leafOf(int segment, int partitionCount) {
        return checked(segment) % perPartition(partitionCount);
    }

    private static int checked(int segment) {
        if (segment < 0 || segment >= COUNT) {
            throw new IndexOutOfBoundsException("segment " + segment);
        }
        return segment;
    }
}
