package io.ringkv.node.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Certificates made by {@link Certificates}, loaded by {@link NodeTls}, in real TLS handshakes on loopback. */
class NodeTlsTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private final Certificates certs = new Certificates(new SecureRandom(), CLOCK);
    private Vertx vertx;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        Future.await(vertx.close());
    }

    /** Writes a node's certs directory: the authority's certificate and the node's certificate and key. */
    private Path nodeDir(String name, Certificates.Issued ca, String nodeId) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        Certificates.writeCertificate(d.resolve(NodeTls.CA_FILE), ca.certificate());
        Certificates.Issued node = certs.issueNode(ca, nodeId, List.of("127.0.0.1", "localhost"), Duration.ofDays(365));
        Certificates.writeCertificate(d.resolve(NodeTls.NODE_CERT_FILE), node.certificate());
        Certificates.writeKey(d.resolve(NodeTls.NODE_KEY_FILE), node.key());
        return d;
    }

    @Test
    void aNodeCertificateNamesItsNodeAndItsKeyIsReadableByItsOwnerOnly() throws Exception {
        Certificates.Issued ca = certs.createCa("test", Duration.ofDays(3650));
        Path d = nodeDir("n1", ca, "n1");

        NodeTls tls = NodeTls.load(d, "n1", CLOCK);

        assertThat(Certificates.subject(Certificates.readCertificate(d.resolve(NodeTls.NODE_CERT_FILE)),
                Certificates.NODE_UNIT)).contains("n1");
        assertThat(Certificates.subject(ca.certificate(), Certificates.NODE_UNIT)).isEmpty();
        assertThat(Files.getPosixFilePermissions(d.resolve(NodeTls.NODE_KEY_FILE)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(tls.notAfter()).isAfter(Instant.now().plus(Duration.ofDays(360)));
    }

    @Test
    void aNodeRefusesToStartWithAnotherNodesCertificateOrOneFromAnotherAuthority() throws Exception {
        Certificates.Issued ca = certs.createCa("test", Duration.ofDays(3650));
        Path d = nodeDir("n2", ca, "n2");
        assertThatThrownBy(() -> NodeTls.load(d, "n3", CLOCK)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node n2's certificate, not n3's");

        Certificates.Issued other = certs.createCa("other", Duration.ofDays(3650));
        Certificates.writeCertificate(d.resolve(NodeTls.CA_FILE), other.certificate());
        assertThatThrownBy(() -> NodeTls.load(d, "n2", CLOCK)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not issued by the certificate authority");

        assertThatThrownBy(() -> NodeTls.load(dir.resolve("missing"), "n2", CLOCK))
                .hasMessageContaining("kv certs create-ca").hasMessageContaining("--insecure");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() throws Exception {
        Certificates.Issued ca = certs.createCa("test", Duration.ofDays(3650));
        Path d = nodeDir("n1", ca, "n1");
        Certificates.writeKey(d.resolve(NodeTls.NODE_KEY_FILE),
                certs.issueNode(ca, "n1", List.of("127.0.0.1"), Duration.ofDays(30)).key());
        assertThatThrownBy(() -> NodeTls.load(d, "n1", CLOCK)).hasMessageContaining("is not the key of");
    }

    @Test
    void aNodeCertificateNeverOutlivesItsAuthority() {
        Certificates.Issued ca = certs.createCa("test", Duration.ofDays(10));
        Certificates.Issued node = certs.issueNode(ca, "n1", List.of("127.0.0.1"), Duration.ofDays(365));
        assertThat(node.certificate().getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
    }

    @Test
    void onLinuxX8664TheNodesUseBoringSsl() {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux")
                && System.getProperty("os.arch").matches("amd64|x86_64"), "BoringSSL is bundled for linux-x86_64 only");
        assertThat(NodeTls.engine()).as("netty-tcnative loads, so TLS runs on BoringSSL, not the JDK").isPresent();
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        Certificates.Issued ca = certs.createCa("test", Duration.ofDays(3650));
        Path d = nodeDir("n1", ca, "n1");
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(400)), ZoneOffset.UTC);
        assertThatThrownBy(() -> NodeTls.load(d, "n1", later)).hasMessageContaining("has expired");
    }

    @Test
    void peersOfOneAuthorityConnectAndEachLearnsWhichNodeTheOtherIs() throws Exception {
        Certificates.Issued ca = certs.createCa("test", Duration.ofDays(3650));
        NodeTls server = NodeTls.load(nodeDir("n1", ca, "n1"), "n1", CLOCK);
        NodeTls client = NodeTls.load(nodeDir("n2", ca, "n2"), "n2", CLOCK);
        CompletableFuture<Optional<String>> seenByServer = new CompletableFuture<>();
        int port = listen(server, socket -> seenByServer.complete(NodeTls.peerNode(socket)));

        NetSocket socket = Future.await(connect(client, port));

        assertThat(NodeTls.peerNode(socket)).contains("n1");
        assertThat(seenByServer.get(10, TimeUnit.SECONDS)).contains("n2");
    }

    @Test
    void aPeerWithACertificateOfAnotherAuthorityIsRefusedByTheServer() throws Exception {
        Certificates.Issued ca = certs.createCa("test", Duration.ofDays(3650));
        NodeTls server = NodeTls.load(nodeDir("n1", ca, "n1"), "n1", CLOCK);
        // It trusts the cluster's authority, so it would accept the server; its own certificate is the rogue's.
        Path rogueDir = nodeDir("n9", certs.createCa("rogue", Duration.ofDays(3650)), "n9");
        NetClientOptions intruder = new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("")
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(rogueDir.resolve(NodeTls.NODE_CERT_FILE).toString())
                        .setKeyPath(rogueDir.resolve(NodeTls.NODE_KEY_FILE).toString()))
                .setTrustOptions(new PemTrustOptions().addCertPath(nodeDir("trust", ca, "x").resolve(NodeTls.CA_FILE)
                        .toString()));
        assertRefused(server, vertx.createNetClient(intruder));
    }

    @Test
    void aPeerWithoutACertificateIsRefusedByTheServer() throws Exception {
        Certificates.Issued ca = certs.createCa("test", Duration.ofDays(3650));
        Path d = nodeDir("n1", ca, "n1");
        NodeTls server = NodeTls.load(d, "n1", CLOCK);
        NetClientOptions anonymous = new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("")
                .setTrustOptions(new PemTrustOptions().addCertPath(d.resolve(NodeTls.CA_FILE).toString()));
        assertRefused(server, vertx.createNetClient(anonymous));
    }

    /**
     * The server never hands the connection to its handler: the handshake fails, or (TLS 1.3, where the
     * client finishes first) the server closes the connection once it has judged the client's certificate.
     */
    private void assertRefused(NodeTls server, NetClient client) throws Exception {
        CompletableFuture<Optional<String>> seenByServer = new CompletableFuture<>();
        int port = listen(server, socket -> seenByServer.complete(NodeTls.peerNode(socket)));
        CompletableFuture<Void> closed = new CompletableFuture<>();
        client.connect(port, "127.0.0.1").onComplete(ar -> {
            if (ar.failed()) {
                closed.complete(null);
            } else {
                ar.result().closeHandler(v -> closed.complete(null));
                ar.result().write("hello");
            }
        });
        closed.get(10, TimeUnit.SECONDS);
        assertThat(seenByServer).as("the server accepted the connection").isNotDone();
    }

    private int listen(NodeTls tls, Consumer<NetSocket> onConnect) {
        NetServer server = vertx.createNetServer(tls.replicaServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)))
                .connectHandler(onConnect::accept);
        return Future.await(server.listen()).actualPort();
    }

    private Future<NetSocket> connect(NodeTls tls, int port) {
        return vertx.createNetClient(tls.replicaClient(new NetClientOptions())).connect(port, "127.0.0.1");
    }
}
