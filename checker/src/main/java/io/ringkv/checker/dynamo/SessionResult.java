package io.ringkv.checker.dynamo;

import io.ringkv.checker.CheckerResult;
import io.ringkv.checker.Verdict;
import io.ringkv.checker.history.Operation;
import java.util.List;

/**
 * What {@link SessionChecker} found.
 *
 * @param verdict    ILLEGAL with any violation, else UNKNOWN when no read had a value to keep seeing, else OK
 * @param sessions   (process, key) pairs with a completed operation
 * @param reads      completed reads that had a value to keep seeing (the only ones a guarantee can fail)
 * @param violations each value a read should have shown and did not
 */
public record SessionResult(Verdict verdict, int sessions, int reads, List<Violation> violations)
        implements CheckerResult {

    /**
     * A read that lost sight of a value.
     *
     * @param guarantee {@code read-your-writes} or {@code monotonic-reads}
     * @param missing   the value it should have shown (or shown something superseding)
     * @param read      the read
     * @param because   the write or earlier read that made the value required
     */
    public record Violation(String guarantee, int process, String key, String missing, Operation read,
                            Operation because) {
    }

    @Override
    public String checker() {
        return "sessions";
    }

    public long count(String guarantee) {
        return violations.stream().filter(v -> v.guarantee().equals(guarantee)).count();
    }

    @Override
    public String summary() {
        if (reads == 0) {
            return "no read had a value to keep seeing in " + sessions + " sessions: nothing was checked";
        }
        return reads + " reads checked in " + sessions + " sessions; read-your-writes violations " + count("read-your-writes")
                + ", monotonic-reads violations " + count("monotonic-reads");
    }
}
