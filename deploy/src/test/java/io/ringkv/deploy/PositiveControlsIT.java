package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Positive controls, end to end: configurations that trade a property away must be caught trading it
 * by the checkers, on real node processes under real partitions, with fixed seeds. A checker that
 * cannot turn ILLEGAL on a real cluster proves nothing when it says OK. (Lost writes under
 * last-writer-wins are {@link LostWritesIT}.)
 *
 * <p>Each run also keeps the promises its configuration does make: convergence, both by the system
 * and after the final reads, so a control that fails for another reason does not pass as caught.
 */
class PositiveControlsIT {

    @Test
    void quorumsThatNeedNotOverlapGiveStaleReadsUnderPartition() throws Exception {
        KvTestRun.requirePartitions();
        KvTestRun run = KvTestRun.run("kv-test-r1w1", Duration.ofMinutes(4),
                "--nodes", "3", "--n", "3", "--r", "1", "--w", "1", "--sloppy", "false", "--read-repair", "sync",
                "--workload", "register", "--nemesis", "partition", "--time-limit", "25s", "--fault-seconds", "6-8",
                "--heal-seconds", "2-3", "--quiet-period", "2s", "--seed", "5", "--http-port", "18270");

        assertCaught(run, "linearizability");
        RunActivity.registersChecked(run, 300, 3, 30);
        RunActivity.convergenceChecked(run, 3);
    }

    /**
     * The partition (seed 5: two nodes cut from three) lasts well past the nodes' 5 s failure timeout,
     * so fallbacks on the small side take writes for several seconds that the big side's read quorums
     * do not see; clients, sent to every node in turn, read past their own writes. A partition shorter
     * than the failure timeout gave only a handful of violations.
     */
    @Test
    void sloppyQuorumsLoseSightOfAClientsOwnWritesUnderPartition() throws Exception {
        KvTestRun.requirePartitions();
        KvTestRun run = KvTestRun.run("kv-test-sloppy", Duration.ofMinutes(5),
                "--nodes", "5", "--n", "3", "--r", "2", "--w", "2", "--sloppy", "true", "--read-repair", "sync",
                "--workload", "register", "--nemesis", "partition", "--time-limit", "30s", "--fault-seconds", "12-14",
                "--heal-seconds", "2-3", "--quiet-period", "2s", "--seed", "5", "--http-port", "18370");

        assertCaught(run, "sessions");
        RunActivity.sessionsChecked(run, 100);
        RunActivity.convergenceChecked(run, 3);
    }

    /**
     * Convergence is judged on what the system does alone. With anti-entropy off, a replica killed
     * from the third second to the end of the workload misses writes that nothing repairs before the
     * harness's own reads: the promise is broken (exit 1), and the harness's final reads then bring
     * the replicas together, which the second convergence check shows.
     */
    @Test
    void withoutAntiEntropyAReplicaThatMissedWritesIsCaughtBehind() throws Exception {
        KvTestRun run = KvTestRun.run("kv-test-no-aae", Duration.ofMinutes(4),
                "--sloppy", "false", "--read-repair", "sync", "--workload", "set", "--nemesis", "kill",
                "--time-limit", "20s", "--fault-seconds", "17-17", "--heal-seconds", "3-3", "--quiet-period", "2s",
                "--convergence-timeout", "15s", "--seed", "5", "--http-port", "18670",
                "--node-arg=--aae-concurrency=0");

        JsonNode bySystem = run.checker("convergence");
        assertThat(bySystem.path("verdict").asText()).as("%s", run).isEqualTo("ILLEGAL");
        assertThat(bySystem.path("promised").asBoolean()).isTrue();
        assertThat(run.checker("convergence-after-final-reads").path("verdict").asText()).isEqualTo("OK");
        assertThat(run.checker("lost-writes").path("verdict").asText()).isEqualTo("OK");
        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.output).contains("promised property violated: convergence (");
        RunActivity.convergenceChecked(run, 3);
    }

    /**
     * {@code checker} found a violation, which the configuration does not promise (so the run passes
     * and says so), and every promise the configuration makes held.
     */
    private static void assertCaught(KvTestRun run, String checker) throws Exception {
        JsonNode caught = run.checker(checker);
        assertThat(caught.path("verdict").asText()).as("%s: %s", checker, run).isEqualTo("ILLEGAL");
        assertThat(caught.path("promised").asBoolean()).isFalse();
        assertThat(run.exitCode).as("%s", run).isZero();
        assertThat(run.output.lines().filter(l -> l.contains("not promised and violated, as the configuration allows: ")))
                .as("the run's headline names the violation").singleElement().asString().contains(checker);
        for (JsonNode c : run.results().path("checkers")) {
            if (c.path("promised").asBoolean()) {
                assertThat(c.path("verdict").asText()).as("promised %s: %s", c.path("checker").asText(),
                        c.path("summary").asText()).isEqualTo("OK");
            }
        }
    }
}
