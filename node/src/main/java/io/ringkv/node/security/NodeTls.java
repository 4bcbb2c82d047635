package io.ringkv.node.security;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * A node's TLS: its certificate and key, and the cluster's certificate authority, from its certs
 * directory ({@code ca.crt}, {@code node.crt}, {@code node.key}). Every listener speaks TLS with the
 * node's certificate; replica connections are mutual, each side proving with its certificate which
 * node it is, and both trusting only the cluster's authority.
 *
 * <p>Loading checks what would otherwise fail later and less clearly: the files exist, the
 * certificate names this node (so a node cannot start with another node's certificate) and was
 * issued by the cluster's authority, and it has not expired. It warns 30 days before expiry.
 */
public final class NodeTls {

    public static final String CA_FILE = "ca.crt";
    public static final String NODE_CERT_FILE = "node.crt";
    public static final String NODE_KEY_FILE = "node.key";
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private static final Logger log = LoggerFactory.getLogger(NodeTls.class);

    private final String nodeId;
    private final Path ca;
    private final Path cert;
    private final Path key;
    private final X509Certificate authority;
    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private NodeTls(String nodeId, Path ca, Path cert, Path key, X509Certificate authority, X509Certificate certificate,
                    PrivateKey privateKey) {
        this.nodeId = nodeId;
        this.ca = ca;
        this.cert = cert;
        this.key = key;
        this.authority = authority;
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /**
     * Loads and checks the certificates of node {@code nodeId} from {@code dir}.
     *
     * @throws IllegalArgumentException naming the problem, when they cannot serve this node
     */
    public static NodeTls load(Path dir, String nodeId, Clock clock) {
        Path ca = dir.resolve(CA_FILE);
        Path cert = dir.resolve(NODE_CERT_FILE);
        Path key = dir.resolve(NODE_KEY_FILE);
        for (Path p : List.of(ca, cert, key)) {
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException("missing " + p + ": create the certificates with `kv certs "
                        + "create-ca` and `kv certs create-node --id " + nodeId + "`, or start with --insecure");
            }
        }
        X509Certificate authority;
        X509Certificate mine;
        PrivateKey privateKey;
        try {
            authority = Certificates.readCertificate(ca);
            mine = Certificates.readCertificate(cert);
            privateKey = Certificates.readKey(key);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the certificates in " + dir + ": " + e.getMessage(), e);
        }
        String named = Certificates.subject(mine, Certificates.NODE_UNIT).orElseThrow(() ->
                new IllegalArgumentException(cert + " is not a node certificate (subject " + mine.getSubjectX500Principal()
                        + ")"));
        if (!named.equals(nodeId)) {
            throw new IllegalArgumentException(cert + " is node " + named + "'s certificate, not " + nodeId + "'s");
        }
        try {
            mine.verify(authority.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(cert + " was not issued by the certificate authority " + ca, e);
        }
        try {
            mine.checkValidity(Date.from(clock.instant()));
            authority.checkValidity(Date.from(clock.instant()));
        } catch (CertificateException e) {
            throw new IllegalArgumentException(cert + " or " + ca + " has expired or is not valid yet: issue new "
                    + "certificates", e);
        }
        if (!Certificates.keyMatches(privateKey, mine)) {
            throw new IllegalArgumentException(key + " is not the key of " + cert);
        }
        NodeTls tls = new NodeTls(nodeId, ca, cert, key, authority, mine, privateKey);
        tls.warnIfExpiring(clock);
        return tls;
    }

    /** When this node's certificate expires. */
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /**
     * Signs this node's gossip with its key and opens only what nodes of the cluster's authority
     * signed; {@code onRejected} counts what it drops.
     */
    public GossipSeal gossipSeal(Clock clock, Runnable onRejected) {
        return new GossipSeal(nodeId, certificate, privateKey, authority, clock, onRejected);
    }

    /** Logs a warning when the node's certificate expires within 30 days. */
    public void warnIfExpiring(Clock clock) {
        Duration left = Duration.between(clock.instant(), notAfter());
        if (left.compareTo(EXPIRY_WARNING) < 0) {
            log.atWarn().addKeyValue("expires", notAfter()).addKeyValue("days_left", left.toDays())
                    .log("this node's certificate expires soon: issue a new one with kv certs create-node");
        }
    }

    /** The client API over TLS (client certificates are not asked for yet). */
    public HttpServerOptions https(HttpServerOptions options) {
        options.setSsl(true).setKeyCertOptions(keyCert()).setClientAuth(ClientAuth.NONE);
        engine().ifPresent(options::setSslEngineOptions);
        return options;
    }

    /**
     * BoringSSL (netty-tcnative) when it loads on this platform, else the JDK's TLS: OpenSSL's engine
     * costs the nodes less CPU per request (BENCHMARKS.md).
     */
    static Optional<OpenSSLEngineOptions> engine() {
        return OpenSSLEngineOptions.isAvailable() ? Optional.of(new OpenSSLEngineOptions()) : Optional.empty();
    }

    /** The replica server: mutual TLS, only certificates of the cluster's authority. */
    public NetServerOptions replicaServer(NetServerOptions options) {
        options.setSsl(true).setKeyCertOptions(keyCert()).setTrustOptions(trust()).setClientAuth(ClientAuth.REQUIRED);
        engine().ifPresent(options::setSslEngineOptions);
        return options;
    }

    /**
     * Replica connections: this node's certificate to prove who it is, the cluster's authority to
     * trust. The host name is not what matters between nodes, the node id is: the caller checks the
     * peer's certificate names the node it meant to reach ({@link #peerNode}).
     */
    public NetClientOptions replicaClient(NetClientOptions options) {
        options.setSsl(true).setKeyCertOptions(keyCert()).setTrustOptions(trust());
        options.setHostnameVerificationAlgorithm("");
        engine().ifPresent(options::setSslEngineOptions);
        return options;
    }

    /** The node a TLS connection's peer proved to be, from its certificate; empty when it proved none. */
    public static Optional<String> peerNode(NetSocket socket) {
        try {
            List<Certificate> chain = socket.peerCertificates();
            if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate x509)) {
                return Optional.empty();
            }
            return Certificates.subject(x509, Certificates.NODE_UNIT);
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    private PemKeyCertOptions keyCert() {
        return new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
    }

    private PemTrustOptions trust() {
        return new PemTrustOptions().addCertPath(ca.toString());
    }
}
