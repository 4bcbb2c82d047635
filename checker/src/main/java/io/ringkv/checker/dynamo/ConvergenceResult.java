package io.ringkv.checker.dynamo;

import io.ringkv.checker.CheckerResult;
import io.ringkv.checker.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@link ConvergenceChecker} found.
 *
 * @param checker  the name of this check (a run checks convergence before and after its own repairs)
 * @param verdict  combined over the keys; UNKNOWN without keys
 * @param keys     one result per key
 * @param slowest  the longest time a converged key took; zero without keys
 * @param deadline the deadline checked against
 */
public record ConvergenceResult(String checker, Verdict verdict, List<KeyResult> keys, Duration slowest,
                                Duration deadline) implements CheckerResult {

    /**
     * One key.
     *
     * @param took     how long after the phase began its replicas agreed for good; null if they never did
     * @param observed how long after the phase began it was last sampled
     * @param latest   each replica's last fingerprint, {@code (no answer)} for a replica that did not answer
     */
    public record KeyResult(String key, Verdict verdict, Duration took, Duration observed,
                            Map<String, String> latest) {
    }

    static ConvergenceResult of(String checker, List<KeyResult> keys, Duration deadline) {
        Verdict verdict = keys.isEmpty() ? Verdict.UNKNOWN : Verdict.OK;
        Duration slowest = Duration.ZERO;
        for (KeyResult k : keys) {
            verdict = verdict.and(k.verdict());
            if (k.took() != null && k.took().compareTo(slowest) > 0) {
                slowest = k.took();
            }
        }
        return new ConvergenceResult(checker, verdict, List.copyOf(keys), slowest, deadline);
    }

    @Override
    public String summary() {
        if (keys.isEmpty()) {
            return "no keys to check: nothing was shown to converge";
        }
        long converged = keys.stream().filter(k -> k.took() != null).count();
        String s = converged + " of " + keys.size() + " keys converged; slowest after " + slowest.toMillis()
                + " ms (deadline " + deadline.toMillis() + " ms)";
        long late = keys.stream().filter(k -> k.verdict() == Verdict.ILLEGAL).count();
        long unsure = keys.stream().filter(k -> k.verdict() == Verdict.UNKNOWN).count();
        return s + (late > 0 ? "; " + late + " keys did not converge in time" : "")
                + (unsure > 0 ? "; " + unsure + " keys were not sampled up to the deadline" : "");
    }
}
