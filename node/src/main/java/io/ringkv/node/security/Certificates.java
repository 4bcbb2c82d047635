package io.ringkv.node.security;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemGenerationException;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The certificates of a cluster, made with BouncyCastle: one certificate authority per cluster, a
 * certificate per node (its subject names the node id, so a peer cannot pass for another node, and
 * its subject alternative names are the node's host names and addresses, so clients can verify the
 * host) and a certificate per client user. Keys are ECDSA P-256, drawn from the given secure random.
 *
 * <p>Whom a certificate speaks for is in its subject: {@code OU=ringkv-node, CN=<node id>} or
 * {@code OU=ringkv-client, CN=<user>}. The certificate authority's {@code OU} is {@code ringkv-ca}.
 */
public final class Certificates {

    public static final String CA_UNIT = "ringkv-ca";
    public static final String NODE_UNIT = "ringkv-node";
    public static final String CLIENT_UNIT = "ringkv-client";

    /** A certificate and its private key. */
    public record Issued(X509Certificate certificate, PrivateKey key) {
    }

    private final SecureRandom random;
    private final Clock clock;

    public Certificates(SecureRandom random, Clock clock) {
        this.random = random;
        this.clock = clock;
    }

    /** A self-signed certificate authority named after the cluster. */
    public Issued createCa(String clusterName, Duration validity) {
        KeyPair keys = newKeyPair();
        X500Name name = name(CA_UNIT, clusterName + " certificate authority");
        try {
            X509v3CertificateBuilder b = builder(name, name, keys, validity);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new Issued(sign(b, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create the certificate authority: " + e.getMessage(), e);
        }
    }

    /**
     * A node's certificate, good to serve (clients, peers) and to connect (to peers).
     *
     * @param hosts the host names and IP addresses clients and peers reach the node at
     */
    public Issued issueNode(Issued ca, String nodeId, List<String> hosts, Duration validity) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a node certificate needs at least one host name or address");
        }
        return issue(ca, name(NODE_UNIT, nodeId), hosts, validity, true);
    }

    /** A client user's certificate, good only to connect. */
    public Issued issueClient(Issued ca, String user, Duration validity) {
        return issue(ca, name(CLIENT_UNIT, user), List.of(), validity, false);
    }

    private Issued issue(Issued ca, X500Name subject, List<String> hosts, Duration validity, boolean server) {
        KeyPair keys = newKeyPair();
        try {
            X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = builder(issuer, subject, keys, validity);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            b.addExtension(Extension.extendedKeyUsage, false, server
                    ? new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth})
                    : new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
            if (!hosts.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                for (String host : hosts) {
                    names.add(isAddress(host) ? new GeneralName(GeneralName.iPAddress, host)
                            : new GeneralName(GeneralName.dNSName, host));
                }
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return new Issued(sign(b, ca.key()), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Whom a certificate speaks for, from its subject: the node id or user name in its common name,
     * if its organizational unit is {@code unit}.
     */
    public static Optional<String> subject(X509Certificate certificate, String unit) {
        X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        if (name.getRDNs(BCStyle.OU).length != 1 || name.getRDNs(BCStyle.CN).length != 1) {
            return Optional.empty();
        }
        String ou = IETFUtils.valueToString(name.getRDNs(BCStyle.OU)[0].getFirst().getValue());
        String cn = IETFUtils.valueToString(name.getRDNs(BCStyle.CN)[0].getFirst().getValue());
        return ou.equals(unit) ? Optional.of(cn) : Optional.empty();
    }

    /** Writes a certificate as PEM, readable by anyone. */
    public static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        write(file, pem(certificate), false);
    }

    /** Writes a private key as unencrypted PKCS#8 PEM, readable by its owner only. */
    public static void writeKey(Path file, PrivateKey key) throws IOException {
        try {
            write(file, pem(new JcaPKCS8Generator(key, null)), true);
        } catch (PemGenerationException e) {
            throw new IOException("cannot encode the key: " + e.getMessage(), e);
        }
    }

    public static X509Certificate readCertificate(Path file) throws IOException {
        Object o = readPem(file);
        if (!(o instanceof X509CertificateHolder holder)) {
            throw new IOException(file + " does not hold a PEM certificate");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    public static PrivateKey readKey(Path file) throws IOException {
        Object o = readPem(file);
        if (!(o instanceof PrivateKeyInfo info)) {
            throw new IOException(file + " does not hold a PEM PKCS#8 private key");
        }
        return new JcaPEMKeyConverter().getPrivateKey(info);
    }

    private static Object readPem(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            if (o == null) {
                throw new IOException(file + " holds no PEM object");
            }
            return o;
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(o);
        }
        return s.toString();
    }

    /** Writes a new file, created owner-only from the start when it holds a secret (no window of wider access). */
    private static void write(Path file, String text, boolean secret) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.deleteIfExists(file);
        if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            w.write(text);
        }
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Duration validity) {
        Instant now = clock.instant();
        // Back-dated a little: a peer whose clock is slightly behind must not see a certificate from the future.
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, random).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws CertificateException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (OperatorCreationException e) {
            throw new CertificateException("cannot sign: " + e.getMessage(), e);
        }
    }

    private KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC P-256 key generator: " + e.getMessage(), e);
        }
    }

    private static X500Name name(String unit, String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.OU, unit).addRDN(BCStyle.CN, commonName).build();
    }

    private static boolean isAddress(String host) {
        // Literal addresses only: never a name lookup while making a certificate.
        return host.matches("[0-9.]+") || host.contains(":");
    }
}
