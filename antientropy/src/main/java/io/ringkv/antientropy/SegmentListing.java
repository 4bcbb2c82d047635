package io.ringkv.antientropy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The keys one replica stores in one segment, each with the hash of its state ({@link EntryHash#ofState}),
 * in ascending order of their UTF-8 bytes (unsigned), which is the order a store scan of the segment
 * yields. Two replicas' listings of a segment name the keys they disagree on ({@link #diff}). Immutable.
 */
public final class SegmentListing {

    private static final byte FORMAT = 1;

    private final int segment;
    private final byte[][] keys;
    private final long[] stateHashes;

    private SegmentListing(int segment, byte[][] keys, long[] stateHashes) {
        this.segment = segment;
        this.keys = keys;
        this.stateHashes = stateHashes;
    }

    /** A listing of {@code segment}, to be filled in ascending key order. */
    public static Builder builder(int segment) {
        return new Builder(segment);
    }

    public int segment() {
        return segment;
    }

    public int size() {
        return keys.length;
    }

    /** The UTF-8 bytes of the {@code i}-th key (not a copy: do not modify). */
    public byte[] key(int i) {
        return keys[i];
    }

    public long stateHash(int i) {
        return stateHashes[i];
    }

    /** The leaf hash a tree holding exactly these keys has for this segment. */
    public long leafHash() {
        long sum = 0;
        for (int i = 0; i < keys.length; i++) {
            sum += EntryHash.of(keys[i], stateHashes[i]);
        }
        return sum;
    }

    /** What comparing two replicas' listings of one segment found. */
    public record Difference(List<byte[]> keys, int compared) {
        /**
         * @param keys     the keys held by one side only or in different states, ascending
         * @param compared distinct keys looked at, on either side
         */
        public Difference {
            keys = List.copyOf(keys);
        }
    }

    /**
     * The keys {@code a} and {@code b} disagree on: held by one only, or with different state hashes.
     *
     * @throws IllegalArgumentException if they list different segments
     */
    public static Difference diff(SegmentListing a, SegmentListing b) {
        if (a.segment != b.segment) {
            throw new IllegalArgumentException("listings of segments " + a.segment + " and " + b.segment);
        }
        List<byte[]> differing = new ArrayList<>();
        int i = 0;
        int j = 0;
        int compared = 0;
        while (i < a.keys.length || j < b.keys.length) {
            compared++;
            int c = i == a.keys.length ? 1 : j == b.keys.length ? -1 : Arrays.compareUnsigned(a.keys[i], b.keys[j]);
            if (c < 0) {
                differing.add(a.keys[i++]);
            } else if (c > 0) {
                differing.add(b.keys[j++]);
            } else {
                if (a.stateHashes[i] != b.stateHashes[j]) {
                    differing.add(a.keys[i]);
                }
                i++;
                j++;
            }
        }
        return new Difference(differing, compared);
    }

    /**
     * The wire form of several listings: a format byte, the count, then per listing its segment, its
     * entry count and per entry the key's length, its bytes and the 8-byte state hash (lengths and counts
     * as unsigned LEB128 varints, the hash big-endian). About key length + 9 bytes a key.
     */
    public static byte[] encode(List<SegmentListing> listings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(FORMAT);
        writeVarint(out, listings.size());
        for (SegmentListing l : listings) {
            writeVarint(out, l.segment);
            writeVarint(out, l.keys.length);
            for (int i = 0; i < l.keys.length; i++) {
                writeVarint(out, l.keys[i].length);
                out.write(l.keys[i], 0, l.keys[i].length);
                long h = l.stateHashes[i];
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out.write((int) (h >>> shift) & 0xff);
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * Reads listings written by {@link #encode}.
     *
     * @throws TreeDataException if the bytes are not such listings (keys out of order included)
     */
    public static List<SegmentListing> decode(byte[] bytes) throws TreeDataException {
        Reader in = new Reader(bytes);
        if (in.byteAt() != FORMAT) {
            throw new TreeDataException("unknown segment listing format");
        }
        int count = in.count();
        // The count is not trusted for sizing: a corrupt one must not allocate gigabytes.
        List<SegmentListing> out = new ArrayList<>(Math.min(count, 1024));
        for (int l = 0; l < count; l++) {
            int segment = in.count();
            if (segment >= Segments.COUNT) {
                throw new TreeDataException("segment " + segment + " out of range");
            }
            Builder b = builder(segment);
            int entries = in.count();
            for (int i = 0; i < entries; i++) {
                byte[] key = in.bytes(in.count());
                long h = 0;
                for (int k = 0; k < 8; k++) {
                    h = (h << 8) | (in.byteAt() & 0xff);
                }
                if (b.size > 0 && Arrays.compareUnsigned(b.keys[b.size - 1], key) >= 0) {
                    throw new TreeDataException("keys of segment " + segment + " out of order");
                }
                b.add(key, h);
            }
            out.add(b.build());
        }
        if (in.position != bytes.length) {
            throw new TreeDataException((bytes.length - in.position) + " trailing bytes after the listings");
        }
        return out;
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        int v = value;
        while ((v & ~0x7f) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    /** Collects a listing; keys must come in strictly ascending order. */
    public static final class Builder {
        private final int segment;
        private byte[][] keys = new byte[8][];
        private long[] hashes = new long[8];
        private int size;

        private Builder(int segment) {
            if (segment < 0 || segment >= Segments.COUNT) {
                throw new IndexOutOfBoundsException("segment " + segment);
            }
            this.segment = segment;
        }

        /**
         * @throws IllegalArgumentException if {@code keyUtf8} does not sort after the previous key
         */
        public Builder add(byte[] keyUtf8, long stateHash) {
            if (size > 0 && Arrays.compareUnsigned(keys[size - 1], keyUtf8) >= 0) {
                throw new IllegalArgumentException("keys must be added in strictly ascending order");
            }
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                hashes = Arrays.copyOf(hashes, size * 2);
            }
            keys[size] = keyUtf8;
            hashes[size] = stateHash;
            size++;
            return this;
        }

        public SegmentListing build() {
            return new SegmentListing(segment, Arrays.copyOf(keys, size), Arrays.copyOf(hashes, size));
        }
    }

    private static final class Reader {
        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        byte byteAt() throws TreeDataException {
            if (position >= bytes.length) {
                throw new TreeDataException("segment listing truncated at byte " + position);
            }
            return bytes[position++];
        }

        /** A varint that must fit a non-negative int. */
        int count() throws TreeDataException {
            int v = 0;
            for (int shift = 0; shift < 32; shift += 7) {
                int b = byteAt() & 0xff;
                v |= (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    if (v < 0 || (shift == 28 && b > 0x07)) {
                        throw new TreeDataException("count out of range at byte " + position);
                    }
                    return v;
                }
            }
            throw new TreeDataException("varint too long at byte " + position);
        }

        byte[] bytes(int length) throws TreeDataException {
            if (length > bytes.length - position) {
                throw new TreeDataException("segment listing truncated at byte " + position);
            }
            byte[] out = Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return out;
        }
    }
}
