package io.ringkv.deploy;

import io.ringkv.node.security.Certificates;
import io.ringkv.node.security.ContextSeal;
import io.ringkv.node.security.NodeTls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code kv certs}: the certificates of a cluster, after CockroachDB's {@code cockroach cert}. One
 * certificate authority per cluster, whose key stays where the operator keeps it ({@code --ca-key},
 * never in a node's directory); a certificate per node naming its id and hosts; one per client user.
 */
@Command(name = "certs", description = "Create the certificates of a secure cluster.",
        subcommands = {CertsCommand.CreateCa.class, CertsCommand.CreateNode.class, CertsCommand.CreateClient.class,
                CertsCommand.CreateContextKey.class, CertsCommand.ListCerts.class})
public final class CertsCommand implements Runnable {

    /** Node ids and user names: what a file name and a certificate subject can hold without escaping. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @Override
    public void run() {
        throw new IllegalArgumentException("a subcommand is required: create-ca, create-node, create-client, "
                + "create-context-key or list");
    }

    /** Options every subcommand that issues takes. */
    abstract static class Issuing implements Callable<Integer> {
        @Option(names = "--certs-dir", required = true, description = "Directory of ca.crt and the certificates "
                + "made here.")
        Path certsDir;

        @Option(names = "--ca-key", required = true, description = "The certificate authority's private key; keep "
                + "it apart from the nodes' directories.")
        Path caKey;

        @Option(names = "--overwrite", description = "Replace files that exist.")
        boolean overwrite;

        final Certificates certificates = new Certificates(new SecureRandom(), Clock.systemUTC());

        Certificates.Issued authority() throws IOException {
            Path ca = certsDir.resolve(NodeTls.CA_FILE);
            if (!Files.isReadable(ca) || !Files.isReadable(caKey)) {
                throw new IllegalArgumentException("no certificate authority at " + ca + " and " + caKey
                        + ": run kv certs create-ca first");
            }
            Certificates.Issued authority = new Certificates.Issued(Certificates.readCertificate(ca),
                    Certificates.readKey(caKey));
            if (!Certificates.keyMatches(authority.key(), authority.certificate())) {
                throw new IllegalArgumentException(caKey + " is not the key of " + ca);
            }
            return authority;
        }

        /** Writes a certificate and its key, the key readable by its owner only. */
        void write(Path cert, Path key, Certificates.Issued issued) throws IOException {
            Certificates.writeCertificate(cert, issued.certificate());
            Certificates.writeKey(key, issued.key());
        }

        void refuseExisting(Path... files) {
            for (Path f : files) {
                if (!overwrite && Files.exists(f)) {
                    throw new IllegalArgumentException(f + " exists; pass --overwrite to replace it");
                }
            }
        }

        static String name(String what, String value) {
            if (!NAME.matcher(value).matches()) {
                throw new IllegalArgumentException(what + " must be 1 to 64 letters, digits, '.', '_' or '-', "
                        + "starting with a letter or digit");
            }
            return value;
        }
    }

    @Command(name = "create-ca", description = "Create the cluster's certificate authority: ca.crt in --certs-dir, "
            + "its key at --ca-key, and the key that seals causal contexts (context.keys). Copy ca.crt and "
            + "context.keys into every node's certs directory; give clients ca.crt only.")
    static final class CreateCa extends Issuing {
        @Option(names = "--cluster-name", defaultValue = "ringkv", description = "Named in the authority's "
                + "certificate (default: ${DEFAULT-VALUE}).")
        String clusterName;

        @Option(names = "--lifetime-days", defaultValue = "3650", description = "Validity (default: ${DEFAULT-VALUE}).")
        int days;

        @Override
        public Integer call() throws IOException {
            Path ca = certsDir.resolve(NodeTls.CA_FILE);
            refuseExisting(ca, caKey);
            Path contextKeys = certsDir.resolve(ContextSeal.KEYS_FILE);
            refuseExisting(contextKeys);
            write(ca, caKey, certificates.createCa(clusterName, Duration.ofDays(days)));
            Certificates.writeSecret(contextKeys, ContextSeal.newKeyLine("k1", new SecureRandom()) + "\n");
            System.out.println("wrote " + ca + ", " + contextKeys + " and the authority's key " + caKey);
            return 0;
        }
    }

    @Command(name = "create-node", description = "Create a node's certificate and key (node.crt, node.key) in "
            + "--certs-dir; copy that directory with ca.crt to the node.")
    static final class CreateNode extends Issuing {
        @Option(names = "--id", required = true, description = "The node id, as given to kv node --id.")
        String id;

        @Option(names = "--host", required = true, description = "A host name or IP address the node is reached at; "
                + "repeat for several.")
        List<String> hosts = new ArrayList<>();

        @Option(names = "--lifetime-days", defaultValue = "365", description = "Validity (default: ${DEFAULT-VALUE}).")
        int days;

        @Override
        public Integer call() throws IOException {
            Path cert = certsDir.resolve(NodeTls.NODE_CERT_FILE);
            Path key = certsDir.resolve(NodeTls.NODE_KEY_FILE);
            refuseExisting(cert, key);
            write(cert, key, certificates.issueNode(authority(), name("--id", id), hosts, Duration.ofDays(days)));
            System.out.println("wrote " + cert + " and " + key + " for node " + id + " at " + String.join(", ", hosts));
            return 0;
        }
    }

    @Command(name = "create-client", description = "Create a client user's certificate and key "
            + "(client.USER.crt, client.USER.key) in --certs-dir.")
    static final class CreateClient extends Issuing {
        @Option(names = "--user", required = true, description = "The user the certificate authenticates.")
        String user;

        @Option(names = "--lifetime-days", defaultValue = "365", description = "Validity (default: ${DEFAULT-VALUE}).")
        int days;

        @Override
        public Integer call() throws IOException {
            String u = name("--user", user);
            Path cert = certsDir.resolve("client." + u + ".crt");
            Path key = certsDir.resolve("client." + u + ".key");
            refuseExisting(cert, key);
            write(cert, key, certificates.issueClient(authority(), u, Duration.ofDays(days)));
            System.out.println("wrote " + cert + " and " + key + " for user " + u);
            return 0;
        }
    }

    @Command(name = "create-context-key", description = {"Rotate the key that seals contexts, in two steps so "
            + "that no client sees its context refused:",
            "  1. --id K2 adds a new key that opens contexts but does not seal them; copy context.keys to every "
            + "node and restart them one by one.",
            "  2. --id K2 --promote makes it the key that seals; copy and restart again. Remove the old line "
            + "once no client holds a context it sealed."})
    static final class CreateContextKey implements Callable<Integer> {
        @Option(names = "--certs-dir", required = true)
        Path certsDir;

        @Option(names = "--id", required = true, description = "The key's id (letters, digits, '_', '-').")
        String id;

        @Option(names = "--promote", description = "Make the existing key --id the one that seals.")
        boolean promote;

        @Override
        public Integer call() throws IOException {
            Path file = certsDir.resolve(ContextSeal.KEYS_FILE);
            List<String> ids = ContextSeal.load(certsDir).keyIds();
            List<String> lines = new ArrayList<>(Files.readAllLines(file).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
            if (promote) {
                String line = lines.stream().filter(l -> l.startsWith(id + ":")).findFirst().orElseThrow(() ->
                        new IllegalArgumentException(file + " has no key " + id + ": add it first"));
                lines.remove(line);
                lines.add(0, line);
            } else {
                if (ids.contains(id)) {
                    throw new IllegalArgumentException(file + " already has a key " + id);
                }
                lines.add(ContextSeal.newKeyLine(id, new SecureRandom()));
            }
            Certificates.writeSecret(file, String.join("\n", lines) + "\n");
            System.out.println(promote ? "key " + id + " now seals new contexts in " + file
                    : "key " + id + " added to " + file + "; it opens contexts but seals none until --promote");
            return 0;
        }
    }

    @Command(name = "list", description = "List the certificates in --certs-dir: whom each names and when it expires.")
    static final class ListCerts implements Callable<Integer> {
        @Option(names = "--certs-dir", required = true)
        Path certsDir;

        @Override
        public Integer call() throws IOException {
            List<Path> files;
            try (Stream<Path> s = Files.list(certsDir)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".crt")).sorted().toList();
            }
            for (Path f : files) {
                X509Certificate c = Certificates.readCertificate(f);
                System.out.printf("%-24s %-50s expires %s%n", f.getFileName(), c.getSubjectX500Principal().getName(),
                        c.getNotAfter().toInstant());
            }
            return 0;
        }
    }
}
