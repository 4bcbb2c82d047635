package io.ringkv.checker.dynamo;

import io.ringkv.checker.CheckerResult;
import io.ringkv.checker.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@link ConvergenceChecker} found.
 *
 * @param verdict     combined over the keys
 * @param keys        one result per key
 * @param slowest     the longest time a converged key took after the heal; zero without keys
 * @param deadline    the deadline checked against
 */
public record ConvergenceResult(Verdict verdict, List<KeyResult> keys, Duration slowest, Duration deadline)
        implements CheckerResult {

    /**
     * One key.
     *
     * @param took     how long after the heal its replicas agreed for good; null if they never did
     * @param observed how long after the heal it was sampled
     * @param latest   each replica's last fingerprint
     */
    public record KeyResult(String key, Verdict verdict, Duration took, Duration observed,
                            Map<String, String> latest) {
    }

    static ConvergenceResult of(List<KeyResult> keys, Duration deadline) {
        Verdict verdict = Verdict.OK;
        Duration slowest = Duration.ZERO;
        for (KeyResult k : keys) {
            verdict = verdict.and(k.verdict());
            if (k.took() != null && k.took().compareTo(slowest) > 0) {
                slowest = k.took();
            }
        }
        return new ConvergenceResult(verdict, List.copyOf(keys), slowest, deadline);
    }

    @Override
    public String checker() {
        return "convergence";
    }

    @Override
    public String summary() {
        long converged = keys.stream().filter(k -> k.took() != null).count();
        String s = converged + " of " + keys.size() + " keys converged; slowest after " + slowest.toMillis()
                + " ms (deadline " + deadline.toMillis() + " ms)";
        long late = keys.stream().filter(k -> k.verdict() == Verdict.ILLEGAL).count();
        long unsure = keys.stream().filter(k -> k.verdict() == Verdict.UNKNOWN).count();
        return s + (late > 0 ? "; " + late + " keys did not converge in time" : "")
                + (unsure > 0 ? "; " + unsure + " keys were not sampled up to the deadline" : "");
    }
}
