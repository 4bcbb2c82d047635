package io.ringkv.checker.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.CheckerResult;
import io.ringkv.checker.Histories;
import io.ringkv.checker.Verdict;
import io.ringkv.checker.history.History;
import io.ringkv.checker.linearizability.LinearizabilityChecker;
import io.ringkv.checker.model.RegisterModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    @TempDir
    Path dir;

    @Test
    void theReportIsOneSelfContainedFileWithTheVerdicts() throws IOException {
        History h = ReportFixtures.history();
        List<CheckerResult> results = ReportFixtures.results(h);
        Path file = dir.resolve("report.html");
        HtmlReport.write(file, "run 7", h, results);
        String html = Files.readString(file);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<title>run 7</title>")
                .contains("<td>linearizability</td><td><span class=\"verdict illegal\">ILLEGAL</span></td>")
                .contains("<td>lost-writes</td><td><span class=\"verdict ok\">OK</span></td>")
                .contains("<td>convergence</td>").contains("<td>sessions</td>")
                .contains("id=\"latency-chart\"").contains("\"fault\":\"kill n2\"");
        assertThat(html).as("nothing fetched: no external scripts, styles or images")
                .doesNotContain("src=").doesNotContain("href=").doesNotContain("@import").doesNotContain("url(http");
    }

    @Test
    void textFromTheHistoryCannotBreakOutOfThePage() {
        String evil = "</script><script>alert(1)</script>";
        History h = Histories.builder()
                .ok(1, "write", "<b>k</b>", evil, null, 0, 10)
                .ok(2, "read", "<b>k</b>", null, "other", 20, 30)
                .build();
        CheckerResult r = LinearizabilityChecker.check(new RegisterModel(), h, Duration.ofSeconds(5));
        assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
        String html = HtmlReport.render("t", h, List.of(), List.of(r));
        assertThat(html).doesNotContain(evil).doesNotContain("<b>k</b>").contains("&lt;b&gt;k&lt;/b&gt;");
        assertThat(html.indexOf("</script>")).as("the data script element ends where it should")
                .isGreaterThan(html.indexOf("id=\"report-data\""));
    }

    @Test
    void resultsJsonCarriesTheVerdicts() throws IOException {
        History h = ReportFixtures.history();
        Path file = dir.resolve("results.json");
        ResultsJson.write(file, "run 7", ReportFixtures.results(h));
        Map<?, ?> doc = new com.fasterxml.jackson.databind.ObjectMapper().readValue(file.toFile(), Map.class);
        assertThat(doc.get("verdict")).isEqualTo("ILLEGAL");
        List<?> checkers = (List<?>) doc.get("checkers");
        assertThat(checkers.stream().map(c -> (Object) ((Map<?, ?>) c).get("checker")).toList())
                .containsExactly("linearizability", "lost-writes", "convergence", "sessions");
        Map<?, ?> lin = (Map<?, ?>) checkers.get(0);
        Map<?, ?> k1 = (Map<?, ?>) ((List<?>) lin.get("partitions")).stream()
                .filter(p -> "k1".equals(((Map<?, ?>) p).get("partition"))).findFirst().orElseThrow();
        assertThat(k1.get("verdict")).isEqualTo("ILLEGAL");
        assertThat(((Map<?, ?>) k1.get("unplaced")).get("operation")).isEqualTo("read() -> {2-1}");
    }
}
