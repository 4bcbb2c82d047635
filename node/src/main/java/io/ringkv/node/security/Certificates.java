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
import org.bouncycastle.util.IPAddress;
import org.bouncycastle.util.io.pem.PemGenerationException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
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
import java.util.Set;
import java.util.regex.Pattern;

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
            X509v3CertificateBuilder b = builder(issuer, subject, keys, validity,
                    ca.certificate().getNotAfter().toInstant());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, server
                    ? new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth})
                    : new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
            if (!hosts.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                for (String host : hosts) {
                    names.add(subjectAltName(host));
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

    /** Whether {@code key} signs what {@code certificate}'s public key verifies. */
    public static boolean keyMatches(PrivateKey key, X509Certificate certificate) {
        try {
            byte[] probe = "ringkv key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update(probe);
            byte[] signature = s.sign();
            s.initVerify(certificate.getPublicKey());
            s.update(probe);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
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

    /** Writes {@code text} to a new file readable by its owner only (a password, a secret). */
    public static void writeSecret(Path file, String text) throws IOException {
        write(file, text, true);
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
        // Written whole to a new file beside it (never through a link an attacker left; for a secret,
        // owner-only from the start), synced, then moved over the old one: a crash leaves one or the other.
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (secret && !posix) {
            throw new IOException("cannot make " + file + " readable by its owner only on this file system");
        }
        FileAttribute<?>[] attributes = secret ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
        try (FileChannel channel = (FileChannel) Files.newByteChannel(temp, options, attributes)) {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Duration validity) {
        return builder(issuer, subject, keys, validity, null);
    }

    /** @param notAfterCap no certificate outlives its issuer's; null for a self-signed one */
    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Duration validity,
                                             Instant notAfterCap) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("a certificate's lifetime must be positive");
        }
        Instant now = clock.instant();
        Instant notAfter = now.plus(validity);
        if (notAfterCap != null && notAfter.isAfter(notAfterCap)) {
            notAfter = notAfterCap;
        }
        // Back-dated a little: a peer whose clock is slightly behind must not see a certificate from the future.
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, random).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(notAfter), subject, keys.getPublic());
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

    /** An IP address or a DNS name, checked: never a name lookup, a mask, a zone or a wildcard. */
    private static GeneralName subjectAltName(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (IPAddress.isValidIPv4(h) || IPAddress.isValidIPv6(h)) {
            return new GeneralName(GeneralName.iPAddress, h);
        }
        // A name whose last label is all digits is a mistyped address ("10.0.1"), not a host name.
        if (!DNS_NAME.matcher(h).matches() || h.substring(h.lastIndexOf('.') + 1).chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not an IP address or a DNS name: " + host);
        }
        return new GeneralName(GeneralName.dNSName, h);
    }

    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
}
