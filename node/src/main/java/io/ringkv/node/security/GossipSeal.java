package io.ringkv.node.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs the metadata a node gossips (ring, ring change, settings, join requests) with its node key,
 * and opens what other members gossip only when a node of the cluster's authority signed it.
 *
 * <p>Hazelcast's open-source edition authenticates nobody: whoever reaches a gossip port with the
 * cluster's name can join and publish. So every message travels in an envelope carrying the signer's
 * node certificate and an ECDSA signature over the message; the receiver checks the certificate was
 * issued by the cluster's authority, is valid now and names a node, then checks the signature. A
 * message that fails any check is dropped and counted. Verified certificates are remembered, so a
 * message costs one signature check.
 */
public final class GossipSeal {

    /** An opened message: who signed it (a node id the certificate proved), and what it said. */
    public record Opened(String signer, String body) {
    }

    private record Envelope(@JsonProperty("signer") String signer, @JsonProperty("cert") String cert,
                            @JsonProperty("sig") String sig, @JsonProperty("body") String body) {
    }

    private static final Logger log = LoggerFactory.getLogger(GossipSeal.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALGORITHM = "SHA256withECDSA";
    /** Certificates seen in envelopes are few (one per node); a bound keeps junk from filling memory. */
    private static final int MAX_REMEMBERED = 1024;

    private final String self;
    private final String certificate;
    private final PrivateKey key;
    private final X509Certificate authority;
    private final Clock clock;
    private final Runnable onRejected;
    /** Base64 DER of a certificate already checked against the authority, and the node it names. */
    private final Map<String, X509Certificate> verified = new ConcurrentHashMap<>();

    GossipSeal(String self, X509Certificate certificate, PrivateKey key, X509Certificate authority, Clock clock,
               Runnable onRejected) {
        this.self = self;
        try {
            this.certificate = Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot encode the node certificate", e);
        }
        this.key = key;
        this.authority = authority;
        this.clock = clock;
        this.onRejected = onRejected;
    }

    /** The envelope of {@code body}, signed by this node. */
    public String seal(String body) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(body.getBytes(StandardCharsets.UTF_8));
            String sig = Base64.getEncoder().encodeToString(s.sign());
            return JSON.writeValueAsString(new Envelope(self, certificate, sig, body));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot sign gossip: " + e.getMessage(), e);
        }
    }

    /** What a member's envelope says, if a node of the cluster signed it; empty (and counted) otherwise. */
    public Optional<Opened> open(String raw) {
        Envelope e;
        try {
            e = JSON.readValue(raw, Envelope.class);
        } catch (IOException | IllegalArgumentException ex) {
            return reject("not a signed envelope", null);
        }
        if (e.signer() == null || e.cert() == null || e.sig() == null || e.body() == null) {
            return reject("an envelope without signer, certificate or signature", e.signer());
        }
        Optional<X509Certificate> cert = certificate(e.cert());
        if (cert.isEmpty()) {
            return reject("a certificate the cluster's authority did not issue, or not valid now", e.signer());
        }
        if (!Certificates.subject(cert.get(), Certificates.NODE_UNIT).map(e.signer()::equals).orElse(false)) {
            return reject("a certificate that is not the signer's node certificate", e.signer());
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(cert.get().getPublicKey());
            s.update(e.body().getBytes(StandardCharsets.UTF_8));
            if (!s.verify(Base64.getDecoder().decode(e.sig()))) {
                return reject("a bad signature", e.signer());
            }
        } catch (GeneralSecurityException | IllegalArgumentException ex) {
            return reject("a bad signature", e.signer());
        }
        return Optional.of(new Opened(e.signer(), e.body()));
    }

    private Optional<X509Certificate> certificate(String base64) {
        X509Certificate known = verified.get(base64);
        Date now = Date.from(clock.instant());
        try {
            if (known == null) {
                X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
                c.verify(authority.getPublicKey());
                if (verified.size() < MAX_REMEMBERED) {
                    verified.put(base64, c);
                }
                known = c;
            }
            known.checkValidity(now);
            return Optional.of(known);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException ex) {
            return Optional.empty();
        }
    }

    private Optional<Opened> reject(String why, String claimed) {
        onRejected.run();
        log.atDebug().addKeyValue("claimed_signer", claimed).addKeyValue("reason", why).log("dropped unsigned gossip");
        return Optional.empty();
    }
}
