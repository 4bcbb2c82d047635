package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.checker.cluster.LocalCluster;
import io.ringkv.client.ClusterTrust;
import io.ringkv.client.GetResult;
import io.ringkv.client.KvClient;
import io.ringkv.client.KvException;
import io.ringkv.client.ReadOptions;
import io.ringkv.client.WriteOptions;
import io.vertx.core.buffer.Buffer;
import io.ringkv.node.rpc.RpcCodec;
import io.ringkv.node.rpc.RpcRequest;
import io.ringkv.node.membership.HazelcastMembership;
import io.ringkv.versioning.CausalContextCodec;
import io.ringkv.versioning.VersionVector;
import io.ringkv.node.security.Certificates;
import io.ringkv.node.security.ContextSeal;
import io.ringkv.node.security.GossipSeal;
import io.ringkv.node.security.NodeTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A cluster whose certificates were made with {@code kv certs}, as an operator makes them, run as
 * real node processes with {@code --certs-dir}: the client API is HTTPS, replica connections are
 * mutual TLS between nodes of one authority, and a node cannot pass for another.
 */
class SecureClusterIT {

    private static final int PORT = 18770;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpClient httpsClient;
    private static Path dir;
    private static Path caKey;
    private static LocalCluster cluster;
    private static String adminPassword;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createDirectories(Path.of("target", "it")).resolve("secure-" + System.currentTimeMillis())
                .toAbsolutePath();
        caKey = dir.resolve("safe").resolve("ca.key");
        kv("certs", "create-ca", "--certs-dir", dir.resolve("ca").toString(), "--ca-key", caKey.toString());
        for (int i = 1; i <= 3; i++) {
            nodeCerts("n" + i, "127.0.0." + i, caKey, dir.resolve("ca"));
        }
        adminPassword = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Path passwordFile = dir.resolve("safe").resolve("admin.password");
        Files.writeString(passwordFile, adminPassword + "\n");
        cluster = LocalCluster.of(Path.of(System.getProperty("ringkv.jar", "target/kv.jar")), dir.resolve("nodes"), 3, PORT,
                ClusterFixture.TEST_JVM, List.of("--n", "3", "--r", "2", "--w", "2", "--failure-timeout-seconds", "4"),
                i -> {
                    List<String> args = new ArrayList<>(List.of("--certs-dir", dir.resolve("certs").resolve("n" + i).toString()));
                    if (i == 1) {
                        // The founder creates the first admin; the others learn the users by gossip.
                        args.addAll(List.of("--bootstrap-admin-password-file", passwordFile.toString()));
                    }
                    return args;
                },
                ClusterTrust.sslContext(caCert()));
        httpsClient = HttpClient.newBuilder().sslContext(ClusterTrust.sslContext(caCert())).build();
        cluster.start(Duration.ofSeconds(120), msg -> { });
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Path caCert() {
        return dir.resolve("ca").resolve(NodeTls.CA_FILE);
    }

    /** A node's certs directory: the authority's certificate, and the node's own made by kv certs create-node. */
    private static Path nodeCerts(String id, String host, Path key, Path authorityDir) throws Exception {
        Path d = Files.createDirectories(dir.resolve("certs").resolve(id));
        Files.copy(authorityDir.resolve(NodeTls.CA_FILE), d.resolve(NodeTls.CA_FILE));
        Files.copy(authorityDir.resolve(ContextSeal.KEYS_FILE), d.resolve(ContextSeal.KEYS_FILE));
        kv("certs", "create-node", "--id", id, "--host", host, "--certs-dir", d.toString(), "--ca-key", key.toString());
        return d;
    }

    private static KvClient client() {
        return client("admin", adminPassword, cluster.httpAddresses().toArray(String[]::new));
    }

