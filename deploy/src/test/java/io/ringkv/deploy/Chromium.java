package io.ringkv.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Opens a page in headless Chromium, the way a person opens a report from disk, and returns the DOM
 * after its scripts ran. Without Chromium the calling test is skipped loudly, unless
 * RINGKV_REQUIRE_CHROMIUM is set (as CI does), when it fails.
 */
final class Chromium {

    private static final long TIMEOUT_SECONDS = 90;

    private Chromium() {
    }

    static String dumpDom(Path page, Path workDir) throws IOException, InterruptedException {
        Path chromium = find().orElse(null);
        if (chromium == null) {
            String message = "headless Chromium is not installed (apt-get install -y chromium): the report was not "
                    + "rendered in a browser";
            if (System.getenv("RINGKV_REQUIRE_CHROMIUM") != null) {
                fail(message + ", and RINGKV_REQUIRE_CHROMIUM is set");
            }
            System.err.println("\n*** SKIPPED: " + message + " ***\n");
            Assumptions.abort(message);
        }
        Path out = workDir.resolve("dom.html");
        Path err = workDir.resolve("chromium.log");
        Process p = new ProcessBuilder(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(workDir, "profile"), "--dump-dom",
                page.toUri().toString()))
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

    private static Optional<Path> find() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
