package io.ringkv.checker.nemesis;

import io.ringkv.checker.cluster.LocalCluster;
import io.ringkv.checker.cluster.NodeProcess;
import java.util.List;
import java.util.Random;

/**
 * Pauses a random minority of the nodes with SIGSTOP and resumes them with SIGCONT on heal. A paused
 * node keeps its sockets open but answers nothing: peers and clients see timeouts, not refusals,
 * which is what a long garbage-collection pause or an overloaded machine looks like.
 */
public final class PauseNemesis implements Nemesis {

    private final LocalCluster cluster;

    public PauseNemesis(LocalCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public NemesisKind kind() {
        return NemesisKind.PAUSE;
    }

    @Override
    public Fault inject(Random random) {
        List<NodeProcess> targets = Targets.minority(random, cluster.nodes());
        for (NodeProcess n : targets) {
            n.pause();
        }
        String description = "pause " + Targets.ids(targets);
        return new Fault() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public void heal() {
                for (NodeProcess n : targets) {
                    n.resume();
                }
            }
        };
    }
}