    private static KvClient client(String user, String password, String... nodes) {
        return KvClient.builder().nodes(nodes).trustCertificateAuthority(caCert()).credentials(user, password)
                .requestTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void clientsReachEveryNodeOverHttpsAndWritesReachEveryReplicaOverMutualTls() {
        try (KvClient kv = client()) {
            // w=3 and r=3: every replica must take the write and answer the read, over mutual TLS.
            kv.put("secure", "value", null, WriteOptions.defaults().withW(3).withSloppy(false));
            GetResult got = kv.get("secure", ReadOptions.defaults().withR(3).withSloppy(false));
            assertThat(new String(got.value().orElseThrow().value(), StandardCharsets.UTF_8)).isEqualTo("value");
            JsonNode status = kv.clusterStatus();
            assertThat(status.path("tls").path("enabled").asBoolean()).isTrue();
            assertThat(Instant.parse(status.path("tls").path("certificate_expires").asText()))
                    .isAfter(Instant.now().plus(Duration.ofDays(300)));
        }
    }

    @Test
    void plainHttpToASecureNodeGetsNoAnswer() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/health"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aClientThatDoesNotTrustTheClustersAuthorityRefusesTheNode() throws Exception {
        Path otherCa = dir.resolve("other-ca");
        kv("certs", "create-ca", "--certs-dir", otherCa.toString(), "--ca-key", dir.resolve("safe").resolve("other.key")
                .toString());
        try (KvClient wrongTrust = KvClient.builder().nodes("127.0.0.1:" + PORT)
                .trustCertificateAuthority(otherCa.resolve(NodeTls.CA_FILE)).build()) {
            assertThatThrownBy(() -> wrongTrust.get("secure")).isInstanceOf(KvException.class)
                    .satisfies(e -> assertThat(((KvException) e).status()).isZero())
                    .hasMessageContaining("SSLHandshakeException");
        }
    }

    @Test
    void aPeerWithACertificateFromAnotherAuthorityCannotOpenTheReplicaPort() throws Exception {
        Path rogueKey = dir.resolve("safe").resolve("rogue.key");
        kv("certs", "create-ca", "--certs-dir", dir.resolve("rogue-ca").toString(), "--ca-key", rogueKey.toString());
        Path rogue = nodeCerts("rogue", "127.0.0.9", rogueKey, dir.resolve("rogue-ca"));

        // The same replica read, sent with a member's certificate, is answered: the refusal below is the node's.
        assertThat(replicaRead(dir.resolve("certs").resolve("n2"))).as("n2's read answered").isTrue();
        assertThat(replicaRead(rogue)).as("the rogue's read answered").isFalse();
    }

