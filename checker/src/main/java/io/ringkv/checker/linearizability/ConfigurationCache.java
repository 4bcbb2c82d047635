package io.ringkv.checker.linearizability;

/**
 * The memo of the search: the configurations (set of linearized operations, state) already
 * explored. Reaching one again cannot lead anywhere new, which is what makes the search
 * practical (Lowe's improvement of Wing and Gong).
 *
 * <p>An open-addressing table laid out for the processor cache: each slot holds the
 * configuration's hash (0 marks a free slot), the interned state and the words of the bitset, all
 * in one {@code long[]}, so a lookup usually costs a single cache miss. No object per entry, so
 * millions of entries stay cheap for the garbage collector.
 */
final class ConfigurationCache {

    private static final int INITIAL_SLOTS = 1 << 10;

    private final int stride;
    private long[] table;
    private int slots = INITIAL_SLOTS;
    private int size;

    ConfigurationCache(int words) {
        this.stride = words + 2;
        this.table = new long[INITIAL_SLOTS * stride];
    }

    /** Adds the configuration; returns false if it was already there. */
    boolean add(OpSet linearized, int state) {
        long hash = linearized.hash() ^ Transitions.mix(state);
        if (hash == 0) {
            hash = 1;
        }
        int mask = slots - 1;
        for (int slot = (int) hash & mask; ; slot = (slot + 1) & mask) {
            int at = slot * stride;
            long stored = table[at];
            if (stored == 0) {
                table[at] = hash;
                table[at + 1] = state;
                linearized.copyTo(table, at + 2);
                if (++size * 2 > slots) {
                    grow();
                }
                return true;
            }
            if (stored == hash && table[at + 1] == state && linearized.equalsAt(table, at + 2)) {
                return false;
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] old = table;
        slots *= 2;
        table = new long[slots * stride];
        int mask = slots - 1;
        for (int at = 0; at < old.length; at += stride) {
            if (old[at] != 0) {
                int slot = (int) old[at] & mask;
                while (table[slot * stride] != 0) {
                    slot = (slot + 1) & mask;
                }
                System.arraycopy(old, at, table, slot * stride, stride);
            }
        }
    }
}
