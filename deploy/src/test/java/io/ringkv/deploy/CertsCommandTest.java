package io.ringkv.deploy;

import io.ringkv.node.security.Certificates;
import io.ringkv.node.security.ContextSeal;
import io.ringkv.node.security.NodeTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kv certs}: what each subcommand writes, and what it refuses. */
class CertsCommandTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int kv(String... args) {
        CommandLine cli = Kv.commandLine();
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void anAuthorityIssuesNodeAndClientCertificatesThatNameWhomTheySpeakFor() throws Exception {
        Path certs = dir.resolve("certs");
        String caKey = dir.resolve("safe/ca.key").toString();
        assertThat(kv("certs", "create-ca", "--certs-dir", certs.toString(), "--ca-key", caKey)).isZero();
        assertThat(kv("certs", "create-node", "--id", "n4", "--host", "10.0.0.4", "--host", "db4.example",
                "--certs-dir", certs.toString(), "--ca-key", caKey)).isZero();
        assertThat(kv("certs", "create-client", "--user", "alice", "--certs-dir", certs.toString(), "--ca-key", caKey))
                .isZero();

        X509Certificate node = Certificates.readCertificate(certs.resolve(NodeTls.NODE_CERT_FILE));
        X509Certificate ca = Certificates.readCertificate(certs.resolve(NodeTls.CA_FILE));
        node.verify(ca.getPublicKey());
        assertThat(Certificates.subject(node, Certificates.NODE_UNIT)).contains("n4");
        assertThat(node.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
                .containsExactly("10.0.0.4", "db4.example");
        X509Certificate client = Certificates.readCertificate(certs.resolve("client.alice.crt"));
        assertThat(Certificates.subject(client, Certificates.CLIENT_UNIT)).contains("alice");
        assertThat(Certificates.subject(client, Certificates.NODE_UNIT)).as("a client certificate is no node's").isEmpty();
        assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");

        Path keys = certs.resolve(ContextSeal.KEYS_FILE);
        assertThat(Files.getPosixFilePermissions(keys)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        String sealedBefore = ContextSeal.load(certs).seal("k", "ctx");
        assertThat(kv("certs", "create-context-key", "--certs-dir", certs.toString(), "--id", "k2")).isZero();
        assertThat(ContextSeal.load(certs).keyIds()).as("added, not yet sealing").containsExactly("k1", "k2");
        assertThat(kv("certs", "create-context-key", "--certs-dir", certs.toString(), "--id", "k2", "--promote")).isZero();
        assertThat(ContextSeal.load(certs).keyIds()).containsExactly("k2", "k1");
        assertThat(ContextSeal.load(certs).open("k", sealedBefore)).as("old contexts still open").contains("ctx");
        assertThat(kv("certs", "create-context-key", "--certs-dir", certs.toString(), "--id", "k2")).isNotZero();
    }

    @Test
    void nothingIsOverwrittenUnlessAskedAndNamesAreChecked() {
        Path certs = dir.resolve("certs");
        String caKey = dir.resolve("ca.key").toString();
        assertThat(kv("certs", "create-ca", "--certs-dir", certs.toString(), "--ca-key", caKey)).isZero();
        assertThat(kv("certs", "create-ca", "--certs-dir", certs.toString(), "--ca-key", caKey)).isNotZero();
        assertThat(err.toString()).contains("exists; pass --overwrite");
        assertThat(kv("certs", "create-node", "--id", "../n1", "--host", "127.0.0.1", "--certs-dir", certs.toString(),
                "--ca-key", caKey)).isNotZero();
        assertThat(err.toString()).contains("--id must be 1 to 64 letters");
        assertThat(kv("certs", "create-node", "--id", "n1", "--host", "127.0.0.1", "--certs-dir",
                dir.resolve("empty").toString(), "--ca-key", caKey)).isNotZero();
        assertThat(err.toString()).contains("run kv certs create-ca first");
        for (String host : new String[] {"1.2", "*.example", "10.0.0.1/24", "fe80::/64"}) {
            assertThat(kv("certs", "create-node", "--id", "n1", "--host", host, "--certs-dir", certs.toString(),
                    "--ca-key", caKey)).as(host).isNotZero();
        }
        assertThat(err.toString()).contains("not an IP address or a DNS name: *.example");
    }

    @Test
    void aNodeRefusesToStartOpenUnlessToldInsecure() {
        assertThat(kv("node", "--id", "n1", "--data-dir", dir.resolve("n1").toString())).isNotZero();
        assertThat(err.toString()).contains("refusing to start an open node").contains("--insecure");
        assertThat(kv("node", "--id", "n1", "--insecure", "--certs-dir", dir.toString())).isNotZero();
        assertThat(err.toString()).contains("contradict");
    }
}
