package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product's proof, in CI: a short {@code kv test} run (3 nodes, kills and partitions, registers
 * and sets) with the configuration that promises every property, n=3 r=2 w=2 without sloppy quorums
 * and with synchronous read repair. It fails when a promised property was violated, when a verdict
 * is unknown, or when a verdict rests on too little activity. Convergence is judged twice: by hinted
 * handoff and anti-entropy alone before the harness reads anything, and after its final reads. Then
 * the report is opened in headless Chromium.
 */
class FaultInjectionIT {

    @Test
    void aShortRunUnderKillsAndPartitionsKeepsEveryPromiseAndReportsIt() throws Exception {
        KvTestRun.requirePartitions();
        KvTestRun run = KvTestRun.run("kv-test-ci", Duration.ofMinutes(5),
                "--nodes", "3", "--n", "3", "--r", "2", "--w", "2", "--sloppy", "false", "--read-repair", "sync",
                "--conflicts", "siblings", "--workload", "mixed", "--nemesis", "kill,partition",
                "--time-limit", "40s", "--fault-seconds", "4-8", "--heal-seconds", "3-6", "--quiet-period", "3s",
                "--seed", "7", "--http-port", "17570");

        assertThat(run.exitCode).as("%s", run).isZero();
        assertThat(run.lastLine()).isEqualTo("kv test verdict: OK, run directory: " + run.dir);
        JsonNode results = run.results();
        assertThat(results.path("verdict").asText()).isEqualTo("OK");
        for (String checker : List.of("linearizability", "sessions", "lost-writes", "convergence",
                "convergence-after-final-reads")) {
            JsonNode c = run.checker(checker);
            assertThat(c.path("promised").asBoolean()).as("%s promised", checker).isTrue();
            assertThat(c.path("verdict").asText()).as("%s: %s", checker, c.path("summary").asText()).isEqualTo("OK");
        }
        assertThat(run.checker("lost-writes").path("acknowledged").asInt()).isGreaterThan(100);
        RunActivity.registersChecked(run, 300, 3, 30);
        RunActivity.sessionsChecked(run, 100);
        RunActivity.convergenceChecked(run, 3);
        assertThat(run.faults()).anyMatch(f -> f.startsWith("kill n"));
        assertThat(run.faults()).anyMatch(f -> f.startsWith("partition "));
        assertThat(KvTestRun.iptablesRules()).as("every rule of the run is gone").doesNotContain("ringkv-17570");
        for (String file : List.of("history.jsonl", "nemesis.log", "report.html", "nodes/n1/node.log",
                "nodes/n2/node.log", "nodes/n3/node.log")) {
            assertThat(run.dir.resolve(file)).isNotEmptyFile();
        }

        String dom = Chromium.dumpDom(run.dir.resolve("report.html"), Files.createDirectories(run.dir.resolve("chromium")));
        assertThat(dom).contains("data-rendered=\"true\"").contains("Rendered 2 charts and timelines.");
        assertThat(dom).contains("every promised property held")
                .contains("<td>linearizability</td><td><span class=\"verdict ok\">OK</span></td>")
                .contains("<td>lost-writes</td><td><span class=\"verdict ok\">OK</span></td>")
                .contains("<td>convergence</td><td><span class=\"verdict ok\">OK</span></td>");
        assertThat(dom).as("latency points with the fault windows shaded and named").contains("id=\"latency-chart\"")
                .contains("<circle").contains("class=\"fault\"").contains("kill n");
    }
}
