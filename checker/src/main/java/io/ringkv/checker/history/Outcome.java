package io.ringkv.checker.history;

/** How an {@link Operation} ended. */
public enum Outcome {
    /** Completed; took effect exactly once, somewhere between invocation and completion. */
    OK,
    /** Certainly did not take effect; checkers ignore it. */
    FAIL,
    /**
     * Unknown: it may have taken effect at any time after its invocation, even after the history
     * ends, or never. Checkers treat its completion time as infinite.
     */
    INFO
}