    /**
     * Opens node n1's replica port with the certificate in {@code certsDir} (trusting the cluster's
     * authority, so it would accept the node) and sends a replica read: whether any answer came back.
     * Under TLS 1.3 the client finishes its side of the handshake first, so a refused certificate shows
     * on the first read, as an alert or a closed connection.
     */
    private static boolean replicaRead(Path certsDir) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("peer", Certificates.readKey(certsDir.resolve(NodeTls.NODE_KEY_FILE)), new char[0],
                new Certificate[] {Certificates.readCertificate(certsDir.resolve(NodeTls.NODE_CERT_FILE))});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", Certificates.readCertificate(caCert()));
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        Buffer frame = RpcCodec.frame(new RpcRequest(1, RpcRequest.Op.READ, "secure", null, null, null, null, null));
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", PORT + 1)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(frame.getBytes());
            socket.getOutputStream().flush();
            return socket.getInputStream().read() >= 0;
        } catch (IOException refused) {
            return false;
        }
    }

    /**
     * Hazelcast lets anyone with the cluster's name join; what such a member gossips must change
     * nothing: neither an unsigned ring with the largest version, nor one signed under another authority.
     */
    @Test
    void aRogueGossipMemberCannotChangeTheRing() throws Exception {
        long version;
        try (KvClient kv = client()) {
            version = kv.clusterStatus().path("ring_version").asLong();
        }
        Path rogueKey = dir.resolve("safe").resolve("gossip-rogue.key");
        kv("certs", "create-ca", "--certs-dir", dir.resolve("gossip-rogue-ca").toString(), "--ca-key", rogueKey.toString());
        GossipSeal rogueSeal = NodeTls.load(nodeCerts("n1-rogue", "127.0.0.9", rogueKey, dir.resolve("gossip-rogue-ca")),
                "n1-rogue", Clock.systemUTC()).gossipSeal(Clock.systemUTC(), () -> { });
        String hugeRing = "{\"from\":\"n1\",\"ring\":{\"version\":" + Long.MAX_VALUE + ",\"owners\":[\"n1\"]}}";
        List<String> heard = new CopyOnWriteArrayList<>();
        try (HazelcastMembership rogue = HazelcastMembership.start(new HazelcastMembership.Options("ringkv", "n1-rogue",
                "127.0.0.9", PORT + 2, PORT, PORT + 1, List.of("127.0.0.1:" + (PORT + 2)), 1, 4), live -> { }, heard::add)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                rogue.publish(hugeRing);
                rogue.publish(rogueSeal.seal(hugeRing.replace("\"n1\",\"ring", "\"n1-rogue\",\"ring")));
                return rejectedGossip(cluster.nodes().get(1).baseUri()) >= 2;
            });
        }
        // It heard the nodes' gossip (so it was there to hear users), and no password hash was in it.
        assertThat(heard).isNotEmpty().noneMatch(m -> m.contains("argon2") || m.contains("password_hash"));
        try (KvClient kv = client()) {
            for (String node : cluster.httpAddresses()) {
                try (KvClient one = client("admin", adminPassword, node)) {
                    assertThat(one.clusterStatus().path("ring_version").asLong()).as("ring on %s", node).isEqualTo(version);
                }
            }
            kv.put("after-rogue", "still", null);
        }
    }

    /** The node's {@code ringkv_gossip_rejected_total}. */
    private static double rejectedGossip(String baseUri) throws Exception {
        String metrics = https("GET", baseUri + "/metrics", "admin", adminPassword, null).body();
        return metrics.lines().filter(l -> l.startsWith("ringkv_gossip_rejected_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aNodeRefusesToStartWithAnotherNodesCertificate() throws Exception {
        List<String> cmd = new ArrayList<>(javaJar());
        cmd.addAll(List.of("node", "--id", "n3", "--host", "127.0.0.3", "--http-port", String.valueOf(PORT + 10),
                "--rpc-port", String.valueOf(PORT + 11), "--gossip-port", String.valueOf(PORT + 12),
                "--data-dir", dir.resolve("impostor").toString(),
                "--certs-dir", dir.resolve("certs").resolve("n2").toString()));
        Path log = dir.resolve("impostor.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = p.waitFor(60, TimeUnit.SECONDS);
        p.destroyForcibly();
        String output = Files.readString(log);
        assertThat(exited).as("the impostor exited by itself; output:\n%s", output).isTrue();
        assertThat(p.exitValue()).as(output).isNotZero();
        assertThat(output).contains("node n2's certificate, not n3's");
    }

    @Test
    void withoutCredentialsOnlyHealthIsServed() throws Exception {
        String base = cluster.nodes().get(0).baseUri();
        assertThat(https("GET", base + "/health", null, null, null).statusCode()).isEqualTo(200);
        for (String path : List.of("/kv/secure", "/cluster", "/cluster/settings", "/metrics", "/debug/replica/secure")) {
            HttpResponse<String> r = https("GET", base + path, null, null, null);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("unauthenticated");
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        }
        HttpResponse<String> wrong = https("GET", base + "/kv/secure", "admin", adminPassword + "x", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain(adminPassword);
    }

    /**
     * Roles, as an operator grants them on one node and any node enforces them: read may only read,
     * write may only write, neither may touch the cluster, and a key prefix limits where a user reaches.
     */
    @Test
    void eachRoleMayDoWhatItGrantsAndNothingElseOnEveryNode() throws Exception {
        String n1 = cluster.nodes().get(0).baseUri();
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        for (String[] u : new String[][] {{"reader", "[\"read\"]", ""}, {"writer", "[\"write\"]", ""},
                {"app", "[\"read\",\"write\"]", "app/"}}) {
            HttpResponse<String> r = https("PUT", n1 + "/cluster/users/" + u[0], "admin", adminPassword,
                    "{\"password\":\"" + password + "\",\"roles\":" + u[1] + ",\"key_prefix\":\"" + u[2] + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).doesNotContain(password).doesNotContain("argon2");
        }
        // Made on n1, enforced on n3 once gossip brought the users there.
        String n3 = cluster.nodes().get(2).baseUri();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> https("GET", n3 + "/kv/any", "reader", password, null)
                .statusCode() != 401);

        assertThat(https("GET", n3 + "/kv/any", "reader", password, null).statusCode()).isEqualTo(404);
        assertForbidden(https("PUT", n3 + "/kv/any", "reader", password, "v"));
        assertThat(https("PUT", n3 + "/kv/any", "writer", password, "v").statusCode()).isEqualTo(204);
        assertForbidden(https("GET", n3 + "/kv/any", "writer", password, null));
        assertForbidden(https("PUT", n3 + "/cluster/settings", "writer", password, "{\"n\":1}"));
        assertForbidden(https("POST", n3 + "/cluster/staged", "writer", password, "{\"leave\":\"n2\"}"));
        assertForbidden(https("POST", n3 + "/cluster/commit", "writer", password, ""));
        assertForbidden(https("GET", n3 + "/debug/replica/any", "reader", password, null));
        assertThat(https("PUT", n3 + "/kv/app/x", "app", password, "v").statusCode()).isEqualTo(204);
        assertForbidden(https("PUT", n3 + "/kv/other", "app", password, "v"));
        try (KvClient kv = client()) {
            assertThat(kv.clusterStatus().path("settings").path("n").asInt()).as("settings unchanged").isEqualTo(3);
        }
        // A new password counts at once: the old one, verified and remembered a moment ago, no longer does.
        String newPassword = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        assertThat(https("GET", n1 + "/kv/any", "reader", password, null).statusCode()).isEqualTo(200);
        assertThat(https("PUT", n1 + "/cluster/users/reader", "admin", adminPassword,
                "{\"password\":\"" + newPassword + "\",\"roles\":[\"read\"]}").statusCode()).isEqualTo(200);
        assertThat(https("GET", n1 + "/kv/any", "reader", password, null).statusCode()).isEqualTo(401);
        assertThat(https("GET", n1 + "/kv/any", "reader", newPassword, null).statusCode()).isEqualTo(200);
        // A change that leaves out the key prefix keeps it: a user is never widened by omission.
        assertThat(https("PUT", n1 + "/cluster/users/app", "admin", adminPassword, "{\"roles\":[\"read\",\"write\"]}")
                .statusCode()).isEqualTo(200);
        assertForbidden(https("PUT", n1 + "/kv/other", "app", password, "v"));
        assertThat(https("DELETE", n1 + "/cluster/users/reader", "admin", adminPassword, null).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> https("GET", n3 + "/kv/any", "reader", newPassword, null)
                .statusCode() == 401);
    }

    /** The kv command as an operator uses it against a secure cluster: users, then a read as one of them. */
    @Test
    void theKvCommandManagesUsersAndSaysClearlyWhenCredentialsOrTrustAreWrong() throws Exception {
        Path adminPassword = dir.resolve("safe").resolve("admin.password");
        Path alicePassword = dir.resolve("safe").resolve("alice.password");
        Files.writeString(alicePassword, HexFormat.of().formatHex(new SecureRandom().generateSeed(12)) + "\n");
        List<String> asAdmin = List.of("--node", "127.0.0.1:" + PORT, "--cacert", caCert().toString(), "--user", "admin",
                "--password-file", adminPassword.toString());
        Run added = kvRun(concat(List.of("user", "add", "alice", "--role", "read", "--new-password-file",
                alicePassword.toString()), asAdmin));
        assertThat(added.code).as(added.output).isZero();
        assertThat(added.output).contains("alice").contains("read");
        Run granted = kvRun(concat(List.of("user", "grant", "alice", "write"), asAdmin));
        assertThat(granted.code).as(granted.output).isZero();
        assertThat(granted.output).as(granted.output).containsPattern("alice +read,write");

        List<String> asAlice = List.of("--node", "127.0.0.1:" + PORT, "--cacert", caCert().toString(), "--user", "alice",
                "--password-file", alicePassword.toString());
        assertThat(kvRun(concat(List.of("put", "cli-key", "v", "--blind"), asAlice)).code).isZero();
        Run denied = kvRun(concat(List.of("quorum", "set", "--r", "1"), asAlice));
        assertThat(denied.code).as(denied.output).isEqualTo(Kv.AUTHENTICATION_FAILED);
        assertThat(denied.output.strip().lines()).hasSize(1).allSatisfy(l -> assertThat(l).contains("forbidden"));

        Run wrongPassword = kvRun(List.of("get", "cli-key", "--node", "127.0.0.1:" + PORT, "--cacert", caCert().toString(),
                "--user", "alice", "--password", "not-the-password"));
        assertThat(wrongPassword.code).as(wrongPassword.output).isEqualTo(Kv.AUTHENTICATION_FAILED);
        assertThat(wrongPassword.output).doesNotContain("Exception").doesNotContain("\tat ");

        kv("certs", "create-ca", "--certs-dir", dir.resolve("cli-other-ca").toString(), "--ca-key",
                dir.resolve("safe").resolve("cli-other.key").toString());
        Run wrongTrust = kvRun(List.of("get", "cli-key", "--node", "127.0.0.1:" + PORT, "--cacert",
                dir.resolve("cli-other-ca").resolve(NodeTls.CA_FILE).toString(), "--user", "alice", "--password-file",
                alicePassword.toString()));
        assertThat(wrongTrust.code).as(wrongTrust.output).isEqualTo(Kv.TLS_FAILED);
        assertThat(wrongTrust.output.strip().lines()).hasSize(1);
    }

    /** kv bench drives a secure cluster over HTTPS as a user, without errors. */
    @Test
    void theBenchRunsAgainstASecureCluster() throws Exception {
        Run bench = kvRun(List.of("bench", "--nodes", String.join(",", cluster.httpAddresses()), "--cacert",
                caCert().toString(), "--user", "admin", "--password-file",
                dir.resolve("safe").resolve("admin.password").toString(), "--keys", "50", "--concurrency", "4",
                "--warmup", "1", "--duration", "3"));
        assertThat(bench.code).as(bench.output).isZero();
        Matcher result = Pattern.compile("result: (\\d+) ops/s over 3 s \\((\\d+) requests measured\\).*errors \\{}")
                .matcher(bench.output);
        assertThat(result.find()).as(bench.output).isTrue();
        assertThat(Long.parseLong(result.group(2))).isPositive();
    }

    private record Run(int code, String output) {
    }

    private static Run kvRun(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(javaJar());
        cmd.addAll(args);
        Path out = Files.createTempFile(dir, "kv", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("kv " + args + " did not finish");
        }
        return new Run(p.exitValue(), Files.readString(out));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Contexts are sealed by the cluster: one a client forged (invented actors, huge counters), cut short,
     * or got from another cluster is 400 and changes nothing on any replica; the cluster's own works.
     */
    @Test
    void aForgedTruncatedOrForeignContextIsRefusedAndChangesNothing() throws Exception {
        String n1 = cluster.nodes().get(0).baseUri();
        assertThat(https("PUT", n1 + "/kv/sealed", "admin", adminPassword, "v1").statusCode()).isEqualTo(204);
        HttpResponse<String> read = https("GET", n1 + "/kv/sealed?r=3", "admin", adminPassword, null);
        String context = read.headers().firstValue("X-Context").orElseThrow();
        List<String> before = replicaStates("sealed");

        String forged = CausalContextCodec.encode(VersionVector.of(Map.of("intruder", Long.MAX_VALUE / 2)));
        Path foreign = Files.createDirectories(dir.resolve("foreign-keys"));
        Files.writeString(foreign.resolve(ContextSeal.KEYS_FILE), ContextSeal.newKeyLine("k1", new SecureRandom()) + "\n");
        String unsealed = context.substring(0, context.indexOf('.'));
        // A context of another key, whose counters a client drove up, sealed by this very cluster.
        assertThat(https("PUT", n1 + "/kv/junk", "admin", adminPassword, "j").statusCode()).isEqualTo(204);
        String junkContext = https("GET", n1 + "/kv/junk", "admin", adminPassword, null).headers()
                .firstValue("X-Context").orElseThrow();
        for (String bad : List.of(forged, context.substring(0, context.length() - 3),
                ContextSeal.load(foreign).seal("sealed", unsealed), ContextSeal.load(foreign).seal("sealed", forged),
                junkContext)) {
            HttpResponse<String> r = httpsWithContext("PUT", n1 + "/kv/sealed", bad, "v2");
            assertThat(r.statusCode()).as("context %s: %s", bad, r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("invalid_context");
            assertThat(httpsWithContext("DELETE", n1 + "/kv/sealed", bad, null).statusCode()).isEqualTo(400);
        }
        assertThat(replicaStates("sealed")).as("no replica changed").isEqualTo(before);
        assertThat(httpsWithContext("PUT", n1 + "/kv/sealed?w=3", context, "v2").statusCode()).isEqualTo(204);
        assertThat(replicaStates("sealed")).isNotEqualTo(before);
    }

    /** Every node's own state of {@code key}, as {@code /debug/replica} fingerprints it. */
    private static List<String> replicaStates(String key) throws Exception {
        List<String> states = new ArrayList<>();
        for (var node : cluster.nodes()) {
            states.add(JSON.readTree(https("GET", node.baseUri() + "/debug/replica/" + key, "admin", adminPassword, null)
                    .body()).path("fingerprint").asText());
        }
        return states;
    }

    private static HttpResponse<String> httpsWithContext(String method, String uri, String context, String body)
            throws Exception {
        return httpsClient.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + adminPassword)
                        .getBytes(StandardCharsets.UTF_8)))
                .header("X-Context", context)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertForbidden(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as("%s %s: %s", r.request().method(), r.uri(), r.body()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("forbidden");
    }

    /** One HTTPS request, with Basic credentials unless {@code user} is null. */
    private static HttpResponse<String> https(String method, String uri, String user, String password, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return httpsClient.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs {@code java -jar kv.jar args...} and fails the test unless it exits 0. */
    private static void kv(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(javaJar());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("kv " + String.join(" ", args) + " failed:\n" + output);
        }
    }

    private static List<String> javaJar() {
        return new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                System.getProperty("ringkv.jar", "target/kv.jar")));
    }
}
