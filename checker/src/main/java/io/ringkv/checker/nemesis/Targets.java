package io.ringkv.checker.nemesis;

import io.ringkv.checker.cluster.NodeProcess;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** Choices of nodes for process faults. */
final class Targets {

    private Targets() {
    }

    /**
     * A random non-empty minority of the nodes (one node of three, one or two of five): the
     * majority keeps serving, which is where quorum behaviour is interesting.
     */
    static List<NodeProcess> minority(Random random, List<NodeProcess> nodes) {
        int max = Math.max(1, (nodes.size() - 1) / 2);
        int count = 1 + random.nextInt(max);
        List<NodeProcess> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, random);
        List<NodeProcess> chosen = new ArrayList<>(shuffled.subList(0, count));
        chosen.sort(Comparator.comparing(NodeProcess::id));
        return chosen;
    }

    static String ids(List<NodeProcess> nodes) {
        return String.join(" ", nodes.stream().map(NodeProcess::id).toList());
    }
}
