package io.ringkv.checker.nemesis;

import io.ringkv.checker.cluster.LocalCluster;
import io.ringkv.checker.cluster.NodeProcess;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Kills a random minority of the nodes with SIGKILL (no shutdown, no flush) and, on heal, restarts
 * them on the same data directories and waits until they are back in the ring. What an acknowledged
 * write promised must survive this: the replicas that acknowledged it had it in their write-ahead log.
 */
public final class KillNemesis implements Nemesis {

    private final LocalCluster cluster;
    private final Duration restartTimeout;

    /** @param restartTimeout how long a restarted node may take to be healthy again */
    public KillNemesis(LocalCluster cluster, Duration restartTimeout) {
        this.cluster = cluster;
        this.restartTimeout = restartTimeout;
    }

    @Override
    public NemesisKind kind() {
        return NemesisKind.KILL;
    }

    @Override
    public Fault inject(Random random) {
        List<NodeProcess> targets = Targets.minority(random, cluster.nodes());
        for (NodeProcess n : targets) {
            n.kill();
        }
        String description = "kill " + Targets.ids(targets);
        return new Fault() {
            private boolean healed;

            @Override
            public String description() {
                return description;
            }

            @Override
            public synchronized void heal() {
                if (healed) {
                    return;
                }
                for (NodeProcess n : targets) {
                    if (!n.isAlive()) {
                        n.start();
                    }
                }
                try {
                    cluster.awaitHealthy(targets, cluster.nodes().size(), restartTimeout, msg -> { });
                } catch (IllegalStateException e) {
                    throw new NemesisException("after " + description + ", a restarted node did not become healthy: "
                            + e.getMessage(), e);
                }
                healed = true;
            }
        };
    }
}
