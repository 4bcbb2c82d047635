package io.ringkv.checker;

/**
 * The outcome of one checker on one history.
 *
 * <p>{@link #UNKNOWN} is never a polite {@link #OK}: it means the checker could not decide (its time
 * budget ran out, or the history lacks what the checker needs), and tools must treat it as such.
 */
public enum Verdict {
    /** The history satisfies the property. */
    OK,
    /** The history violates the property; the result carries a counterexample. */
    ILLEGAL,
    /** The checker could not decide. */
    UNKNOWN;

    /**
     * Combines the verdicts of independent parts of one check: any violation wins, then any
     * undecided part, and only a history whose every part is OK is OK.
     */
    public Verdict and(Verdict other) {
        if (this == ILLEGAL || other == ILLEGAL) {
            return ILLEGAL;
        }
        if (this == UNKNOWN || other == UNKNOWN) {
            return UNKNOWN;
        }
        return OK;
    }
}
