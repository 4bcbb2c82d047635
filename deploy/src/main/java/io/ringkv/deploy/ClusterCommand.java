package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.client.KvClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code kv cluster status}, {@code settings}, and the staged membership changes: {@code join},
 * {@code leave}, {@code plan}, {@code commit}, {@code clear}.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Cluster status, cluster-wide settings and membership changes.",
                "Changes are staged (join, leave), shown (plan) and applied together (commit); data moves",
                "in the background and ownership changes once it has (watch kv cluster status)."},
        subcommands = {ClusterCommand.Status.class, ClusterCommand.Settings.class, ClusterCommand.Join.class,
                ClusterCommand.Leave.class, ClusterCommand.PlanCommand.class, ClusterCommand.Commit.class,
                ClusterCommand.Clear.class, ClusterCommand.ForceHandoff.class, HandoffBenchCommand.class})
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
                    out.printf("%-12s %-6s (not in the ring yet)%n", n.asText(), "up");
                }
                printTransition(out, status.path("transition"), status.path("handoff"), status.path("node").asText());
                for (JsonNode c : status.path("staged")) {
                    out.printf("staged: %s %s (kv cluster plan, then kv cluster commit)%n", c.path("action").asText(), c.path("node").asText());
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

    static void printTransition(PrintStream out, JsonNode t, JsonNode handoff, String seenBy) {
        if (t.isObject()) {
            out.printf("moving to ring version %d: %d of %d handoffs done%n", t.path("to_version").asLong(),
                    t.path("handoffs_done").asLong(), t.path("handoffs_total").asLong());
            t.path("by_source").fields().forEachRemaining(e -> out.printf("  from %-10s %4d done %4d pending%n",
                    e.getKey(), e.getValue().path("done").asInt(), e.getValue().path("pending").asInt()));
            out.println("  ownership after: " + t.path("next_ownership"));
        }
        JsonNode active = handoff.path("active");
        if (active.isObject()) {
            out.printf("%s is handing off partition %d (%s) to %s: %d keys sent, %d queued%n", seenBy,
                    active.path("partition").asInt(), active.path("kind").asText(), active.path("to"),
                    active.path("keys_sent").asLong(), active.path("keys_queued").asLong());
        }
        if (handoff.hasNonNull("waiting")) {
            out.println("handoff waiting: " + handoff.path("waiting").asText());
        }
    }

    static void printPlan(PrintStream out, JsonNode plan) {
        out.printf("ring version %d -> %d%n", plan.path("from_version").asLong(), plan.path("to_version").asLong());
        for (JsonNode c : plan.path("changes")) {
            out.printf("  %s %s%n", c.path("action").asText(), c.path("node").asText());
        }
        out.printf("%d partitions change owner; %d transfers:%n", plan.path("partitions_changing_owner").asInt(),
                plan.path("transfers").size());
        for (JsonNode t : plan.path("transfers")) {
            out.printf("  partition %4d  %s -> %s%n", t.path("partition").asInt(), t.path("from").asText(), t.path("to").asText());
        }
        out.println("partitions owned before: " + plan.path("ownership_before"));
        out.println("partitions owned after:  " + plan.path("ownership_after"));
    }

    @Command(name = "join", mixinStandardHelpOptions = true,
            description = {"Stages the join of a node that is running and gossiping with the cluster but not in",
                    "the ring (started with --auto-join false). Apply with kv cluster commit."})
    static final class Join implements Callable<Integer> {
        @Option(names = "--node", required = true, description = "Id of the node to add.")
        String id;

        @Option(names = "--address", description = "Its HTTP address host:port, checked against what it advertises.")
        String address;

        @Option(names = "--via", description = "Any member to stage on, host:port (default: $KV_NODE or 127.0.0.1:7070).")
        String via;

        @Override
        public Integer call() {
            NodeOption target = new NodeOption();
            target.node = via;
            try (KvClient client = target.client()) {
                printPlan(System.out, client.stageJoin(id, address));
                return 0;
            }
        }
    }

    /** A membership subcommand: one call to the node given by --node, its answer printed. */
    abstract static class OnNode implements Callable<Integer> {
        @Mixin
        NodeOption node;

        @Override
        public Integer call() {
            try (KvClient client = node.client()) {
                run(client, System.out);
                return 0;
            }
        }

        abstract void run(KvClient client, PrintStream out);
    }

    @Command(name = "leave", mixinStandardHelpOptions = true,
            description = {"Stages the departure of a member. Once committed, it hands off everything it holds",
                    "and its process exits."})
    static final class Leave extends OnNode {
        @Parameters(index = "0", description = "Id of the member to remove.")
        String id;

        @Override
        void run(KvClient client, PrintStream out) {
            printPlan(out, client.stageLeave(id));
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Shows what committing the staged changes would do: which partitions move where.")
    static final class PlanCommand extends OnNode {
        @Override
        void run(KvClient client, PrintStream out) {
            printPlan(out, client.plan());
        }
    }

    @Command(name = "commit", mixinStandardHelpOptions = true,
            description = "Applies the staged changes: data starts moving now, ownership changes once it has moved.")
    static final class Commit extends OnNode {
        @Override
        void run(KvClient client, PrintStream out) {
            printPlan(out, client.commit());
            out.println("committed; follow the handoff with: kv cluster status");
        }
    }

    @Command(name = "force-handoff", mixinStandardHelpOptions = true,
            description = {"For a node that is down for good (typically one being removed): counts its handoffs in",
                    "the change in progress as done, so the change can complete. The other replicas still stream",
                    "their copies; writes that node alone acknowledged (w=1) are not carried over."})
    static final class ForceHandoff extends OnNode {
        @Parameters(index = "0", description = "Id of the node that is down.")
        String id;

        @Override
        void run(KvClient client, PrintStream out) {
            JsonNode r = client.forceHandoff(id);
            out.printf("%d handoffs of %s counted as done; %s%n", r.path("handoffs_forced").asInt(), id, r.path("note").asText());
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true, description = "Drops the staged changes.")
    static final class Clear extends OnNode {
        @Override
        void run(KvClient client, PrintStream out) {
            client.clearStaged();
            out.println("no staged changes");
        }
    }

    static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
