package io.ringkv.checker.harness;

import io.ringkv.checker.cluster.NodeProcess;
import io.ringkv.checker.dynamo.ConvergenceChecker.Sample;
import io.ringkv.checker.workload.HistoryRecorder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Polls every primary replica of every key, one node's own state at a time, until the replicas of
 * every key agree or the deadline has passed: the samples the {@code ConvergenceChecker} judges.
 * A primary that does not answer is recorded as such, never skipped. The last round starts after
 * the deadline when they never agree, so the checker can tell "did not converge in time" from
 * "stopped looking too early".
 */
final class ConvergenceSampler {

    static final long ROUND_PAUSE_MILLIS = 500;

    /**
     * The samples of one phase.
     *
     * @param replicas each key's primaries, by node id: what must agree
     * @param samples  every poll, answered or not
     * @param since    when the phase began, on the recorder's clock
     */
    record Phase(Map<String, List<String>> replicas, List<Sample> samples, long since) {
    }

    private ConvergenceSampler() {
    }

    /**
     * @param replicas      each key's primaries, by node id
     * @param nodes         the cluster's nodes by id; a primary not among them never answers
     * @param since         when the phase began, on the recorder's clock
     * @param deadlineNanos when the keys must have converged, on the recorder's clock
     */
    static Phase sample(ClusterProbe probe, Map<String, List<String>> replicas, Map<String, NodeProcess> nodes,
                        HistoryRecorder clock, long since, long deadlineNanos) {
        List<Sample> samples = new ArrayList<>();
        // Bounded by time: rounds stop once one starts past the deadline, and each request times out.
        while (true) {
            boolean pastDeadline = clock.now() > deadlineNanos;
            boolean allAgree = true;
            for (Map.Entry<String, List<String>> e : replicas.entrySet()) {
                Set<String> states = new HashSet<>();
                boolean allAnswered = true;
                for (String id : e.getValue()) {
                    NodeProcess node = nodes.get(id);
                    Optional<String> fp = node == null ? Optional.empty() : probe.fingerprint(node, e.getKey());
                    samples.add(new Sample(clock.now(), id, e.getKey(), fp.orElse(null)));
                    fp.ifPresent(states::add);
                    allAnswered &= fp.isPresent();
                }
                allAgree &= allAnswered && states.size() == 1;
            }
            if (allAgree || pastDeadline || !ClusterProbe.sleep(ROUND_PAUSE_MILLIS)) {
                return new Phase(replicas, samples, since);
            }
        }
    }
}
