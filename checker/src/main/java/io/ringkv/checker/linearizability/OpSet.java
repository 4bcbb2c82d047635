package io.ringkv.checker.linearizability;

import java.util.SplittableRandom;

/**
 * The set of operations linearized so far, as a bitset with a Zobrist hash: every operation has a
 * random 64-bit code and the hash is the XOR of the codes of the members. Adding or removing one
 * operation updates the hash in constant time, where hashing the words would cost a pass over the
 * bitset on every step of the search.
 */
final class OpSet {

    private final long[] words;
    private final long[] codes;
    private long hash;

    OpSet(int size) {
        words = new long[(size + 63) >>> 6];
        codes = new long[size];
        // A fixed seed keeps runs reproducible; the codes need only be unrelated to the history.
        SplittableRandom random = new SplittableRandom(0x5eed_0f_0b5L);
        for (int i = 0; i < size; i++) {
            codes[i] = random.nextLong();
        }
    }

    void add(int op) {
        words[op >>> 6] |= 1L << op;
        hash ^= codes[op];
    }

    void remove(int op) {
        words[op >>> 6] &= ~(1L << op);
        hash ^= codes[op];
    }

    long hash() {
        return hash;
    }

    int wordCount() {
        return words.length;
    }

    /** Whether this set equals the one stored at {@code offset} in {@code store}. */
    boolean equalsAt(long[] store, int offset) {
        for (int i = 0; i < words.length; i++) {
            if (store[offset + i] != words[i]) {
                return false;
            }
        }
        return true;
    }

    void copyTo(long[] store, int offset) {
        System.arraycopy(words, 0, store, offset, words.length);
    }
}
