package io.ringkv.checker.nemesis;

import io.ringkv.checker.cluster.NodeProcess;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Who cannot talk to whom during one partition (Jepsen's word): the pairs of nodes whose traffic is
 * dropped, both ways, and a description of the shape.
 *
 * @param description for example {@code "partition bridge n1 | n3 via n2"}
 * @param cuts        the pairs cut apart, each once
 */
public record Grudge(String description, List<Cut> cuts) {

    /** Two nodes that cannot reach each other. */
    public record Cut(NodeProcess a, NodeProcess b) {
    }

    /** The shapes of partition the nemesis chooses from. */
    public enum Shape {
        /** One node alone, the others together. */
        ISOLATE,
        /** A minority apart from a majority. */
        MAJORITY,
        /** Two halves that do not see each other, and one node that sees both (needs three nodes). */
        BRIDGE,
        /** Two random halves. */
        HALVES;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The shapes that make sense for {@code nodes} nodes (none for fewer than two). */
    public static List<Shape> shapesFor(int nodes) {
        if (nodes < 2) {
            return List.of();
        }
        return nodes < 3 ? List.of(Shape.ISOLATE, Shape.HALVES) : List.of(Shape.values());
    }

    /** A grudge of the given shape over {@code nodes}, the nodes chosen with {@code random}. */
    public static Grudge of(Shape shape, List<NodeProcess> nodes, Random random) {
        if (!shapesFor(nodes.size()).contains(shape)) {
            throw new IllegalArgumentException(shape.label() + " needs more than " + nodes.size() + " nodes");
        }
        List<NodeProcess> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, random);
        int size = shuffled.size();
        return switch (shape) {
            case ISOLATE -> split(shape, shuffled.subList(0, 1), shuffled.subList(1, size));
            case MAJORITY -> split(shape, shuffled.subList(0, (size - 1) / 2), shuffled.subList((size - 1) / 2, size));
            case HALVES -> split(shape, shuffled.subList(0, size / 2), shuffled.subList(size / 2, size));
            case BRIDGE -> {
                NodeProcess bridge = shuffled.get(0);
                List<NodeProcess> rest = shuffled.subList(1, size);
                List<NodeProcess> left = sorted(rest.subList(0, rest.size() / 2));
                List<NodeProcess> right = sorted(rest.subList(rest.size() / 2, rest.size()));
                yield new Grudge("partition bridge " + Targets.ids(left) + " | " + Targets.ids(right) + " via "
                        + bridge.id(), cutsBetween(left, right));
            }
        };
    }

    private static Grudge split(Shape shape, List<NodeProcess> a, List<NodeProcess> b) {
        List<NodeProcess> left = sorted(a);
        List<NodeProcess> right = sorted(b);
        return new Grudge("partition " + shape.label() + " " + Targets.ids(left) + " | " + Targets.ids(right),
                cutsBetween(left, right));
    }

    private static List<Cut> cutsBetween(List<NodeProcess> left, List<NodeProcess> right) {
        List<Cut> cuts = new ArrayList<>();
        for (NodeProcess l : left) {
            for (NodeProcess r : right) {
                cuts.add(new Cut(l, r));
            }
        }
        return List.copyOf(cuts);
    }

    private static List<NodeProcess> sorted(List<NodeProcess> nodes) {
        List<NodeProcess> s = new ArrayList<>(nodes);
        s.sort(Comparator.comparing(NodeProcess::id));
        return s;
    }
}
