package io.ringkv.checker.linearizability;

import io.ringkv.checker.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The search for a linearization of one partition: Wing and Gong's backtracking with Lowe's
 * memoization, as in Porcupine.
 *
 * <p>The calls and returns of the operations form a doubly-linked list in time order. The search
 * walks it from the head: at a call it tries to linearize that operation now (the model accepts it
 * and the resulting configuration is new), and if so lifts the call and its return out of the
 * list and starts again from the head. Reaching a return means the operation it ends had to be
 * linearized by then and was not, so the search backtracks: it undoes the latest linearization and
 * tries what comes after it. An empty list is a linearization; backtracking with nothing to undo
 * proves there is none.
 *
 * <p>The list lives in int arrays (node 0 is the head, nodes 1..2n the calls and returns) and
 * states are interned ints ({@link Transitions}), so a step of the search allocates nothing.
 */
final class PartitionSearch<S, I, O> {

    private static final int NONE = -1;
    /** Steps between two looks at the clock; a step is tens of nanoseconds. */
    private static final int CHECK_EVERY = 1 << 12;

    private final Transitions<S, I, O> transitions;
    private final int n;

    private final int[] next;
    private final int[] prev;
    private final int[] opOf;
    /** For a call node, its return node; 0 for a return node. */
    private final int[] returnOf;

    // The stack of linearized operations: node, state before it, the successor states the model
    // allowed and which of them was taken, so that backtracking can try the next one.
    private final int[] stackNode;
    private final int[] stackBefore;
    private final int[][] stackSuccessors;
    private final int[] stackChoice;

    /**
     * The longest linearizable prefix found: its operations and the state after each. The stack
     * below {@code clean} has not changed since it was copied here, so copying again only costs
     * what changed: remembering stays linear in the steps of the search.
     */
    private final int[] bestOrder;
    private final int[] bestStates;
    private int bestLength;
    private int clean;
    private long steps;
    private int cacheSize;

    /**
     * @param calls   invocation times, by operation
     * @param returns latest linearization points (Long.MAX_VALUE when unknown), by operation
     */
    PartitionSearch(Model<S, I, O> model, Object[] inputs, Object[] outputs, long[] calls, long[] returns) {
        this.transitions = new Transitions<>(model, inputs, outputs);
        this.n = inputs.length;
        this.next = new int[2 * n + 1];
        this.prev = new int[2 * n + 1];
        this.opOf = new int[2 * n + 1];
        this.returnOf = new int[2 * n + 1];
        this.stackNode = new int[n];
        this.stackBefore = new int[n];
        this.stackSuccessors = new int[n][];
        this.stackChoice = new int[n];
        this.bestOrder = new int[n];
        this.bestStates = new int[n];
        link(calls, returns);
    }

    /** Puts the 2n events in time order; at equal times calls come first, so touching operations overlap. */
    private void link(long[] calls, long[] returns) {
        Integer[] events = new Integer[2 * n]; // event e: operation e >> 1, a call when e is even
        for (int i = 0; i < events.length; i++) {
            events[i] = i;
        }
        Arrays.sort(events, (a, b) -> {
            long ta = (a & 1) == 0 ? calls[a >> 1] : returns[a >> 1];
            long tb = (b & 1) == 0 ? calls[b >> 1] : returns[b >> 1];
            if (ta != tb) {
                return Long.compare(ta, tb);
            }
            return Integer.compare(a & 1, b & 1);
        });
        int[] nodeOfReturn = new int[n];
        for (int i = 0; i < events.length; i++) {
            if ((events[i] & 1) == 1) {
                nodeOfReturn[events[i] >> 1] = i + 1;
            }
        }
        for (int i = 0; i < events.length; i++) {
            int node = i + 1;
            int e = events[i];
            opOf[node] = e >> 1;
            returnOf[node] = (e & 1) == 0 ? nodeOfReturn[e >> 1] : 0;
        }
        for (int node = 0; node <= 2 * n; node++) {
            next[node] = node == 2 * n ? NONE : node + 1;
            prev[node] = node - 1;
        }
    }

