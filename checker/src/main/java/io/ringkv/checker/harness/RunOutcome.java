package io.ringkv.checker.harness;

import io.ringkv.checker.Verdict;
import java.nio.file.Path;

/**
 * How a {@code kv test} run ended.
 *
 * @param verdict  OK when every promised property held, ILLEGAL when one was violated, UNKNOWN
 *                 when a verdict is unknown or the run could not do all it was asked
 * @param headline one line explaining the verdict
 * @param dir      the run directory
 */
public record RunOutcome(Verdict verdict, String headline, Path dir) {

    /** The exit code of {@code kv test}: 0 OK, 1 violated, 2 unknown or incomplete. */
    public int exitCode() {
        return switch (verdict) {
            case OK -> 0;
            case ILLEGAL -> 1;
            case UNKNOWN -> 2;
        };
    }
}
