package io.ringkv.checker.nemesis;

import io.ringkv.checker.cluster.NodeProcess;
import java.util.List;
import java.util.Random;

/**
 * Cuts the network between groups of nodes with iptables rules: one node isolated, a minority
 * apart from a majority, a bridge (two halves that share one node), or random halves, chosen at
 * random. Healing removes every rule; the nodes' membership notices the partition after its
 * failure timeout and merges the split clusters again a few seconds after the heal.
 */
public final class PartitionNemesis implements Nemesis {

    private final Iptables iptables;
    private final List<NodeProcess> nodes;

    /** @param iptables installed rules of this run */
    public PartitionNemesis(Iptables iptables, List<NodeProcess> nodes) {
        if (Grudge.shapesFor(nodes.size()).isEmpty()) {
            throw new IllegalArgumentException("a partition needs at least two nodes");
        }
        this.iptables = iptables;
        this.nodes = List.copyOf(nodes);
    }

    @Override
    public NemesisKind kind() {
        return NemesisKind.PARTITION;
    }

    @Override
    public Fault inject(Random random) {
        List<Grudge.Shape> shapes = Grudge.shapesFor(nodes.size());
        Grudge grudge = Grudge.of(shapes.get(random.nextInt(shapes.size())), nodes, random);
        try {
            for (Grudge.Cut cut : grudge.cuts()) {
                iptables.cut(cut.a().host(), cut.b().host());
            }
        } catch (NemesisException e) {
            // Never leave half a partition behind.
            iptables.heal();
            throw e;
        }
        return new Fault() {
            @Override
            public String description() {
                return grudge.description();
            }

            @Override
            public void heal() {
                iptables.heal();
            }
        };
    }
}
