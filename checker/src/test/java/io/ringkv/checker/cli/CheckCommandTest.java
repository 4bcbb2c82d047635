package io.ringkv.checker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.Histories;
import io.ringkv.checker.SharedData;
import io.ringkv.checker.history.History;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = new CommandLine(new CheckCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private static Path data(String file) {
        return SharedData.porcupineData().resolve(file);
    }

    @Test
    void aJepsenEtcdLogThatIsNotLinearizable() throws IOException {
        Path report = dir.resolve("etcd.html");
        int code = run(data("jepsen/etcd_000.log").toString(), "--format", "jepsen-etcd", "--report", report.toString());
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).startsWith("ILLEGAL: the history is not linearizable (register model)")
                .contains("cannot place read() -> ");
        assertThat(err.toString()).contains("report: " + report.toAbsolutePath());
        assertThat(Files.readString(report)).contains("<span class=\"verdict illegal\">ILLEGAL</span>");
    }

    @Test
    void linearizablePublicHistoriesInBothFormats() {
        assertThat(run(data("jepsen/etcd_002.log").toString(), "--format", "jepsen-etcd", "--no-report")).isZero();
        assertThat(out.toString()).startsWith("OK: 77 operations in 1 partition are linearizable");
        assertThat(run(data("kv/c01-ok.txt").toString(), "--format", "porcupine-kv", "--model", "kv", "--no-report"))
                .isZero();
    }

    @Test
    void theProductsOwnHistoryWithTheDefaultModelAndReportPath() throws IOException {
        Path file = dir.resolve("run-1.jsonl");
        Histories.builder()
                .ok(1, "write", "k1", Map.of("value", "1-1", "seen", List.of()), null, 0, 10)
                .ok(2, "read", "k1", null, Map.of("values", List.of("1-1")), 20, 30)
                .build().writeJsonl(file);
        assertThat(run(file.toString())).isZero();
        assertThat(out.toString()).startsWith("OK: 2 operations in 1 partition are linearizable (mvr model)");
        assertThat(dir.resolve("run-1.html")).exists();
    }

    @Test
    void whenTheBudgetRunsOutTheExitCodeIsTwoAndProgressIsShown() throws IOException {
        Histories h = Histories.builder();
        for (int i = 0; i < 30; i++) {
            h.ok(100 + i, "write", null, i, null, i, 1000 + i);
        }
        Path file = dir.resolve("hard.jsonl");
        h.ok(99, "read", null, null, 12345, 5000, 5010).build().writeJsonl(file);
        int code = run(file.toString(), "--model", "register", "--budget", "2500ms", "--no-report");
        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).startsWith("UNKNOWN: undecided: the time budget of 2500 ms ran out");
        assertThat(err.toString()).contains("checking hard.jsonl: 0/? partitions done");
    }

    @Test
    void badUsageAndUnreadableFilesExitWith64() throws IOException {
        Path file = dir.resolve("broken.jsonl");
        Files.writeString(file, "{\"type\":\"invoke\",\"process\":1,\"f\":\"read\",\"time\":1}\n{\"type\":\"ok\"\n");
        assertThat(run(file.toString())).isEqualTo(64);
        assertThat(err.toString()).contains("broken.jsonl: line 2: not JSON");

        assertThat(run(dir.resolve("missing.jsonl").toString())).isEqualTo(64);
        assertThat(err.toString()).contains("missing.jsonl: no such file");

        assertThat(run(file.toString(), "--model", "queue")).isEqualTo(64);
        assertThat(err.toString()).contains("unknown --model 'queue'");

        assertThat(run(file.toString(), "--format", "edn")).isEqualTo(64);
        assertThat(run(file.toString(), "--budget", "soon")).isEqualTo(64);
        assertThat(run()).as("no history").isEqualTo(64);

        Path wrongModel = dir.resolve("set.jsonl");
        History.of(List.of(io.ringkv.checker.history.Event.invoke(1, "add", "s", "x", 5))).writeJsonl(wrongModel);
        assertThat(run(wrongModel.toString(), "--no-report")).isEqualTo(64);
        assertThat(err.toString()).contains("line 1: process 1 add s at 5: the mvr model knows read, write and delete");
    }

    @Test
    void helpExitsWithZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: check").contains("--model").contains("--format");
    }
}
