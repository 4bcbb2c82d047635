package io.ringkv.checker;

/**
 * What every checker reports, so that a run's report and {@code results.json} can list them
 * without knowing each checker.
 */
public interface CheckerResult {

    /** A short stable name of the checker, for example {@code "linearizability"}. */
    String checker();

    /** The checker's verdict. */
    Verdict verdict();

    /** One human-readable line: the verdict's reason and the counts that matter. */
    String summary();
}
