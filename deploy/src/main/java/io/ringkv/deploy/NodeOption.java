package io.ringkv.deploy;

import io.ringkv.client.KvClient;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The node a client command talks to. */
final class NodeOption {

    @Option(names = "--node", description = "Address host:port of any node (default: $KV_NODE or 127.0.0.1:7070).")
    String node;

    @Option(names = "--timeout-ms", description = "Request timeout; the cluster default when not given.")
    Long timeoutMs;

    KvClient client() {
        String address = node != null ? node : System.getenv().getOrDefault("KV_NODE", "127.0.0.1:7070");
        return KvClient.builder().nodes(address)
                .requestTimeout(Duration.ofMillis(timeoutMs == null ? 15_000 : timeoutMs + 1_000)).build();
    }

    Duration timeout() {
        return timeoutMs == null ? null : Duration.ofMillis(timeoutMs);
    }
}
