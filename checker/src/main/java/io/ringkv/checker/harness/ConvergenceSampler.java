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
 * The last round starts after the deadline when they never agree, so the checker can tell "did not
 * converge in time" from "stopped looking too early".
 */
final class ConvergenceSampler {

    static final long ROUND_PAUSE_MILLIS = 500;

    private ConvergenceSampler() {
    }

    /**
     * @param replicas      each key's primaries
     * @param deadlineNanos when the keys must have converged, on the recorder's clock
     */
    static List<Sample> sample(ClusterProbe probe, Map<String, List<NodeProcess>> replicas, HistoryRecorder clock,
                               long deadlineNanos) {
        List<Sample> samples = new ArrayList<>();
        // Bounded by time: rounds stop once one starts past the deadline, and each request times out.
        while (true) {
            boolean pastDeadline = clock.now() > deadlineNanos;
            boolean allAgree = true;
            for (Map.Entry<String, List<NodeProcess>> e : replicas.entrySet()) {
                Set<String> states = new HashSet<>();
                int answered = 0;
                for (NodeProcess node : e.getValue()) {
                    Optional<String> fp = probe.fingerprint(node, e.getKey());
                    if (fp.isPresent() && fp.get() != null) {
                        samples.add(new Sample(clock.now(), node.id(), e.getKey(), fp.get()));
                        states.add(fp.get());
                        answered++;
                    }
                }
                allAgree &= answered == e.getValue().size() && states.size() == 1;
            }
            if (allAgree || pastDeadline || !ClusterProbe.sleep(ROUND_PAUSE_MILLIS)) {
                return samples;
            }
        }
    }
}
