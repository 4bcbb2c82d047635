package io.ringkv.deploy;

import io.ringkv.client.GetResult;
import io.ringkv.client.KvClient;
import io.ringkv.client.KvException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The README's first command, as a new user runs it: {@code kv local} starts a secure cluster by
 * default, shows it working, and leaves {@code client.env} with all a client needs.
 */
class LocalCommandIT {

    private static final int PORT = 18870;

    @Test
    void aLocalClusterIsSecureByDefaultAndItsClientEnvWorks() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "it")).resolve("local-" + System.currentTimeMillis())
                .toAbsolutePath();
        Files.createDirectories(dir);
        Path out = dir.resolve("kv-local.out");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                System.getProperty("ringkv.jar", "target/kv.jar"), "local", "--nodes", "3", "--dir",
                dir.resolve("data").toString(), "--http-port", String.valueOf(PORT)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Files.readString(out).contains("Ctrl-C stops the cluster.") || !p.isAlive());
            String output = Files.readString(out);
            assertThat(p.isAlive()).as(output).isTrue();
            assertThat(output).contains("demo: PUT /kv/hello via n1, GET /kv/hello via n3 -> \"world, written at")
                    .contains("https://127.0.0.1:" + PORT).contains("curl -i --cacert \"$KV_CACERT\"")
                    .doesNotContain("--insecure");

            Path env = dir.resolve("data").resolve("client.env");
            assertThat(Files.getPosixFilePermissions(env)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE);
            Map<String, String> vars = exports(env);
            assertThat(vars).containsKeys("KV_NODE", "KV_CACERT", "KV_USER", "KV_PASSWORD");
            assertThat(output).as("the password is in client.env, never printed").doesNotContain(vars.get("KV_PASSWORD"));

            try (KvClient kv = KvClient.builder().nodes(vars.get("KV_NODE")).trustCertificateAuthority(Path.of(vars.get("KV_CACERT")))
                    .credentials(vars.get("KV_USER"), vars.get("KV_PASSWORD")).build()) {
                GetResult hello = kv.get("hello");
                assertThat(hello.value().orElseThrow().valueAsString()).startsWith("world, written at");
            }
            try (KvClient anonymous = KvClient.builder().nodes(vars.get("KV_NODE"))
                    .trustCertificateAuthority(Path.of(vars.get("KV_CACERT"))).build()) {
                assertThatThrownBy(() -> anonymous.get("hello")).isInstanceOf(KvException.class)
                        .satisfies(e -> assertThat(((KvException) e).status()).isEqualTo(401));
            }
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/kv/hello"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        } finally {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    /** The {@code export NAME='value'} lines of a client.env. */
    private static Map<String, String> exports(Path env) throws IOException {
        Map<String, String> vars = new HashMap<>();
        for (String line : Files.readAllLines(env)) {
            if (line.startsWith("export ")) {
                String[] kv = line.substring(7).split("=", 2);
                vars.put(kv[0], kv[1].replaceAll("^'|'$", ""));
            }
        }
        return vars;
    }
}
