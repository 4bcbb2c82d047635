package io.ringkv.checker.history;

/**
 * A client operation: an invocation paired with its completion.
 *
 * @param id           position among the history's operations, in invocation order (0, 1, ...)
 * @param process      the client (process) id
 * @param f            the function
 * @param key          the key, or null
 * @param input        the invocation's value
 * @param output       the completion's value (meaningful for {@link Outcome#OK} only)
 * @param outcome      how it ended
 * @param invokeTime   when it was invoked
 * @param completeTime when its completion was recorded; {@link Long#MAX_VALUE} if the history
 *                     ended first. For {@link Outcome#INFO} this is only when the client gave up:
 *                     checkers use {@link #linearizationDeadline()}
 * @param line         the 1-based line of the invocation in the file it was read from, or 0
 */
public record Operation(int id, int process, String f, String key, Object input, Object output,
                        Outcome outcome, long invokeTime, long completeTime, int line) {

    /**
     * The latest time the operation can have taken effect: its completion time when OK, infinity
     * (Long.MAX_VALUE) when its outcome is unknown.
     */
    public long linearizationDeadline() {
        return outcome == Outcome.INFO ? Long.MAX_VALUE : completeTime;
    }

    /** Where the operation came from, for error messages. */
    public String where() {
        return (line > 0 ? "line " + line + ": " : "") + "process " + process + " " + f
                + (key == null ? "" : " " + key) + " at " + invokeTime;
    }
}
