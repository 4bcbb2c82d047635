package io.ringkv.checker.harness;

import io.ringkv.checker.CheckerResult;
import io.ringkv.checker.Verdict;

/**
 * A property the run could not check (the cluster never started, the ring could not be read):
 * UNKNOWN, with the reason.
 */
record Unchecked(String checker, String summary) implements CheckerResult {

    @Override
    public Verdict verdict() {
        return Verdict.UNKNOWN;
    }
}
