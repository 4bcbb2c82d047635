package io.ringkv.antientropy;

import java.nio.ByteBuffer;

/** Node hashes on the wire: 8 bytes each, big-endian, nothing else. */
public final class Hashes {

    private Hashes() {
    }

    public static byte[] pack(long[] hashes) {
        ByteBuffer out = ByteBuffer.allocate(8 * hashes.length);
        for (long h : hashes) {
            out.putLong(h);
        }
        return out.array();
    }

    /**
     * @param expected how many hashes the bytes must hold
     * @throws TreeDataException if they hold another number
     */
    public static long[] unpack(byte[] bytes, int expected) throws TreeDataException {
        if (bytes == null || bytes.length != 8L * expected) {
            throw new TreeDataException("expected " + expected + " hashes, got "
                    + (bytes == null ? "none" : bytes.length + " bytes"));
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long[] out = new long[expected];
        for (int i = 0; i < expected; i++) {
            out[i] = in.getLong();
        }
        return out;
    }
}
