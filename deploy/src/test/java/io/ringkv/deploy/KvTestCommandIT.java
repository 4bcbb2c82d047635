package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code kv test} does when it cannot do what it was asked, and its cleanup. */
class KvTestCommandIT {

    @Test
    void partitionsThatCannotBeInjectedAreSkippedLoudlyAndTheVerdictIsUnknown() throws Exception {
        KvTestRun run = KvTestRun.run("kv-test-skip", Duration.ofMinutes(3), "--nemesis", "partition",
                "--iptables", "/nonexistent/iptables", "--workload", "register", "--time-limit", "4s",
                "--quiet-period", "1s", "--seed", "11", "--http-port", "17770");

        assertThat(run.exitCode).as("%s", run).isEqualTo(2);
        assertThat(run.output).contains("*** partition nemesis SKIPPED: no usable /nonexistent/iptables command");
        assertThat(run.lastLine()).isEqualTo("kv test verdict: UNKNOWN, run directory: " + run.dir);
        JsonNode results = run.results();
        assertThat(results.path("verdict").asText()).isEqualTo("UNKNOWN");
        assertThat(results.path("warnings").toString()).contains("partition nemesis SKIPPED");
        assertThat(results.path("problems").toString()).contains("partition faults were requested but skipped");
        assertThat(Files.readString(run.dir.resolve("report.html"))).contains("partition nemesis SKIPPED");
        assertThat(run.faults()).isEmpty();
    }

    @Test
    void cleanupRemovesTheRulesAKilledRunLeftBehind() throws Exception {
        KvTestRun.requirePartitions();
        String chain = "ringkv-17999";
        for (List<String> cmd : List.of(List.of("-N", chain),
                List.of("-A", chain, "-s", "127.0.0.8", "-d", "127.0.0.9", "-j", "DROP"),
                List.of("-I", "INPUT", "1", "-j", chain))) {
            Process p = new ProcessBuilder(concat(List.of("iptables", "-w", "10"), cmd)).inheritIO().start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as("iptables %s", cmd).isTrue();
        }
        assertThat(KvTestRun.iptablesRules()).contains(chain);

        KvTestRun cleanup = KvTestRun.command("--cleanup");

        assertThat(cleanup.exitCode).as("%s", cleanup).isZero();
        assertThat(cleanup.output).contains("removed the iptables chains").contains(chain);
        assertThat(KvTestRun.iptablesRules()).doesNotContain(chain);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
