package io.ringkv.checker.dynamo;

import io.ringkv.checker.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Convergence after faults heal: polling every replica of every key, one replica at a time, must
 * show all replicas of a key holding the same state within a deadline after the heal.
 *
 * <p>A key converged at the earliest sample time from which the latest samples of all its
 * replicas (the nodes that were sampled for it) agree, and go on agreeing to the last sample. A key
 * is OK when it converged within the deadline; ILLEGAL when it converged later, or never while
 * samples span the deadline; UNKNOWN when sampling stopped before the deadline without agreement.
 * Samples taken before the heal are ignored.
 */
public final class ConvergenceChecker {

    /**
     * One poll of one replica.
     *
     * @param time        nanoseconds since the run started, as in the history
     * @param node        the replica polled
     * @param key         the key read
     * @param fingerprint the replica's state of the key (for example its sorted sibling values and
     *                    version vector, hashed); equal strings mean equal states, and a key the
     *                    replica does not hold needs a fingerprint of its own, such as {@code ""}
     */
    public record Sample(long time, String node, String key, String fingerprint) {
        public Sample {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(fingerprint, "fingerprint");
        }
    }

    private ConvergenceChecker() {
    }

    /**
     * @param healTime when the last fault healed, on the samples' clock
     * @param deadline how long after the heal every key must have converged
     */
    public static ConvergenceResult check(List<Sample> samples, long healTime, Duration deadline) {
        Map<String, List<Sample>> byKey = new LinkedHashMap<>();
        samples.stream().filter(s -> s.time() >= healTime).sorted(Comparator.comparingLong(Sample::time))
                .forEach(s -> byKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s));
        List<ConvergenceResult.KeyResult> keys = new ArrayList<>();
        byKey.forEach((key, keySamples) -> keys.add(checkKey(key, keySamples, healTime, deadline.toNanos())));
        return ConvergenceResult.of(keys, deadline);
    }

    private static ConvergenceResult.KeyResult checkKey(String key, List<Sample> samples, long healTime,
                                                        long deadline) {
        int replicas = (int) samples.stream().map(Sample::node).distinct().count();
        Map<String, String> latest = new TreeMap<>();
        Long agreedSince = null;
        for (Sample s : samples) {
            latest.put(s.node(), s.fingerprint());
            boolean agree = latest.size() == replicas && latest.values().stream().distinct().count() == 1;
            if (!agree) {
                agreedSince = null;
            } else if (agreedSince == null) {
                agreedSince = s.time();
            }
        }
        long observed = samples.get(samples.size() - 1).time() - healTime;
        Duration took = agreedSince == null ? null : Duration.ofNanos(agreedSince - healTime);
        Verdict verdict;
        if (took != null) {
            verdict = took.toNanos() <= deadline ? Verdict.OK : Verdict.ILLEGAL;
        } else {
            verdict = observed >= deadline ? Verdict.ILLEGAL : Verdict.UNKNOWN;
        }
        return new ConvergenceResult.KeyResult(key, verdict, took, Duration.ofNanos(observed), Map.copyOf(latest));
    }
}
