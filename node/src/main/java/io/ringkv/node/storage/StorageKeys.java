package io.ringkv.node.storage;

import io.ringkv.ring.Ring;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How keys are laid out in the {@link Store}.
 *
 * <p>A data key is the top 16 bits of the key's ring hash followed by the key's UTF-8 bytes. A
 * partition is a range of the top bits of that same hash for any partition count up to 2^16, so every
 * partition's keys are one contiguous range, whatever the ring's partition count: anti-entropy and
 * handoff scan one range instead of the whole store.
 *
 * <p>A hint key is the length and UTF-8 bytes of the node the hint is for, then the data key, so all
 * hints for one node are one prefix.
 */
public final class StorageKeys {

    private static final int HASH_BYTES = 2;

    private StorageKeys() {
    }

    /** The data key of {@code key}. */
    public static byte[] dataKey(String key) {
        return dataKey(key.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] dataKey(byte[] keyUtf8) {
        int top = (int) (Ring.keyHash(keyUtf8) >>> 48);
        byte[] out = new byte[HASH_BYTES + keyUtf8.length];
        out[0] = (byte) (top >>> 8);
        out[1] = (byte) top;
        System.arraycopy(keyUtf8, 0, out, HASH_BYTES, keyUtf8.length);
        return out;
    }

    /** The user key inside a data key. */
    public static String userKey(byte[] dataKey) {
        return new String(dataKey, HASH_BYTES, dataKey.length - HASH_BYTES, StandardCharsets.UTF_8);
    }

    /** The first data key of {@code partition} of a ring with {@code partitionCount} partitions. */
    public static byte[] partitionStart(int partition, int partitionCount) {
        return top16(partition * (65536 / checked(partitionCount)));
    }

    /** The first data key after {@code partition}; exclusive end of its range. */
    public static byte[] partitionEnd(int partition, int partitionCount) {
        int end = (partition + 1) * (65536 / checked(partitionCount));
        // The last partition ends past every key: no 16-bit prefix is 0x10000, so use a longer bound.
        return end == 65536 ? new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff} : top16(end);
    }

    /**
     * The first data key of {@code segment}: the keys whose ring hash has these top 16 bits (see
     * {@code io.ringkv.antientropy.Segments}).
     */
    public static byte[] segmentStart(int segment) {
        return top16(checkedSegment(segment));
    }

    /** The first data key after {@code segment}; exclusive end of its range. */
    public static byte[] segmentEnd(int segment) {
        return checkedSegment(segment) == 65535 ? new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}
                : top16(segment + 1);
    }

    /** The segment (top 16 bits of the ring hash) of a data key. */
    public static int segmentOf(byte[] dataKey) {
        return ((dataKey[0] & 0xff) << 8) | (dataKey[1] & 0xff);
    }

    /** The UTF-8 bytes of the user key inside a data key. */
    public static byte[] userKeyBytes(byte[] dataKey) {
        return Arrays.copyOfRange(dataKey, HASH_BYTES, dataKey.length);
    }

    /** The prefix of every hint held for {@code node}. */
    public static byte[] hintPrefix(String node) {
        byte[] id = node.getBytes(StandardCharsets.UTF_8);
        if (id.length > 255) {
            throw new IllegalArgumentException("node id longer than 255 bytes");
        }
        byte[] out = new byte[1 + id.length];
        out[0] = (byte) id.length;
        System.arraycopy(id, 0, out, 1, id.length);
        return out;
    }

    /** The hint key of {@code key} held for {@code node}. */
    public static byte[] hintKey(String node, String key) {
        byte[] prefix = hintPrefix(node);
        byte[] data = dataKey(key);
        byte[] out = Arrays.copyOf(prefix, prefix.length + data.length);
        System.arraycopy(data, 0, out, prefix.length, data.length);
        return out;
    }

    /** The node a hint key is held for. */
    public static String hintNode(byte[] hintKey) {
        return new String(hintKey, 1, hintKey[0] & 0xff, StandardCharsets.UTF_8);
    }

    /** The user key inside a hint key. */
    public static String hintUserKey(byte[] hintKey) {
        int offset = 1 + (hintKey[0] & 0xff) + HASH_BYTES;
        return new String(hintKey, offset, hintKey.length - offset, StandardCharsets.UTF_8);
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static int checked(int partitionCount) {
        if (partitionCount < 1 || partitionCount > 65536 || Integer.bitCount(partitionCount) != 1) {
            throw new IllegalArgumentException("partition count must be a power of two up to 65536: " + partitionCount);
        }
        return partitionCount;
    }

    private static int checkedSegment(int segment) {
        if (segment < 0 || segment > 65535) {
            throw new IllegalArgumentException("segment out of range: " + segment);
        }
        return segment;
    }

    private static byte[] top16(int value) {
        return new byte[] {(byte) (value >>> 8), (byte) value};
    }
}
