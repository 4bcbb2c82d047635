package io.ringkv.checker.linearizability;

import io.ringkv.checker.history.Operation;
import java.util.List;
import java.util.Objects;

/**
 * A sequential specification: what an object does when operations are applied to it one at a time.
 * The checker asks whether the concurrent operations of a history can be put in an order that
 * respects real time and that this specification accepts.
 *
 * <p>Only {@link #initialState()}, {@link #input}, {@link #output} and {@link #step} are required.
 * States must be immutable: the checker keeps them to backtrack and to memoize.
 *
 * @param <S> the state
 * @param <I> an operation's input, decoded from the history once
 * @param <O> an operation's output, decoded from the history once
 */
public interface Model<S, I, O> {

    /** The state before any operation. */
    S initialState();

    /**
     * Decodes the input of an operation that this model understands.
     *
     * @throws IllegalArgumentException if the operation is not one of this model's, or malformed
     */
    I input(Operation op);

    /**
     * Decodes the output of a completed (OK) operation. Never called for an operation whose outcome
     * is unknown: {@link #step} then receives a null output.
     *
     * @throws IllegalArgumentException if the output is malformed
     */
    O output(Operation op);

    /**
     * Every state the object may be in after the operation, or an empty list if the operation
     * cannot have returned {@code output} in {@code state}. A deterministic model returns at most
     * one state; a nondeterministic one may return several, and the checker tries each.
     *
     * @param output the output, or null if it is unknown, in which case the model must accept the
     *               operation whenever some output would be accepted
     */
    List<S> step(S state, I input, O output);

    /**
     * The partition an operation belongs to (for example its key). Operations in different
     * partitions must touch disjoint parts of the state, so that the history is linearizable if
     * and only if each partition is, checked alone from {@link #initialState()}; this is what lets
     * the checker split the search and run the parts in parallel. The default is one partition.
     */
    default String partition(I input) {
        return "";
    }

    /** State equality for memoization; {@link Object#equals} by default. */
    default boolean equal(S a, S b) {
        return Objects.equals(a, b);
    }

    /** A hash consistent with {@link #equal}; {@link Object#hashCode} by default. */
    default int hash(S state) {
        return Objects.hashCode(state);
    }

    /** A short name for reports, for example {@code "register"}. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** An operation as a person reads it, for example {@code "write(3)"} or {@code "read() -> 3"}. */
    default String describeOperation(I input, O output) {
        return input + " -> " + (output == null ? "?" : output);
    }

    /** A state as a person reads it. */
    default String describeState(S state) {
        return String.valueOf(state);
    }
}
