package io.ringkv.checker.nemesis;

/**
 * A fault that a {@link Nemesis} injected and that is still in effect until {@link #heal()}.
 */
public interface Fault {

    /** What the fault is, for the history, the nemesis log and the report: {@code "kill n2"}. */
    String description();

    /**
     * Undoes the fault: restarts killed nodes, resumes paused ones, removes partition rules.
     * Idempotent. Returns once the fault is gone (a restarted node is healthy again).
     *
     * @throws NemesisException when the fault could not be undone (a restarted node never became
     *                          healthy); the run cannot go on as if it had healed
     */
    void heal();
}
