package io.ringkv.checker.linearizability;

import java.util.Arrays;
import java.util.List;

/**
 * The model as the search sees it: states interned to dense ints, and the model asked only once
 * per (operation, state). The search tries the same operation in the same state over and over
 * from different orders; answering from a table is cheaper than calling the model, and int states
 * let {@link ConfigurationCache} compare configurations without touching the state objects.
 * Where states rarely repeat the memo does not pay, and it switches itself off.
 *
 * <p>Sound because {@link Model#step} is a pure function of its arguments.
 */
final class Transitions<S, I, O> {

    private static final int[] ILLEGAL = new int[0];
    /** Memo lookups after which the memo must have answered half of them to stay on. */
    private static final long PROBATION = 1 << 14;

    private final Model<S, I, O> model;
    private final Object[] inputs;
    private final Object[] outputs;

    /** Interned states: id to state, and an open-addressing table of id + 1 (0 = free). */
    private Object[] states = new Object[16];
    private int[] stateSlots = new int[32];
    private int stateCount;

    /** Memoized steps: key (op << 32 | state), -1 = free; value the successor state ids. */
    private long[] stepKeys = new long[64];
    private int[][] stepValues = new int[64][];
    private int stepCount;
    /** Lookups and hits of the memo, to switch it off when states rarely repeat. */
    private long lookups;
    private long hits;
    private boolean memoize = true;

    Transitions(Model<S, I, O> model, Object[] inputs, Object[] outputs) {
        this.model = model;
        this.inputs = inputs;
        this.outputs = outputs;
        Arrays.fill(stepKeys, -1);
    }

    int initial() {
        return intern(model.initialState());
    }

    @SuppressWarnings("unchecked")
    S state(int id) {
        return (S) states[id];
    }

    /** The states the object may be in after operation {@code op} in state {@code state}; empty if illegal. */
    int[] next(int op, int state) {
        if (!memoize) {
            return ask(op, state);
        }
        if (++lookups == PROBATION && hits * 2 < lookups) {
            // Most (operation, state) pairs are new (states that keep growing, like appended
            // strings): the memo would cost a table miss per step and save little.
            memoize = false;
            stepKeys = null;
            stepValues = null;
            return ask(op, state);
        }
        long key = (long) op << 32 | state;
        int mask = stepKeys.length - 1;
        int slot = (int) mix(key) & mask;
        for (long k = stepKeys[slot]; k != -1; k = stepKeys[slot]) {
            if (k == key) {
                hits++;
                return stepValues[slot];
            }
            slot = (slot + 1) & mask;
        }
        int[] next = ask(op, state);
        stepKeys[slot] = key;
        stepValues[slot] = next;
        if (++stepCount * 2 > stepKeys.length) {
            growSteps();
        }
        return next;
    }

    @SuppressWarnings("unchecked")
    private int[] ask(int op, int state) {
        List<S> successors = model.step((S) states[state], (I) inputs[op], (O) outputs[op]);
        if (successors.isEmpty()) {
            return ILLEGAL;
        }
        int[] ids = new int[successors.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = intern(successors.get(i));
        }
        return ids;
    }

    @SuppressWarnings("unchecked")
    private int intern(S state) {
        int mask = stateSlots.length - 1;
        int slot = (int) mix(model.hash(state)) & mask;
        for (int id = stateSlots[slot] - 1; id >= 0; id = stateSlots[slot] - 1) {
            if (model.equal((S) states[id], state)) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
        if (stateCount == states.length) {
            states = Arrays.copyOf(states, stateCount * 2);
        }
        states[stateCount] = state;
        stateSlots[slot] = ++stateCount;
        if (stateCount * 2 > stateSlots.length) {
            int[] grown = new int[stateSlots.length * 2];
            for (int id = 0; id < stateCount; id++) {
                int s = (int) mix(model.hash((S) states[id])) & (grown.length - 1);
                while (grown[s] != 0) {
                    s = (s + 1) & (grown.length - 1);
                }
                grown[s] = id + 1;
            }
            stateSlots = grown;
        }
        return stateCount - 1;
    }

    private void growSteps() {
        long[] oldKeys = stepKeys;
        int[][] oldValues = stepValues;
        stepKeys = new long[oldKeys.length * 2];
        stepValues = new int[oldKeys.length * 2][];
        Arrays.fill(stepKeys, -1);
        int mask = stepKeys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != -1) {
                int slot = (int) mix(oldKeys[i]) & mask;
                while (stepKeys[slot] != -1) {
                    slot = (slot + 1) & mask;
                }
                stepKeys[slot] = oldKeys[i];
                stepValues[slot] = oldValues[i];
            }
        }
    }

    /** MurmurHash3's 64-bit finalizer: spreads keys whose entropy sits in a few bits. */
    static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return x;
    }
}
