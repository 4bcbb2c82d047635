package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checker catches real data loss: the set workload, concurrent writers on two keys, under
 * partitions. With last-writer-wins, concurrent read-merge-writes overwrite each other and
 * acknowledged adds vanish, and the run reports them (as a property that mode does not promise);
 * the same run with siblings loses none.
 */
class LostWritesIT {

    private static String[] args(String conflicts, int port) {
        return new String[] {"--conflicts", conflicts, "--workload", "set", "--nemesis", "partition",
                "--keys", "2", "--concurrency", "8", "--rate", "40", "--time-limit", "20s", "--fault-seconds", "4-6",
                "--heal-seconds", "2-4", "--quiet-period", "3s", "--seed", "3", "--http-port", String.valueOf(port)};
    }

    @Test
    void lastWriterWinsLosesAcknowledgedAddsThatSiblingsKeep() throws Exception {
        KvTestRun.requirePartitions();

        KvTestRun lww = KvTestRun.run("kv-test-lww", Duration.ofMinutes(4), args("lww", 17670));
        JsonNode lost = lww.checker("lost-writes");
        assertThat(lost.path("verdict").asText()).as("%s", lww).isEqualTo("ILLEGAL");
        assertThat(lost.path("lost").asInt()).isPositive();
        assertThat(lost.path("unexpected").asInt()).as("nothing appears that was never written").isZero();
        assertThat(lost.path("promised").asBoolean()).isFalse();
        assertThat(lww.exitCode).as("lww does not promise lost-writes: %s", lww).isZero();
        assertThat(lww.output).contains("not promised and violated, as the configuration allows: lost-writes");

        KvTestRun siblings = KvTestRun.run("kv-test-siblings", Duration.ofMinutes(4), args("siblings", 17680));
        JsonNode kept = siblings.checker("lost-writes");
        assertThat(kept.path("verdict").asText()).as("%s", siblings).isEqualTo("OK");
        assertThat(kept.path("lost").asInt()).isZero();
        assertThat(kept.path("acknowledged").asInt()).isGreaterThan(100);
        assertThat(kept.path("promised").asBoolean()).isTrue();
        assertThat(siblings.exitCode).as("%s", siblings).isZero();
    }
}
