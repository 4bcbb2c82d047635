package io.ringkv.checker.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.ringkv.checker.history.History;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a report in headless Chromium, the way a person opens it from disk, and checks the page
 * after its script ran. Without Chromium the test is skipped loudly, unless RINGKV_REQUIRE_CHROMIUM
 * is set (as CI does), when it fails.
 */
class ChromiumReportTest {

    private static final long TIMEOUT_SECONDS = 90;

    @TempDir
    Path dir;

    @Test
    void theRenderedPageShowsTheVerdictsChartsAndTheFailingRegion() throws Exception {
        Path chromium = chromium().orElse(null);
        if (chromium == null) {
            String message = "headless Chromium is not installed (apt-get install -y chromium): the report was not "
                    + "rendered in a browser";
            if (System.getenv("RINGKV_REQUIRE_CHROMIUM") != null) {
                fail(message + ", and RINGKV_REQUIRE_CHROMIUM is set");
            }
            System.err.println("\n*** SKIPPED: " + message + " ***\n");
            Assumptions.abort(message);
        }
        History h = ReportFixtures.history();
        Path report = dir.resolve("report.html");
        HtmlReport.write(report, "chromium check", h, ReportFixtures.results(h));

        String dom = dumpDom(chromium, report);

        assertThat(dom).contains("data-rendered=\"true\"").contains("Rendered 3 charts and timelines.");
        assertThat(dom).contains("<span class=\"verdict illegal\">ILLEGAL</span>")
                .contains("<td>lost-writes</td><td><span class=\"verdict ok\">OK</span></td>")
                .contains("<td>convergence</td><td><span class=\"verdict ok\">OK</span></td>")
                .contains("<td>sessions</td><td><span class=\"verdict ok\">OK</span></td>");
        assertThat(dom).as("latency points and fault shading").contains("<circle").contains("kill n2");
        assertThat(dom).as("the timeline highlights the operation that cannot be placed")
                .contains("class=\"failing\"").contains("class=\"op unplaced\"").contains("read() -&gt; {2-1}");
    }

    private String dumpDom(Path chromium, Path report) throws IOException, InterruptedException {
        Path out = dir.resolve("dom.html");
        Path err = dir.resolve("chromium.log");
        Process p = new ProcessBuilder(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(dir, "profile"), "--dump-dom",
                report.toUri().toString()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("chromium did not finish within " + TIMEOUT_SECONDS + " s; its log:\n" + Files.readString(err));
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as("chromium exit code; log:\n%s", Files.readString(err)).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static Optional<Path> chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
