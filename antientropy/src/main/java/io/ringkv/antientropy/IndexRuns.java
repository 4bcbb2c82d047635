package io.ringkv.antientropy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Ascending node or segment indexes on the wire, as runs of consecutive ones. An exchange asks for the
 * children of differing nodes, which are consecutive, so the list of 16 children of each of 15 nodes
 * takes about 30 bytes instead of 240 numbers.
 *
 * <p>Format: the run count, then per run the gap since the end of the previous run (from 0 for the
 * first) and the run's length minus one, all unsigned LEB128 varints.
 */
public final class IndexRuns {

    private IndexRuns() {
    }

    /**
     * @throws IllegalArgumentException if the indexes are not strictly ascending and non-negative
     */
    public static byte[] pack(int[] ascending) {
        ByteArrayOutputStream runs = new ByteArrayOutputStream();
        int count = 0;
        int end = 0;
        for (int i = 0; i < ascending.length; ) {
            int start = ascending[i];
            if (start < end || (i > 0 && start <= ascending[i - 1])) {
                throw new IllegalArgumentException("indexes must be strictly ascending and non-negative");
            }
            int j = i + 1;
            while (j < ascending.length && ascending[j] == ascending[j - 1] + 1) {
                j++;
            }
            writeVarint(runs, start - end);
            writeVarint(runs, j - i - 1);
            end = ascending[j - 1] + 1;
            count++;
            i = j;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(runs.size() + 5);
        writeVarint(out, count);
        out.writeBytes(runs.toByteArray());
        return out.toByteArray();
    }

    /**
     * @param max the most indexes accepted, so that a corrupt or hostile message cannot make the reader
     *            allocate without bound
     * @throws TreeDataException if the bytes are not packed indexes or hold more than {@code max}
     */
    public static int[] unpack(byte[] bytes, int max) throws TreeDataException {
        if (bytes == null) {
            throw new TreeDataException("no indexes");
        }
        int[] position = {0};
        int runs = readVarint(bytes, position);
        int[] out = new int[Math.min(max, 64)];
        int size = 0;
        long end = 0;
        for (int r = 0; r < runs; r++) {
            long start = end + readVarint(bytes, position);
            long length = readVarint(bytes, position) + 1L;
            if (size + length > max || start + length > Integer.MAX_VALUE) {
                throw new TreeDataException("more than " + max + " indexes, or an index out of range");
            }
            if (out.length < size + length) {
                out = Arrays.copyOf(out, (int) Math.min(max, Math.max(2L * out.length, size + length)));
            }
            for (long i = start; i < start + length; i++) {
                out[size++] = (int) i;
            }
            end = start + length;
        }
        if (position[0] != bytes.length) {
            throw new TreeDataException((bytes.length - position[0]) + " trailing bytes after the indexes");
        }
        return Arrays.copyOf(out, size);
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        int v = value;
        while ((v & ~0x7f) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static int readVarint(byte[] bytes, int[] position) throws TreeDataException {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (position[0] >= bytes.length) {
                throw new TreeDataException("indexes truncated");
            }
            int b = bytes[position[0]++] & 0xff;
            if (shift == 28 && b > 0x07) {
                throw new TreeDataException("index out of range");
            }
            v |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new TreeDataException("varint too long");
    }
}
