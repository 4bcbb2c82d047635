package io.ringkv.checker.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.cluster.NodeProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GrudgeTest {

    static List<NodeProcess> nodes(int count) {
        List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            nodes.add(new NodeProcess("n" + i, "127.0.0." + i, 7570, 7571, 7572, Path.of("n" + i), List.of("true")));
        }
        return nodes;
    }

    @Test
    void isolatingOneOfThreeCutsItFromBothOthers() {
        Grudge g = Grudge.of(Grudge.Shape.ISOLATE, nodes(3), new Random(1));
        assertThat(g.cuts()).hasSize(2);
        assertThat(g.description()).startsWith("partition isolate ");
    }

    @Test
    void aBridgeNodeKeepsTalkingToBothHalves() {
        Grudge g = Grudge.of(Grudge.Shape.BRIDGE, nodes(5), new Random(7));
        String bridge = g.description().substring(g.description().lastIndexOf(' ') + 1);
        assertThat(g.cuts()).hasSize(4);
        assertThat(g.cuts()).noneMatch(c -> c.a().id().equals(bridge) || c.b().id().equals(bridge));
    }

    @Test
    void twoNodesCannotFormABridge() {
        assertThat(Grudge.shapesFor(2)).doesNotContain(Grudge.Shape.BRIDGE);
        assertThat(Grudge.shapesFor(1)).isEmpty();
    }

    @Property(tries = 200)
    void everyShapeSplitsTheNodesIntoGroupsThatCannotTalk(@ForAll @IntRange(min = 2, max = 9) int count,
                                                          @ForAll long seed) {
        for (Grudge.Shape shape : Grudge.shapesFor(count)) {
            Grudge g = Grudge.of(shape, nodes(count), new Random(seed));
            assertThat(g.cuts()).isNotEmpty();
            Set<String> pairs = new HashSet<>();
            for (Grudge.Cut c : g.cuts()) {
                assertThat(c.a()).isNotEqualTo(c.b());
                assertThat(pairs.add(c.a().id() + "|" + c.b().id()) && pairs.add(c.b().id() + "|" + c.a().id()))
                        .as("each pair once").isTrue();
            }
            if (shape != Grudge.Shape.BRIDGE) {
                // Two complete groups: |A| * |B| cuts with |A| + |B| = count.
                long a = g.cuts().stream().map(c -> c.a().id()).distinct().count();
                long b = g.cuts().stream().map(c -> c.b().id()).distinct().count();
                assertThat(a + b).isEqualTo(count);
                assertThat(g.cuts()).hasSize((int) (a * b));
            }
        }
    }
}
