package io.ringkv.antientropy;

import java.util.Arrays;

/**
 * The descent of one exchange from two trees' roots to the leaves where they differ, as a state machine:
 * it does no I/O and keeps no tree. The driver asks {@link #next()} which nodes to compare, gets their
 * hashes from both replicas (its own tree and the peer's), and feeds them back with {@link #answer};
 * when {@link #isDone()}, {@link #differingLeaves()} are the leaves whose hashes differ.
 *
 * <p>Level by level, only the children of differing nodes are asked for, so the hashes exchanged are
 * about {@code fanOut} per differing node per level, and a round trip per level (more only when a level
 * has more nodes to ask than one query holds): what moves is proportional to what differs, not to the
 * partition. Trees that change during the descent (writes keep landing) are fine: a difference found is
 * checked again at the key level, and one missed is found by the next exchange.
 *
 * <p>Not thread-safe.
 */
public final class TreeDiff {

    /** A request for the hashes of {@code nodes} (ascending) of {@code level}. */
    public record Query(int level, int[] nodes) {
    }

    private final TreeShape shape;
    private final int maxNodesPerQuery;
    private int level;
    private IntList current = new IntList();
    private IntList below = new IntList();
    private int cursor;
    private Query outstanding;
    private final IntList differing = new IntList();
    private long compared;

    /**
     * @param maxNodesPerQuery the most nodes one {@link Query} asks for, bounding message sizes
     */
    public TreeDiff(TreeShape shape, int maxNodesPerQuery) {
        if (maxNodesPerQuery < 1) {
            throw new IllegalArgumentException("maxNodesPerQuery must be positive: " + maxNodesPerQuery);
        }
        this.shape = shape;
        this.maxNodesPerQuery = maxNodesPerQuery;
        current.add(0);
    }

    /** True once every differing leaf is known. */
    public boolean isDone() {
        return outstanding == null && cursor == current.size && below.size == 0;
    }

    /**
     * The next nodes to compare.
     *
     * @throws IllegalStateException if the previous query was not answered, or the diff is done
     */
    public Query next() {
        if (outstanding != null) {
            throw new IllegalStateException("the previous query was not answered");
        }
        if (cursor == current.size) {
            if (below.size == 0) {
                throw new IllegalStateException("the diff is done");
            }
            IntList emptied = current;
            emptied.size = 0;
            current = below;
            below = emptied;
            cursor = 0;
            level++;
        }
        int to = Math.min(current.size, cursor + maxNodesPerQuery);
        outstanding = new Query(level, Arrays.copyOfRange(current.values, cursor, to));
        cursor = to;
        return outstanding;
    }

    /**
     * The hashes of the last query's nodes on both replicas, in query order.
     *
     * @throws IllegalArgumentException if either array does not have one hash per node
     * @throws IllegalStateException    if no query is outstanding
     */
    public void answer(long[] local, long[] remote) {
        if (outstanding == null) {
            throw new IllegalStateException("no query is outstanding");
        }
        int[] nodes = outstanding.nodes();
        if (local.length != nodes.length || remote.length != nodes.length) {
            throw new IllegalArgumentException("expected " + nodes.length + " hashes per side, got "
                    + local.length + " and " + remote.length);
        }
        for (int i = 0; i < nodes.length; i++) {
            compared++;
            if (local[i] == remote[i]) {
                continue;
            }
            if (level == shape.leafLevel()) {
                differing.add(nodes[i]);
            } else {
                for (int c = shape.firstChild(level, nodes[i]), end = shape.childrenEnd(level, nodes[i]); c < end; c++) {
                    below.add(c);
                }
            }
        }
        outstanding = null;
    }

    /** The leaves found to differ so far, ascending; all of them once {@link #isDone()}. */
    public int[] differingLeaves() {
        return Arrays.copyOf(differing.values, differing.size);
    }

    /** Node hashes compared so far (each counted once, though both sides sent one). */
    public long hashesCompared() {
        return compared;
    }

    private static final class IntList {
        int[] values = new int[16];
        int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }
}
