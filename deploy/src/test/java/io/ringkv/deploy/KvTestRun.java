package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.checker.nemesis.Iptables;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs {@code java -jar kv.jar test ...} as a user does, in its own process, and gives back its exit
 * code, its output and the run directory's {@code results.json}. The run directory is under
 * target/it; each run has its own.
 */
final class KvTestRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    final int exitCode;
    final String output;
    final Path dir;

    private KvTestRun(int exitCode, String output, Path dir) {
        this.exitCode = exitCode;
        this.output = output;
        this.dir = dir;
    }

    /** Runs {@code kv test} with {@code args} plus {@code --dir}, waiting at most {@code timeout}. */
    static KvTestRun run(String name, Duration timeout, String... args) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "it")).resolve(name + "-" + System.currentTimeMillis())
                .toAbsolutePath();
        List<String> cmd = new ArrayList<>(javaJar());
        cmd.add("test");
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--dir", dir.toString()));
        Path out = Files.createDirectories(dir.getParent()).resolve(dir.getFileName() + ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("kv test did not finish within " + timeout + "; its output:\n" + Files.readString(out));
            }
        } finally {
            // The nodes exit with their parent; this only matters when the run itself hung.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        return new KvTestRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), dir);
    }

    /** {@code kv test} with only {@code args} (no run directory): {@code --cleanup}, for example. */
    static KvTestRun command(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(javaJar());
        cmd.add("test");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("kv test " + String.join(" ", args) + " did not finish; output:\n" + output);
        }
        return new KvTestRun(p.exitValue(), output, null);
    }

    private static List<String> javaJar() {
        String jar = System.getProperty("ringkv.jar", "target/kv.jar");
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the runnable jar " + jar + " is missing: run the tests with `mvn verify`");
        }
        return new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar));
    }

    JsonNode results() throws IOException {
        return JSON.readTree(dir.resolve("results.json").toFile());
    }

    /** The checker entry of results.json named {@code checker}. */
    JsonNode checker(String checker) throws IOException {
        return findChecker(checker).orElseThrow(
                () -> new AssertionError("no checker " + checker + " in " + dir.resolve("results.json")));
    }

    /** Whether results.json has a checker entry named {@code checker}. */
    boolean hasChecker(String checker) throws IOException {
        return findChecker(checker).isPresent();
    }

    private Optional<JsonNode> findChecker(String checker) throws IOException {
        for (JsonNode c : results().path("checkers")) {
            if (c.path("checker").asText().equals(checker)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The last line printed. */
    String lastLine() {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }

    /** The fault descriptions of the run. */
    List<String> faults() throws IOException {
        List<String> faults = new ArrayList<>();
        results().path("faults").forEach(f -> faults.add(f.path("fault").asText()));
        return faults;
    }

    @Override
    public String toString() {
        return "kv test exit " + exitCode + ", run directory " + dir + ", output:\n" + output;
    }

    /**
     * Makes sure partitions can be injected here (root and iptables). Where they cannot, the calling
     * test aborts with the reason, which JUnit reports as skipped, never as passed; with
     * RINGKV_REQUIRE_PARTITIONS set (CI sets it) it fails instead.
     */
    static void requirePartitions() {
        Iptables.Availability a = Iptables.probe(Iptables.DEFAULT_COMMAND);
        if (a.available()) {
            return;
        }
        String message = "partitions cannot be injected here (" + a.reason() + ")";
        if (System.getenv("RINGKV_REQUIRE_PARTITIONS") != null) {
            fail(message + ", and RINGKV_REQUIRE_PARTITIONS is set");
        }
        System.err.println("\n*** SKIPPED: " + message + " ***\n");
        Assumptions.abort(message);
    }

    /** The rules iptables holds now, as {@code iptables -S} prints them. */
    static String iptablesRules() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("iptables", "-w", "10", "-S").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
