package io.ringkv.deploy;

import io.ringkv.client.KvClient;
import io.ringkv.node.security.PasswordHash;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The node a client command talks to, and how: over HTTPS trusting the cluster's authority, as a user,
 * when {@code --cacert} and {@code --user} (or {@code $KV_CACERT} and {@code $KV_USER}) are given. The
 * password comes from {@code --password-file}, {@code $KV_PASSWORD} or {@code --password} (which other
 * users of the machine can see in the process list).
 */
final class NodeOption {

    @Option(names = "--node", description = "Address host:port of any node (default: $KV_NODE or 127.0.0.1:7070).")
    String node;

    @Option(names = "--timeout-ms", description = "Request timeout; the cluster default when not given.")
    Long timeoutMs;

    @Option(names = "--cacert", paramLabel = "FILE", description = "The cluster's certificate authority (ca.crt): "
            + "talk HTTPS and trust only it (default: $KV_CACERT).")
    Path cacert;

    @Option(names = "--user", description = "The user to authenticate as (default: $KV_USER).")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", description = "A file whose first line is the password.")
    Path passwordFile;

    @Option(names = "--password", description = "The password (default: $KV_PASSWORD; prefer the variable or "
            + "--password-file, which the process list does not show).")
    String password;

    KvClient client() {
        Map<String, String> env = System.getenv();
        return builder(env).nodes(node != null ? node : env.getOrDefault("KV_NODE", "127.0.0.1:7070")).build();
    }

    /** A client of the node at {@code address}, with this command's trust and credentials. */
    KvClient clientOf(String address) {
        return builder(System.getenv()).nodes(address).build();
    }

    private KvClient.Builder builder(Map<String, String> env) {
        KvClient.Builder b = KvClient.builder()
                .requestTimeout(Duration.ofMillis(timeoutMs == null ? 15_000 : timeoutMs + 1_000));
        Path ca = cacert != null ? cacert : env.containsKey("KV_CACERT") ? Path.of(env.get("KV_CACERT")) : null;
        if (ca != null) {
            b.trustCertificateAuthority(ca);
        }
        String name = user != null ? user : env.get("KV_USER");
        if (name != null) {
            b.credentials(name, password(env));
        }
        return b;
    }

    private String password(Map<String, String> env) {
        if (passwordFile != null) {
            return PasswordHash.readFile(passwordFile);
        }
        String p = password != null ? password : env.get("KV_PASSWORD");
        if (p == null) {
            throw new IllegalArgumentException("a user needs a password: --password-file, $KV_PASSWORD or --password");
        }
        return p;
    }

    Duration timeout() {
        return timeoutMs == null ? null : Duration.ofMillis(timeoutMs);
    }
}
