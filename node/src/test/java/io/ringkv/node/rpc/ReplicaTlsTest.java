package io.ringkv.node.rpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.coordinator.ConflictMode;
import io.ringkv.node.security.Certificates;
import io.ringkv.node.security.NodeTls;
import io.ringkv.node.security.Role;
import io.ringkv.node.security.User;
import io.ringkv.node.security.Users;
import io.ringkv.node.storage.MemoryStore;
import io.ringkv.node.storage.ReplicaStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Replica connections under mutual TLS, over real handshakes on loopback: a node answers only peers
 * whose certificates name nodes it knows, and a caller talks only to the node it meant to reach.
 */
class ReplicaTlsTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private final Vertx vertx = Vertx.vertx();
    private final ReplicaStore store = new ReplicaStore(new MemoryStore(), 2, 10_000, 1 << 20, () -> ConflictMode.SIBLINGS);
    private final Certificates certs = new Certificates(new SecureRandom(), CLOCK);
    private final Certificates.Issued ca = certs.createCa("test", Duration.ofDays(30));
    private static final Users USERS = Users.NONE.with(new User("alice", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
            Set.of(Role.READ), ""));

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        store.close();
    }

    private NodeTls tls(String nodeId) throws Exception {
        Path d = Files.createDirectories(dir.resolve(nodeId));
        Certificates.writeCertificate(d.resolve(NodeTls.CA_FILE), ca.certificate());
        Certificates.Issued node = certs.issueNode(ca, nodeId, List.of("127.0.0.1"), Duration.ofDays(30));
        Certificates.writeCertificate(d.resolve(NodeTls.NODE_CERT_FILE), node.certificate());
        Certificates.writeKey(d.resolve(NodeTls.NODE_KEY_FILE), node.key());
        return NodeTls.load(d, nodeId, CLOCK);
    }

    private <T> T onContext(Supplier<Future<T>> work) throws Exception {
        Promise<T> p = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> work.get().onComplete(p));
        return p.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Node {@code server}'s replica server, which knows the nodes in {@code known}; returns its port. */
    private int serve(NodeTls server, Set<String> known) throws Exception {
        ReplicaServer replicas = new ReplicaServer(store, null, null, vertx.getOrCreateContext(), () -> false,
                Optional.of(server), known::contains, () -> USERS);
        return onContext(() -> vertx.createNetServer(server.replicaServer(new NetServerOptions().setHost("127.0.0.1")
                .setPort(0))).connectHandler(replicas::serve).listen()).actualPort();
    }

    private ReplicaClient client(NodeTls tls, int port) throws Exception {
        return onContext(() -> Future.succeededFuture(new ReplicaClient(vertx, "127.0.0.1",
                node -> SocketAddress.inetSocketAddress(port, "127.0.0.1"), 1000, 100, Optional.of(tls))));
    }

    private static RpcRequest read() {
        return new RpcRequest(0, RpcRequest.Op.READ, "k", null, null, null);
    }

    @Test
    void aKnownNodeCallingTheNodeItMeantIsServed() throws Exception {
        int port = serve(tls("n1"), Set.of("n2"));
        ReplicaClient n2 = client(tls("n2"), port);
        assertThat(onContext(() -> n2.call("n1", read(), 5_000)).status()).isEqualTo(RpcResponse.Status.OK);
    }

    @Test
    void aCallerRefusesAPeerWhoseCertificateNamesAnotherNode() throws Exception {
        // Gossip said n3 is at this address; the node there proves to be n1.
        int port = serve(tls("n1"), Set.of("n2"));
        ReplicaClient n2 = client(tls("n2"), port);
        assertThatThrownBy(() -> onContext(() -> n2.call("n3", read(), 5_000)))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RpcException.class)
                .hasMessageContaining("node n1's, not n3's");
    }

    @Test
    void aNodeRefusesAPeerItDoesNotKnowEvenWithACertificateOfTheCluster() throws Exception {
        int port = serve(tls("n1"), Set.of("n2"));
        ReplicaClient stranger = client(tls("n7"), port);
        assertThatThrownBy(() -> onContext(() -> stranger.call("n1", read(), 5_000)))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RpcException.class)
                .satisfies(e -> assertThat(((RpcException) e.getCause()).kind()).as("refused, not timed out")
                        .isNotEqualTo(RpcException.Kind.TIMEOUT));
    }

    @Test
    void aClientCertificateOfTheClusterIsNoNodeCertificate() throws Exception {
        int port = serve(tls("n1"), Set.of("n2", "alice"));
        Path d = Files.createDirectories(dir.resolve("alice"));
        Certificates.Issued alice = certs.issueClient(ca, "alice", Duration.ofDays(30));
        Certificates.writeCertificate(d.resolve("client.crt"), alice.certificate());
        Certificates.writeKey(d.resolve("client.key"), alice.key());
        Certificates.writeCertificate(d.resolve(NodeTls.CA_FILE), ca.certificate());
        NetClientOptions options = new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("")
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(d.resolve("client.crt").toString())
                        .setKeyPath(d.resolve("client.key").toString()))
                .setTrustOptions(new PemTrustOptions().addCertPath(d.resolve(NodeTls.CA_FILE).toString()));
        Buffer frame = RpcCodec.frame(new RpcRequest(1, RpcRequest.Op.READ, "k", null, null, null, null, null));
        CompletableFuture<String> outcome = new CompletableFuture<>();
        vertx.createNetClient(options).connect(port, "127.0.0.1").onComplete(ar -> {
            if (ar.failed()) {
                outcome.complete("refused at the handshake");
                return;
            }
            ar.result().handler(b -> outcome.complete("answered"));
            ar.result().closeHandler(v -> outcome.complete("closed"));
            ar.result().write(frame);
        });
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isNotEqualTo("answered");
    }

    @Test
    void aKnownNodeGetsTheUsersOverMutualTls() throws Exception {
        int port = serve(tls("n1"), Set.of("n2"));
        ReplicaClient n2 = client(tls("n2"), port);
        RpcResponse r = onContext(() -> n2.call("n1", new RpcRequest(0, RpcRequest.Op.USERS, null, null, null, null), 5_000));
        assertThat(r.status()).isEqualTo(RpcResponse.Status.OK);
        assertThat(new ObjectMapper().readValue(r.state(), Users.class)).isEqualTo(USERS);
    }
}
