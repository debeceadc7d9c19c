package io.clink.testkit.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.jspecify.annotations.Nullable;

/**
 * A throwaway PKI for TLS tests, made with BouncyCastle for this run: certificate authorities, leaf certificates
 * usable by servers and clients alike, PEM files written the way {@code openssl} writes them, and client
 * {@link SSLContext}s.
 *
 * <p>Certificates are valid from an hour ago to two days ahead. Every method is static and thread-safe; the ones that
 * generate keys take a few milliseconds (EC) to a few hundred (RSA 2048). Failures of the JDK's or BouncyCastle's
 * cryptography, which a test cannot recover from, are thrown unchecked.
 *
 * @since 0.1.0
 */
public final class TestPki {

    /** The names a leaf made by {@link #leaf(Identity, String, KeyPair)} carries: loopback by address and by name. */
    public static final List<String> LOOPBACK_DNS_NAMES = List.of("localhost");

    /** The IP addresses a leaf made by {@link #leaf(Identity, String, KeyPair)} carries. */
    public static final List<String> LOOPBACK_IP_ADDRESSES = List.of("127.0.0.1");

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xFFFFFFL);

    private TestPki() {}

    /**
     * A key pair and its certificate.
     *
     * @param keys the key pair, not null
     * @param certificate the certificate of the public key, not null
     * @since 0.1.0
     */
    public record Identity(KeyPair keys, X509Certificate certificate) {
        /**
         * The private key.
         *
         * @return {@code keys().getPrivate()}
         */
        public PrivateKey privateKey() {
            return keys.getPrivate();
        }
    }

    /**
     * The PEM files of one identity, as written by {@link #write(Path, String, Identity)}.
     *
     * @param cert the certificate file
     * @param key the PKCS#8 private key file
     * @since 0.1.0
     */
    public record Pem(Path cert, Path key) {}

    /**
     * A P-256 EC key pair.
     *
     * @return a new key pair
     * @since 0.1.0
     */
    public static KeyPair ecKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate P-256 keys", e);
        }
    }

    /**
     * An RSA 2048 key pair, the smallest size the JDK's TLS accepts by default.
     *
     * @return a new key pair
     * @since 0.1.0
     */
    public static KeyPair rsaKeys() {
        return rsaKeys(2048);
    }

    /**
     * An RSA key pair of a given size; small sizes keep unit tests fast where no TLS peer judges the key.
     *
     * @param bits the modulus size, at least 512
     * @return a new key pair
     * @throws IllegalArgumentException if {@code bits} is below 512
     * @since 0.1.0
     */
    public static KeyPair rsaKeys(int bits) {
        if (bits < 512) {
            throw new IllegalArgumentException("RSA key size must be at least 512 bits: " + bits);
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate RSA " + bits + " keys", e);
        }
    }

    /**
     * A self-signed CA certificate with an EC key.
     *
     * @param commonName the CN of its subject, not null
     * @return the CA's identity
     * @since 0.1.0
     */
    public static Identity ca(String commonName) {
        KeyPair keys = ecKeys();
        X500Name name = new X500Name("CN=" + Objects.requireNonNull(commonName, "commonName"));
        try {
            X509v3CertificateBuilder b = builder(name, name, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Identity(keys, sign(b, keys.getPrivate()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A leaf certificate signed by {@code issuer} for {@code 127.0.0.1} and {@code localhost}, valid for TLS servers
     * and clients.
     *
     * @param issuer the signing CA, not null
     * @param commonName the CN of its subject, not null
     * @param keys the leaf's key pair (EC or RSA), not null
     * @return the leaf's identity
     * @since 0.1.0
     */
    public static Identity leaf(Identity issuer, String commonName, KeyPair keys) {
        return leaf(issuer, commonName, keys, LOOPBACK_DNS_NAMES, LOOPBACK_IP_ADDRESSES);
    }

    /**
     * A leaf certificate signed by {@code issuer} with the given subject alternative names (none when both lists are
     * empty), valid for TLS servers and clients.
     *
     * @param issuer the signing CA, not null
     * @param commonName the CN of its subject, not null
     * @param keys the leaf's key pair (EC or RSA), not null
     * @param dnsNames DNS names, not null, may be empty
     * @param ipAddresses IP addresses in text form, not null, may be empty
     * @return the leaf's identity
     * @since 0.1.0
     */
    public static Identity leaf(
            Identity issuer, String commonName, KeyPair keys, List<String> dnsNames, List<String> ipAddresses) {
        try {
            X509v3CertificateBuilder b = builder(
                    new X500Name(issuer.certificate().getSubjectX500Principal().getName()),
                    new X500Name("CN=" + Objects.requireNonNull(commonName, "commonName")),
                    keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
            }));
            List<GeneralName> names = new ArrayList<>();
            ipAddresses.forEach(n -> names.add(new GeneralName(GeneralName.iPAddress, n)));
            dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
            if (!names.isEmpty()) {
                b.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            }
            return new Identity(keys, sign(b, issuer.privateKey()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes an identity's certificate and PKCS#8 key as {@code <name>.pem} and {@code <name>-key.pem} in {@code dir}.
     *
     * @param dir an existing directory, not null
     * @param name the file name stem, not null
     * @param id the identity, not null
     * @return the two files
     * @throws IOException if a file cannot be written
     * @since 0.1.0
     */
    public static Pem write(Path dir, String name, Identity id) throws IOException {
        return new Pem(
                writeCertificates(dir.resolve(name + ".pem"), id.certificate()),
                writePkcs8(dir.resolve(name + "-key.pem"), id.privateKey()));
    }

    /**
     * Writes certificates as PEM, one block each, in order.
     *
     * @param file the file to write (replaced if present), not null
     * @param certificates the certificates, not null
     * @return {@code file}
     * @throws IOException if the file cannot be written
     * @since 0.1.0
     */
    public static Path writeCertificates(Path file, X509Certificate... certificates) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (X509Certificate c : certificates) {
                pem.writeObject(c);
            }
        }
        return file;
    }

    /**
     * Writes a private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), as {@code openssl genpkey} does.
     *
     * @param file the file to write, not null
     * @param key the key, not null
     * @return {@code file}
     * @throws IOException if the file cannot be written
     * @since 0.1.0
     */
    public static Path writePkcs8(Path file, PrivateKey key) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS8Generator(key, null));
        }
        return file;
    }

    /**
     * Writes an RSA key as PKCS#1 PEM ({@code BEGIN RSA PRIVATE KEY}), as older {@code openssl genrsa} does.
     *
     * @param file the file to write, not null
     * @param k the key, not null
     * @return {@code file}
     * @throws IOException if the file cannot be written
     * @since 0.1.0
     */
    public static Path writePkcs1(Path file, RSAPrivateCrtKey k) throws IOException {
        byte[] der = new RSAPrivateKey(
                        k.getModulus(),
                        k.getPublicExponent(),
                        k.getPrivateExponent(),
                        k.getPrimeP(),
                        k.getPrimeQ(),
                        k.getPrimeExponentP(),
                        k.getPrimeExponentQ(),
                        k.getCrtCoefficient())
                .getEncoded();
        return writePem(file, "RSA PRIVATE KEY", der);
    }

    /**
     * Writes a P-256 EC key as SEC1 PEM ({@code BEGIN EC PRIVATE KEY}), as {@code openssl ecparam -genkey} does.
     *
     * @param file the file to write, not null
     * @param k the key, on P-256, not null
     * @param withCurve whether to include the optional named-curve field
     * @return {@code file}
     * @throws IOException if the file cannot be written
     * @since 0.1.0
     */
    public static Path writeSec1(Path file, ECPrivateKey k, boolean withCurve) throws IOException {
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = withCurve
                ? new org.bouncycastle.asn1.sec.ECPrivateKey(
                        256, k.getS(), new X962Parameters(SECObjectIdentifiers.secp256r1))
                : new org.bouncycastle.asn1.sec.ECPrivateKey(256, k.getS());
        return writePem(file, "EC PRIVATE KEY", sec1.getEncoded());
    }

    /**
     * Writes one PEM block of the given type around DER bytes.
     *
     * @param file the file to write, not null
     * @param type the block type ({@code "CERTIFICATE"}, {@code "PRIVATE KEY"}...), not null
     * @param der the content, not null
     * @return {@code file}
     * @throws IOException if the file cannot be written
     * @since 0.1.0
     */
    public static Path writePem(Path file, String type, byte[] der) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new PemObject(type, der));
        }
        return file;
    }

    /**
     * A client TLS context that trusts {@code ca} and presents {@code client} when it is not null, for test clients
     * of a TLS listener.
     *
     * @param ca the CA to trust, not null
     * @param client the client identity to present, or null for none
     * @return a new context
     * @throws GeneralSecurityException if the JDK refuses the keys or certificates
     * @throws IOException never in practice (in-memory key stores)
     * @since 0.1.0
     */
    public static SSLContext clientContext(Identity ca, @Nullable Identity client)
            throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (client != null) {
            // An in-memory store needs some password; nobody ever reads it.
            char[] password = "test".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", client.privateKey(), password, new X509Certificate[] {client.certificate()});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        return context;
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))),
                subject,
                key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) {
        String algorithm = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(algorithm).build(signer)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a test certificate with " + algorithm, e);
        }
    }
}
