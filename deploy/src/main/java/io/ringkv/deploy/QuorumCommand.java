package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.client.KvClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code kv quorum set}: changes the cluster's default n, r and w at runtime. */
@Command(name = "quorum", mixinStandardHelpOptions = true, description = "Cluster-wide quorum defaults.",
        subcommands = QuorumCommand.Set.class)
final class QuorumCommand {

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Changes the cluster's default n, r and w; the change spreads to every node.",
                    "Requests can still override r and w with ?r= and ?w=."})
    static final class Set implements Callable<Integer> {
        @Option(names = "--n", description = "Replicas per key.")
        Integer n;

        @Option(names = "--r", description = "Default read quorum.")
        Integer r;

        @Option(names = "--w", description = "Default write quorum.")
        Integer w;

        @Mixin
        NodeOption node;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Map<String, Object> changes = new LinkedHashMap<>();
            ClusterCommand.putIfSet(changes, "n", n);
            ClusterCommand.putIfSet(changes, "r", r);
            ClusterCommand.putIfSet(changes, "w", w);
            if (changes.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give at least one of --n, --r, --w");
            }
            try (KvClient client = node.client()) {
                JsonNode now = client.updateSettings(changes);
                System.out.printf("n=%d r=%d w=%d (settings version %d)%n", now.path("n").asInt(), now.path("r").asInt(),
                        now.path("w").asInt(), now.path("version").asLong());
                return 0;
            }
        }
    }
}
