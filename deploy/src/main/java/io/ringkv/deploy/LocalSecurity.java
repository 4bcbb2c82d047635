package io.ringkv.deploy;

import io.ringkv.client.ClusterTrust;
import io.ringkv.client.KvClient;
import io.ringkv.node.security.Certificates;
import io.ringkv.node.security.ContextSeal;
import io.ringkv.node.security.NodeTls;
import io.ringkv.node.security.PasswordHash;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * What a secure {@code kv local} cluster needs, kept under its directory and made only once: a
 * certificate authority ({@code certs/ca.crt}, its key in {@code safe/ca.key}), each node's certificate
 * for 127.0.0.i ({@code certs/n<i>/}), the first admin's random password ({@code safe/admin.password})
 * and {@code client.env}. Secrets are files only their owner can read.
 */
final class LocalSecurity {

    private final Path dir;
    private final Path ca;
    private final Path passwordFile;
    private final String password;
    private final Path clientEnv;

    private LocalSecurity(Path dir, Path ca, Path passwordFile, String password, Path clientEnv) {
        this.dir = dir;
        this.ca = ca;
        this.passwordFile = passwordFile;
        this.password = password;
        this.clientEnv = clientEnv;
    }

    /** Makes what is missing for {@code nodes} nodes on 127.0.0.1 .. 127.0.0.nodes, port {@code port}. */
    static LocalSecurity prepare(Path dir, int nodes, int port) throws IOException {
        Path base = dir.toAbsolutePath();
        SecureRandom random = new SecureRandom();
        Certificates certificates = new Certificates(random, Clock.systemUTC());
        Path certs = base.resolve("certs");
        Path ca = certs.resolve(NodeTls.CA_FILE);
        Path caKey = base.resolve("safe").resolve("ca.key");
        Path contextKeys = certs.resolve(ContextSeal.KEYS_FILE);
        if (!Files.isRegularFile(contextKeys)) {
            Certificates.writeSecret(contextKeys, ContextSeal.newKeyLine("k1", random) + "\n");
        }
        Certificates.Issued authority;
        if (Files.isRegularFile(ca) && Files.isRegularFile(caKey)) {
            authority = new Certificates.Issued(Certificates.readCertificate(ca), Certificates.readKey(caKey));
        } else {
            authority = certificates.createCa("kv local", Duration.ofDays(3650));
            Certificates.writeCertificate(ca, authority.certificate());
            Certificates.writeKey(caKey, authority.key());
        }
        for (int i = 1; i <= nodes; i++) {
            Path nodeDir = certs.resolve("n" + i);
            if (!Files.isRegularFile(nodeDir.resolve(NodeTls.NODE_CERT_FILE))) {
                Certificates.Issued node = certificates.issueNode(authority, "n" + i, List.of("127.0.0." + i, "localhost"),
                        Duration.ofDays(365));
                Certificates.writeCertificate(nodeDir.resolve(NodeTls.CA_FILE), authority.certificate());
                Certificates.writeCertificate(nodeDir.resolve(NodeTls.NODE_CERT_FILE), node.certificate());
                Certificates.writeKey(nodeDir.resolve(NodeTls.NODE_KEY_FILE), node.key());
            }
            if (!Files.isRegularFile(nodeDir.resolve(ContextSeal.KEYS_FILE))) {
                Certificates.writeSecret(nodeDir.resolve(ContextSeal.KEYS_FILE), Files.readString(contextKeys));
            }
        }
        Path passwordFile = base.resolve("safe").resolve("admin.password");
        if (!Files.isRegularFile(passwordFile)) {
            byte[] secret = new byte[16];
            random.nextBytes(secret);
            Certificates.writeSecret(passwordFile, HexFormat.of().formatHex(secret) + "\n");
        }
        String password = PasswordHash.readFile(passwordFile);
        Path clientEnv = base.resolve("client.env");
        Certificates.writeSecret(clientEnv, "export KV_NODE=127.0.0.1:" + port + "\n"
                + "export KV_CACERT='" + ca + "'\n"
                + "export KV_USER=admin\n"
                + "export KV_PASSWORD='" + password + "'\n");
        return new LocalSecurity(base, ca, passwordFile, password, clientEnv);
    }

    /** The options of node i: its certificates, and for the founder, the first admin's password. */
    List<String> nodeArgs(int i) {
        Path certs = dir.resolve("certs").resolve("n" + i);
        return i == 1 ? List.of("--certs-dir", certs.toString(), "--bootstrap-admin-password-file", passwordFile.toString())
                : List.of("--certs-dir", certs.toString());
    }

    SSLContext trust() {
        return ClusterTrust.sslContext(ca);
    }

    /** A client of this cluster: HTTPS trusting its authority, as admin. */
    void configure(KvClient.Builder builder) {
        builder.trustCertificateAuthority(ca).credentials("admin", password);
    }

    Path clientEnv() {
        return clientEnv;
    }
}
