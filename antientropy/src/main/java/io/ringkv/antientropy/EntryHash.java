package io.ringkv.antientropy;

import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.DvvSetCodec;
import io.ringkv.versioning.StoredValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hashes trees are made of. Every replica of every release must compute the same values, so this is
 * a wire contract: SHA-256, truncated to its first 8 bytes read big-endian.
 *
 * <ul>
 *   <li>A state's hash is that of its canonical encoding ({@link DvvSetCodec}: equal states, equal
 *       bytes), so a replica hashes the bytes it stores without decoding them.
 *   <li>A key's entry hash is that of a tag byte, the key's UTF-8 bytes and its state's hash. A leaf
 *       sums the entry hashes of its keys; an absent key contributes {@link #ABSENT}, i.e. nothing.
 * </ul>
 *
 * <p>Collisions: modelling the truncated digests as independent random 64-bit numbers, two different
 * sets of entries in one leaf have equal sums with probability 2^-64, and two different states of one
 * key compare equal in a key listing with probability 2^-64; an exchange that misses a difference that
 * way misses it only until the key is written again. (A key whose entry hash happens to be 0 is
 * invisible to its leaf sum: the same 2^-64.)
 */
public final class EntryHash {

    /** The entry hash of a key that is not stored. */
    public static final long ABSENT = 0;

    static final byte ENTRY_TAG = 1;
    static final byte NODE_TAG = 2;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(EntryHash::sha256);

    private EntryHash() {
    }

    /** The hash of a state given in its canonical encoding. */
    public static long ofState(byte[] encodedState) {
        MessageDigest md = SHA256.get();
        return first8(md.digest(encodedState));
    }

    /** The entry hash of a stored key whose state has hash {@code stateHash}. */
    public static long of(byte[] keyUtf8, long stateHash) {
        MessageDigest md = SHA256.get();
        md.update(ENTRY_TAG);
        md.update(keyUtf8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            md.update((byte) (stateHash >>> shift));
        }
        return first8(md.digest());
    }

    /** The entry hash of a stored key whose state is encoded as {@code encodedState}. */
    public static long of(byte[] keyUtf8, byte[] encodedState) {
        return of(keyUtf8, ofState(encodedState));
    }

    /** The entry hash of {@code key} holding {@code state}; {@link #ABSENT} for the empty (absent) state. */
    public static long of(String key, DvvSet<StoredValue> state) {
        if (state.entries().isEmpty()) {
            return ABSENT;
        }
        return of(key.getBytes(StandardCharsets.UTF_8), DvvSetCodec.encode(state));
    }

    /** The hash of an inner tree node from its children's hashes, in order. */
    static long ofChildren(long[] hashes, int from, int to) {
        MessageDigest md = SHA256.get();
        md.update(NODE_TAG);
        byte[] buffer = new byte[8 * (to - from)];
        for (int i = from; i < to; i++) {
            long h = hashes[i];
            int o = 8 * (i - from);
            for (int b = 0; b < 8; b++) {
                buffer[o + b] = (byte) (h >>> (56 - 8 * b));
            }
        }
        md.update(buffer);
        return first8(md.digest());
    }

    private static long first8(byte[] digest) {
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (digest[i] & 0xff);
        }
        return h;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
