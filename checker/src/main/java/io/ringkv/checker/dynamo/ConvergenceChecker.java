package io.ringkv.checker.dynamo;

import io.ringkv.checker.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Convergence after faults heal: polling every primary replica of every key, one replica at a
 * time, must show all of a key's primaries holding the same state within a deadline.
 *
 * <p>The checker is told which replicas each key has, and judges every one of them: a primary that
 * did not answer a poll is a sample that disagrees with everything (a silent replica is not a
 * converged one), and a key that was never sampled is UNKNOWN, never quietly dropped.
 *
 * <p>Writes can also wait outside the primaries: a fallback holds a hint until it hands it off. So
 * the checker may be given, besides the key samples, polls of how many hints each node holds; then
 * nothing has converged while any node holds a hint or did not say how many it holds.
 *
 * <p>A key converged at the earliest sample time from which the latest samples of all its replicas
 * are answers that agree (and no node holds a hint), and go on doing so to the last sample. A key is OK when it converged
 * within the deadline; ILLEGAL when it converged later, or never while samples span the deadline;
 * UNKNOWN when sampling stopped before the deadline without agreement, or never looked at it.
 * Samples taken before {@code since} are ignored. A check of no keys at all is UNKNOWN: a checker
 * that looked at nothing has shown nothing.
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
     *                    replica does not hold needs a fingerprint of its own, such as {@code ""};
     *                    null when the replica did not answer
     */
    public record Sample(long time, String node, String key, String fingerprint) {
        public Sample {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(key, "key");
        }

        /** A poll the replica did not answer (down, paused, cut off, or an error). */
        public static Sample noAnswer(long time, String node, String key) {
            return new Sample(time, node, key, null);
        }

        public boolean answered() {
            return fingerprint != null;
        }
    }

    /**
     * One poll of how many hints a node holds for other nodes.
     *
     * @param held the count, or null when the node did not answer
     */
    public record HintSample(long time, String node, Long held) {
        public HintSample {
            Objects.requireNonNull(node, "node");
        }
    }

    private ConvergenceChecker() {
    }

    /** {@link #check(String, Map, List, List, long, Duration)} without hint polls: the primaries alone decide. */
    public static ConvergenceResult check(String name, Map<String, List<String>> replicas, List<Sample> samples,
                                          long since, Duration deadline) {
        return check(name, replicas, samples, List.of(), since, deadline);
    }

    /**
     * @param name     the result's checker name (a run checks convergence more than once)
     * @param replicas every key to judge, with the replicas that must agree on it
     * @param hints    polls of the hints every node holds; empty when hints are not considered
     * @param since    when the phase being judged began (the heal), on the samples' clock
     * @param deadline how long after {@code since} every key must have converged
     */
    public static ConvergenceResult check(String name, Map<String, List<String>> replicas, List<Sample> samples,
                                          List<HintSample> hints, long since, Duration deadline) {
        Map<String, List<Sample>> byKey = new HashMap<>();
        samples.stream().filter(s -> s.time() >= since).sorted(Comparator.comparingLong(Sample::time))
                .forEach(s -> byKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s));
        List<HintSample> hintPolls = hints.stream().filter(h -> h.time() >= since)
                .sorted(Comparator.comparingLong(HintSample::time)).toList();
        List<ConvergenceResult.KeyResult> keys = new ArrayList<>();
        replicas.forEach((key, nodes) -> keys.add(checkKey(key, nodes, byKey.getOrDefault(key, List.of()), hintPolls,
                since, deadline.toNanos())));
        return ConvergenceResult.of(name, keys, deadline);
    }

    private static ConvergenceResult.KeyResult checkKey(String key, List<String> replicas, List<Sample> samples,
                                                        List<HintSample> hints, long since, long deadline) {
        if (samples.isEmpty()) {
            return new ConvergenceResult.KeyResult(key, Verdict.UNKNOWN, null, Duration.ZERO, Map.of());
        }
        // Every replica starts unheard: agreement needs an answer from each of them.
        Map<String, String> latest = new LinkedHashMap<>();
        replicas.forEach(node -> latest.put(node, null));
        // Every node polled for hints starts unheard too; nodes never polled are not known to exist.
        Map<String, Long> held = new HashMap<>();
        hints.forEach(h -> held.put(h.node(), null));
        Long agreedSince = null;
        int nextHint = 0;
        for (Sample s : samples) {
            for (; nextHint < hints.size() && hints.get(nextHint).time() <= s.time(); nextHint++) {
                held.put(hints.get(nextHint).node(), hints.get(nextHint).held());
            }
            if (latest.containsKey(s.node())) {
                latest.put(s.node(), s.fingerprint());
            }
            if (!agree(latest) || !held.values().stream().allMatch(h -> h != null && h == 0)) {
                agreedSince = null;
            } else if (agreedSince == null) {
                agreedSince = s.time();
            }
        }
        long observed = samples.get(samples.size() - 1).time() - since;
        Duration took = agreedSince == null ? null : Duration.ofNanos(agreedSince - since);
        Verdict verdict;
        if (took != null) {
            verdict = took.toNanos() <= deadline ? Verdict.OK : Verdict.ILLEGAL;
        } else {
            verdict = observed >= deadline ? Verdict.ILLEGAL : Verdict.UNKNOWN;
        }
        Map<String, String> shown = new LinkedHashMap<>();
        latest.forEach((node, fp) -> shown.put(node, fp == null ? "(no answer)" : fp));
        return new ConvergenceResult.KeyResult(key, verdict, took, Duration.ofNanos(observed), shown);
    }

    private static boolean agree(Map<String, String> latest) {
        if (latest.isEmpty()) {
            return false;
        }
        String first = null;
        for (String fp : latest.values()) {
            if (fp == null || (first != null && !first.equals(fp))) {
                return false;
            }
            first = fp;
        }
        return true;
    }
}
