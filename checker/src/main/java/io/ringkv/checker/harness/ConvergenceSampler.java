package io.ringkv.checker.harness;

import io.ringkv.checker.cluster.NodeProcess;
import io.ringkv.checker.dynamo.ConvergenceChecker.HintSample;
import io.ringkv.checker.dynamo.ConvergenceChecker.Sample;
import io.ringkv.checker.workload.HistoryRecorder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Polls, in rounds, how many hints every node holds and every primary replica of every key, one
 * node's own state at a time, until two rounds in a row find the replicas of every key agreeing and
 * no hint held anywhere, or the deadline has passed: the samples the {@code ConvergenceChecker}
 * judges. A node that does not answer is recorded as such, never skipped. The last round starts
 * after the deadline when they never agree, so the checker can tell "did not converge in time" from
 * "stopped looking too early".
 */
final class ConvergenceSampler {

    static final long ROUND_PAUSE_MILLIS = 500;
    /** Rounds in a row that must find everything converged: one could catch a moment between two changes. */
    static final int SETTLED_ROUNDS = 2;

    /**
     * The samples of one phase.
     *
     * @param replicas each key's primaries, by node id: what must agree
     * @param samples  every poll of a key, answered or not
     * @param hints    every poll of a node's hints, answered or not
     * @param since    when the phase began, on the recorder's clock
     */
    record Phase(Map<String, List<String>> replicas, List<Sample> samples, List<HintSample> hints, long since) {
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
        List<HintSample> hints = new ArrayList<>();
        int settled = 0;
        // Bounded by time: rounds stop once one starts past the deadline, and each request times out.
        while (true) {
            boolean pastDeadline = clock.now() > deadlineNanos;
            boolean allAgree = true;
            for (NodeProcess node : nodes.values()) {
                Optional<Long> held = probe.hintsHeld(node);
                hints.add(new HintSample(clock.now(), node.id(), held.orElse(null)));
                allAgree &= held.isPresent() && held.get() == 0;
            }
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
            settled = allAgree ? settled + 1 : 0;
            if (settled >= SETTLED_ROUNDS || pastDeadline || !ClusterProbe.sleep(ROUND_PAUSE_MILLIS)) {
                return new Phase(replicas, samples, hints, since);
            }
        }
    }
}
