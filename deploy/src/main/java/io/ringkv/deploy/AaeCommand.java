package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ringkv.client.KvClient;
import io.ringkv.client.KvException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code kv aae status} and {@code kv aae bench}: Merkle-tree anti-entropy. */
@Command(name = "aae", mixinStandardHelpOptions = true, description = "Anti-entropy: Merkle trees and the exchanges between replicas.",
        subcommands = {AaeCommand.Status.class, AaeBenchCommand.class})
final class AaeCommand {

    @Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Per partition: when each replica's tree was built, and the last exchange of each pair of",
                    "replicas (started by the one earlier in the preference list) with the keys it repaired.",
                    "Asks every live node, since each knows the exchanges it started."})
    static final class Status implements Callable<Integer> {
        @Option(names = "--json", description = "Print each node's raw JSON status.")
        boolean json;

        @Option(names = "--only-this-node", description = "Ask only the node given with --node.")
        boolean onlyThisNode;

        @Mixin
        NodeOption node;

        @Override
        public Integer call() {
            Map<String, JsonNode> views = new TreeMap<>();
            try (KvClient client = node.client()) {
                JsonNode first = client.antiEntropyStatus();
                views.put(first.path("node").asText(), first);
                if (!onlyThisNode) {
                    for (JsonNode m : client.clusterStatus().path("members")) {
                        String id = m.path("node").asText();
                        if (m.path("live").asBoolean() && m.has("http") && !views.containsKey(id)) {
                            try (KvClient other = node.clientOf(m.path("http").asText())) {
                                views.put(id, other.antiEntropyStatus());
                            } catch (KvException e) {
                                System.err.println("kv aae status: " + id + " did not answer: " + e.getMessage());
                            }
                        }
                    }
                }
            }
            PrintStream out = System.out;
            if (json) {
                ArrayNode all = new ObjectMapper().createArrayNode();
                views.values().forEach(all::add);
                out.println(all.toPrettyString());
                return 0;
            }
            print(out, views, Instant.now());
            return 0;
        }
    }

    static void print(PrintStream out, Map<String, JsonNode> views, Instant now) {
        JsonNode settings = views.values().iterator().next().path("settings");
        out.printf("anti-entropy: each pair every %d ms, %d keys/s per node, %d exchange(s) at a time per node%n",
                settings.path("exchange_interval_ms").asLong(), settings.path("keys_per_second").asLong(),
                settings.path("concurrency").asInt());
        out.printf("%-8s %10s %8s %14s %14s %14s%n", "NODE", "EXCHANGES", "FAILED", "KEYS-COMPARED", "KEYS-REPAIRED", "BYTES");
        views.forEach((id, v) -> {
            JsonNode t = v.path("totals");
            out.printf("%-8s %10d %8d %14d %14d %14d%n", id, t.path("exchanges_completed").asLong(), t.path("exchanges_failed").asLong(),
                    t.path("keys_compared").asLong(), t.path("keys_repaired").asLong(), t.path("bytes").asLong());
        });
        // partition -> node -> that node's entry for the partition
        Map<Integer, Map<String, JsonNode>> byPartition = new TreeMap<>();
        views.forEach((id, v) -> v.path("partitions").forEach(p ->
                byPartition.computeIfAbsent(p.path("partition").asInt(), k -> new LinkedHashMap<>()).put(id, p)));
        out.printf("%n%-5s %-30s %-9s %-14s %-10s %9s %9s %9s%n", "PART", "TREES BUILT (AGO)", "PAIR", "LAST EXCHANGE", "OUTCOME",
                "SEGMENTS", "COMPARED", "REPAIRED");
        byPartition.forEach((partition, entries) -> {
            List<String> primaries = new java.util.ArrayList<>();
            entries.values().iterator().next().path("primaries").forEach(n -> primaries.add(n.asText()));
            StringBuilder trees = new StringBuilder();
            for (String replica : primaries) {
                JsonNode tree = entries.containsKey(replica) ? entries.get(replica).path("tree") : null;
                trees.append(replica).append(' ').append(tree == null ? "?" : tree.path("built").asBoolean()
                        ? ago(Instant.parse(tree.path("built_at").asText()), now) : tree.path("rebuilding").asBoolean() ? "building" : "no").append("  ");
            }
            boolean firstRow = true;
            for (int i = 0; i < primaries.size(); i++) {
                for (int j = i + 1; j < primaries.size(); j++) {
                    String starter = primaries.get(i);
                    JsonNode last = null;
                    if (entries.containsKey(starter)) {
                        for (JsonNode peer : entries.get(starter).path("peers")) {
                            if (peer.path("peer").asText().equals(primaries.get(j))) {
                                last = peer.get("last_exchange");
                            }
                        }
                    }
                    out.printf("%-5s %-30s %-9s %-14s %-10s %9s %9s %9s%n", firstRow ? partition : "", firstRow ? trees.toString().trim() : "",
                            starter + ">" + primaries.get(j),
                            last == null ? "-" : ago(Instant.parse(last.path("started_at").asText()), now),
                            last == null ? "-" : last.path("outcome").asText(),
                            last == null ? "-" : last.path("segments_differing").asText(),
                            last == null ? "-" : last.path("keys_compared").asText(),
                            last == null ? "-" : last.path("keys_repaired").asText());
                    firstRow = false;
                }
            }
        });
    }

    /** A short "how long ago": 850ms, 14s, 5m, 3h, 2d. */
    static String ago(Instant then, Instant now) {
        long ms = Math.max(0, Duration.between(then, now).toMillis());
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = ms / 1000;
        return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s < 172_800 ? s / 3600 + "h" : s / 86_400 + "d";
    }
}
