package io.ringkv.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringkv.client.CausalContext;
import io.ringkv.client.GetResult;
import io.ringkv.client.KvClient;
import io.ringkv.client.ReadOptions;
import io.ringkv.client.Sibling;
import io.ringkv.client.WriteOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;

/** {@code kv get}, {@code kv put} and {@code kv delete}. */
final class ClientCommands {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClientCommands() {
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Reads a key: prints its value, or every sibling, and the causal context (on stderr).",
                    "Exit code 0 when found, 3 when not found, 1 on error."})
    static final class Get implements Callable<Integer> {
        @Parameters(index = "0", description = "The key.")
        String key;

        @Option(names = "--r", description = "Read quorum for this request.")
        Integer r;

        @Option(names = "--json", description = "Print siblings and context as JSON on stdout.")
        boolean json;

        @Mixin
        NodeOption node;

        @Override
        public Integer call() throws IOException {
            try (KvClient client = node.client()) {
                ReadOptions options = ReadOptions.defaults().withTimeout(node.timeout());
                GetResult result = client.get(key, r == null ? options : options.withR(r));
                PrintStream out = System.out;
                if (json) {
                    ObjectNode body = JSON.createObjectNode().put("found", result.found())
                            .put("context", result.context().token());
                    ArrayNode siblings = body.putArray("siblings");
                    for (Sibling s : result.siblings()) {
                        siblings.addObject().put("content_type", s.contentType())
                                .put("value", s.valueAsString())
                                .put("value_base64", Base64.getEncoder().encodeToString(s.value()));
                    }
                    out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
                } else if (result.siblings().size() == 1) {
                    out.write(result.siblings().get(0).value());
                    out.println();
                } else if (result.hasSiblings()) {
                    out.println(result.siblings().size() + " siblings:");
                    int i = 1;
                    for (Sibling s : result.siblings()) {
                        out.println("[" + i++ + "] (" + s.contentType() + ") " + s.valueAsString());
                    }
                }
                if (!json) {
                    System.err.println(result.found() ? "context: " + result.context().token()
                            : "not found" + (result.context().isNone() ? "" : " (deleted); context: " + result.context().token()));
                }
                out.flush();
                return result.found() ? 0 : 3;
            }
        }
    }

    /** The context a write supersedes: given, none at all, or the one a read returns now. */
    static final class ContextChoice {
        @Option(names = "--context", description = "Causal context from an earlier read (the write supersedes what it saw).")
        String context;

        @Option(names = "--blind", description = "Write without any context: the value becomes a new sibling of what exists.")
        boolean blind;
    }

    static CausalContext context(KvClient client, String key, ContextChoice choice) {
        if (choice != null && choice.context != null) {
            return CausalContext.of(choice.context);
        }
        if (choice != null && choice.blind) {
            return CausalContext.none();
        }
        // Like a user at a terminal expects: supersede what is there now. Concurrent writers still
        // produce siblings, since each only supersedes what it read.
        return client.get(key).context();
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = {"Writes a value. Without --context or --blind it first reads the key and supersedes what it saw."})
    static final class Put implements Callable<Integer> {
        @Parameters(index = "0", description = "The key.")
        String key;

        @Parameters(index = "1", arity = "0..1", description = "The value (UTF-8 text); or give --file.")
        String value;

        @Option(names = "--file", description = "Read the value from this file instead.")
        Path file;

        @Spec
        CommandSpec spec;

        @Option(names = "--content-type", description = "Content type (default: text/plain for a value, "
                + "application/octet-stream for a file).")
        String contentType;

        @Option(names = "--w", description = "Write quorum for this request.")
        Integer w;

        @ArgGroup(exclusive = true)
        ContextChoice contextChoice;

        @Mixin
        NodeOption node;

        @Override
        public Integer call() throws IOException {
            if ((value == null) == (file == null)) {
                throw new ParameterException(spec.commandLine(), "give either a VALUE or --file, not both or neither");
            }
            byte[] bytes = file != null ? Files.readAllBytes(file) : value.getBytes(StandardCharsets.UTF_8);
            String type = contentType != null ? contentType
                    : file != null ? "application/octet-stream" : "text/plain; charset=utf-8";
            try (KvClient client = node.client()) {
                WriteOptions options = WriteOptions.defaults().withTimeout(node.timeout());
                client.put(key, bytes, type, context(client, key, contextChoice), w == null ? options : options.withW(w));
                System.err.println("stored " + bytes.length + " bytes");
                return 0;
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Deletes a key. Without --context or --blind it first reads the key and deletes what it saw."})
    static final class Delete implements Callable<Integer> {
        @Parameters(index = "0", description = "The key.")
        String key;

        @Option(names = "--w", description = "Write quorum for this request.")
        Integer w;

        @ArgGroup(exclusive = true)
        ContextChoice contextChoice;

        @Mixin
        NodeOption node;

        @Override
        public Integer call() {
            try (KvClient client = node.client()) {
                WriteOptions options = WriteOptions.defaults().withTimeout(node.timeout());
                client.delete(key, context(client, key, contextChoice), w == null ? options : options.withW(w));
                System.err.println("deleted");
                return 0;
            }
        }
    }
}
