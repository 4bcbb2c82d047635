package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.client.KvClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code kv cluster status} and {@code kv cluster settings}. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Cluster status and cluster-wide settings.",
        subcommands = {ClusterCommand.Status.class, ClusterCommand.Settings.class})
final class ClusterCommand {

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Members, liveness, partitions owned, hints pending and the cluster settings.")
    static final class Status implements Callable<Integer> {
        @Option(names = "--json", description = "Print the raw JSON status.")
        boolean json;

        @Mixin
        NodeOption node;

        @Override
        public Integer call() {
            try (KvClient client = node.client()) {
                JsonNode status = client.clusterStatus();
                PrintStream out = System.out;
                if (json) {
                    out.println(status.toPrettyString());
                    return 0;
                }
                out.printf("ring version %d, %d partitions (as seen by %s)%n", status.path("ring_version").asLong(),
                        status.path("partitions").asInt(), status.path("node").asText());
                out.printf("%-12s %-6s %-22s %10s %14s%n", "NODE", "LIVE", "HTTP", "PARTITIONS", "HINTS-HELD-FOR");
                for (JsonNode m : status.path("members")) {
                    out.printf("%-12s %-6s %-22s %10d %14d%n", m.path("node").asText(), m.path("live").asBoolean() ? "up" : "DOWN",
                            m.path("http").asText("-"), m.path("partitions_owned").asInt(), m.path("hints_pending_here").asLong());
                }
                for (JsonNode n : status.path("live_not_in_ring")) {
                    out.printf("%-12s %-6s (joining: not in the ring yet)%n", n.asText(), "up");
                }
                out.println("settings: " + status.path("settings"));
                return 0;
            }
        }
    }

    @Command(name = "settings", mixinStandardHelpOptions = true,
            description = {"Shows or changes cluster-wide settings; a change spreads to every node.",
                    "For n, r and w see also `kv quorum set`."})
    static final class Settings implements Callable<Integer> {
        @Option(names = "--sloppy", arity = "1", description = "Sloppy quorums with hinted handoff: true or false.")
        Boolean sloppy;

        @Option(names = "--read-repair", description = "async or sync.")
        String readRepair;

        @Option(names = "--conflicts", description = "siblings or lww.")
        String conflicts;

        @Option(names = "--request-timeout-ms", description = "Default request timeout.")
        Long requestTimeoutMs;

        @Option(names = "--tombstone-grace-ms", description = "Grace period before tombstones held by every primary are reaped.")
        Long tombstoneGraceMs;

        @Mixin
        NodeOption node;

        @Override
        public Integer call() {
            Map<String, Object> changes = new LinkedHashMap<>();
            putIfSet(changes, "sloppy", sloppy);
            putIfSet(changes, "read_repair", readRepair);
            putIfSet(changes, "conflicts", conflicts);
            putIfSet(changes, "timeout_ms", requestTimeoutMs);
            putIfSet(changes, "tombstone_grace_ms", tombstoneGraceMs);
            try (KvClient client = node.client()) {
                JsonNode now = changes.isEmpty() ? client.clusterStatus().path("settings") : client.updateSettings(changes);
                System.out.println(now.toPrettyString());
                return 0;
            }
        }
    }

    static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
