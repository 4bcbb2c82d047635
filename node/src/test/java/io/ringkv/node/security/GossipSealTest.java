package io.ringkv.node.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Gossip opens only when a node of the cluster's authority signed it, and says which node did. */
class GossipSealTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private final Certificates certs = new Certificates(new SecureRandom(), CLOCK);
    private final Certificates.Issued ca = certs.createCa("test", Duration.ofDays(3650));
    private final AtomicInteger rejected = new AtomicInteger();

    @TempDir
    Path dir;

    private NodeTls tls(Certificates.Issued authority, String nodeId) throws Exception {
        Path d = Files.createDirectories(dir.resolve(nodeId + "-" + System.nanoTime()));
        Certificates.writeCertificate(d.resolve(NodeTls.CA_FILE), authority.certificate());
        Certificates.Issued node = certs.issueNode(authority, nodeId, List.of("127.0.0.1"), Duration.ofDays(30));
        Certificates.writeCertificate(d.resolve(NodeTls.NODE_CERT_FILE), node.certificate());
        Certificates.writeKey(d.resolve(NodeTls.NODE_KEY_FILE), node.key());
        return NodeTls.load(d, nodeId, CLOCK);
    }

    private GossipSeal receiver(Clock clock) throws Exception {
        return tls(ca, "n1").gossipSeal(clock, rejected::incrementAndGet);
    }

    @Test
    void aMessageSignedByANodeOfTheClusterOpensWithItsSigner() throws Exception {
        String sealed = tls(ca, "n2").gossipSeal(CLOCK, () -> { }).seal("{\"from\":\"n2\"}");
        GossipSeal.Opened opened = receiver(CLOCK).open(sealed).orElseThrow();
        assertThat(opened.signer()).isEqualTo("n2");
        assertThat(opened.body()).isEqualTo("{\"from\":\"n2\"}");
        assertThat(rejected).hasValue(0);
    }

    @Test
    void unsignedForgedTamperedOrForeignGossipIsDroppedAndCounted() throws Exception {
        GossipSeal receiver = receiver(CLOCK);
        String genuine = tls(ca, "n2").gossipSeal(CLOCK, () -> { }).seal("{\"from\":\"n2\",\"ring\":1}");

        assertThat(receiver.open("{\"from\":\"n2\",\"ring\":{\"version\":9223372036854775807}}")).as("unsigned").isEmpty();
        assertThat(receiver.open(genuine.replace("\\\"ring\\\":1", "\\\"ring\\\":2"))).as("tampered body").isEmpty();
        assertThat(receiver.open(genuine.replace("\"signer\":\"n2\"", "\"signer\":\"n3\""))).as("another signer named")
                .isEmpty();
        Certificates.Issued rogue = certs.createCa("rogue", Duration.ofDays(3650));
        String foreign = tls(rogue, "n2").gossipSeal(CLOCK, () -> { }).seal("{\"from\":\"n2\"}");
        assertThat(receiver.open(foreign)).as("signed under another authority").isEmpty();
        assertThat(receiver.open("not json")).isEmpty();
        assertThat(rejected).hasValue(5);
    }

    @Test
    void gossipSignedWithAnExpiredCertificateIsDropped() throws Exception {
        String sealed = tls(ca, "n2").gossipSeal(CLOCK, () -> { }).seal("{\"from\":\"n2\"}");
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(40)), ZoneOffset.UTC);
        assertThat(receiver(later).open(sealed)).isEmpty();
        assertThat(receiver(CLOCK).open(sealed)).as("the same message, while the certificate is valid").isPresent();
    }
}