    /**
     * Runs the search.
     *
     * @param stop polled now and then; when it answers true the search gives up with UNKNOWN
     */
    Verdict run(BooleanSupplier stop) {
        OpSet linearized = new OpSet(n);
        ConfigurationCache cache = new ConfigurationCache(linearized.wordCount());
        int depth = 0;

        int state = transitions.initial();
        int node = next[0];
        while (next[0] != NONE) {
            if ((++steps & (CHECK_EVERY - 1)) == 0 && stop.getAsBoolean()) {
                cacheSize = cache.size();
                return Verdict.UNKNOWN;
            }
            int[] successors;
            int choice;
            if (returnOf[node] != 0) {
                successors = transitions.next(opOf[node], state);
                choice = 0;
            } else {
                if (depth == 0) {
                    cacheSize = cache.size();
                    return Verdict.ILLEGAL;
                }
                if (depth > bestLength) {
                    remember(depth, state);
                }
                depth--;
                clean = Math.min(clean, depth);
                node = stackNode[depth];
                state = stackBefore[depth];
                successors = stackSuccessors[depth];
                choice = stackChoice[depth] + 1;
                linearized.remove(opOf[node]);
                unlift(node);
            }
            // Linearize the operation at node now, into the first successor state not yet explored.
            boolean lifted = false;
            if (choice < successors.length) {
                linearized.add(opOf[node]);
                for (; choice < successors.length; choice++) {
                    if (cache.add(linearized, successors[choice])) {
                        stackNode[depth] = node;
                        stackBefore[depth] = state;
                        stackSuccessors[depth] = successors;
                        stackChoice[depth] = choice;
                        depth++;
                        state = successors[choice];
                        lift(node);
                        lifted = true;
                        break;
                    }
                }
                if (!lifted) {
                    linearized.remove(opOf[node]);
                }
            }
            node = lifted ? next[0] : next[node];
        }
        remember(depth, state);
        cacheSize = cache.size();
        return Verdict.OK;
    }

    private void remember(int depth, int state) {
        for (int i = clean; i < depth; i++) {
            bestOrder[i] = opOf[stackNode[i]];
            bestStates[i] = i + 1 < depth ? stackBefore[i + 1] : state;
        }
        bestLength = depth;
        clean = depth;
    }

    /** Unlinks a call and its return: the operation is linearized. */
    private void lift(int call) {
        next[prev[call]] = next[call];
        prev[next[call]] = prev[call];
        int ret = returnOf[call];
        next[prev[ret]] = next[ret];
        if (next[ret] != NONE) {
            prev[next[ret]] = prev[ret];
        }
    }

    /** Relinks what {@link #lift} unlinked; the links of the unlinked nodes still point home. */
    private void unlift(int call) {
        int ret = returnOf[call];
        next[prev[ret]] = ret;
        if (next[ret] != NONE) {
            prev[next[ret]] = ret;
        }
        next[prev[call]] = call;
        prev[next[call]] = call;
    }

    /** The operations of the longest linearizable prefix found, in linearization order. */
    int[] bestOrder() {
        return Arrays.copyOf(bestOrder, bestLength);
    }

    /** The state after each operation of {@link #bestOrder()}. */
    List<S> bestStates() {
        List<S> states = new ArrayList<>(bestLength);
        for (int i = 0; i < bestLength; i++) {
            states.add(transitions.state(bestStates[i]));
        }
        return states;
    }

    /**
     * After an ILLEGAL verdict: the operation outside the longest prefix that must take effect
     * first (its return comes earliest), which no extension of the prefix can place.
     */
    int firstUnplaced() {
        boolean[] placed = new boolean[n];
        for (int i = 0; i < bestLength; i++) {
            placed[bestOrder[i]] = true;
        }
        for (int node = 1; node <= 2 * n; node++) {
            if (returnOf[node] == 0 && !placed[opOf[node]]) {
                return opOf[node];
            }
        }
        return NONE;
    }

    long steps() {
        return steps;
    }

    int cacheSize() {
        return cacheSize;
    }
}
