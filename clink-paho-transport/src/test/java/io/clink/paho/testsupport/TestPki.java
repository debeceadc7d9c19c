package io.clink.paho.testsupport;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Generates test certificate authorities and certificates with BouncyCastle, and writes them as PEM. */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xFFFFFFL);

    private TestPki() {}

    /** A key pair and its certificate. */
    public record Identity(KeyPair keys, X509Certificate certificate) {
        public PrivateKey privateKey() {
            return keys.getPrivate();
        }
    }

    public static KeyPair ecKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsaKeys() {
        return rsaKeys(2048);
    }

    /** RSA keys of a given size; small sizes keep unit tests fast where no TLS peer judges the key. */
    public static KeyPair rsaKeys(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA certificate. */
    public static Identity ca(String commonName) {
        KeyPair keys = ecKeys();
        X500Name name = new X500Name("CN=" + commonName);
        try {
            X509v3CertificateBuilder b = builder(name, name, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Identity(keys, sign(b, keys.getPrivate()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A leaf certificate signed by {@code issuer}, valid for server and client authentication. */
    public static Identity leaf(Identity issuer, String commonName, KeyPair keys, List<String> dnsNames,
            List<String> ipAddresses) {
        try {
            X509v3CertificateBuilder b = builder(
                    new X500Name(issuer.certificate().getSubjectX500Principal().getName()), new X500Name("CN=" + commonName),
                    keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
            ipAddresses.forEach(n -> names.add(new GeneralName(GeneralName.iPAddress, n)));
            if (!names.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            }
            return new Identity(keys, sign(b, issuer.privateKey()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) {
        String algorithm = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(algorithm).build(signer)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes certificates as PEM. */
    public static Path writeCertificates(Path file, X509Certificate... certificates) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (X509Certificate c : certificates) {
                pem.writeObject(c);
            }
        }
        return file;
    }

    /** Writes a private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    public static Path writePkcs8(Path file, PrivateKey key) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS8Generator(key, null));
        }
        return file;
    }

    /** Writes an RSA key as PKCS#1 PEM ({@code BEGIN RSA PRIVATE KEY}), encoded by BouncyCastle's ASN.1 classes. */
    public static Path writePkcs1(Path file, java.security.interfaces.RSAPrivateCrtKey k) throws IOException {
        byte[] der = new org.bouncycastle.asn1.pkcs.RSAPrivateKey(k.getModulus(), k.getPublicExponent(),
                k.getPrivateExponent(), k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(), k.getPrimeExponentQ(),
                k.getCrtCoefficient()).getEncoded();
        return writePem(file, "RSA PRIVATE KEY", der);
    }

    /**
     * Writes a P-256 EC key as SEC1 PEM ({@code BEGIN EC PRIVATE KEY}) naming its curve, as {@code openssl ecparam
     * -genkey} does, encoded by BouncyCastle's ASN.1 classes.
     *
     * @param withCurve whether to include the {@code [0]} named-curve field
     */
    public static Path writeSec1(Path file, java.security.interfaces.ECPrivateKey k, boolean withCurve)
            throws IOException {
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = withCurve
                ? new org.bouncycastle.asn1.sec.ECPrivateKey(256, k.getS(),
                        new org.bouncycastle.asn1.x9.X962Parameters(org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1))
                : new org.bouncycastle.asn1.sec.ECPrivateKey(256, k.getS());
        return writePem(file, "EC PRIVATE KEY", sec1.getEncoded());
    }

    /** Writes a PEM block of the given type around DER bytes. */
    public static Path writePem(Path file, String type, byte[] der) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new org.bouncycastle.util.io.pem.PemObject(type, der));
        }
        return file;
    }
}
