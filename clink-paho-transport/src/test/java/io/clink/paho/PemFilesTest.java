package io.clink.paho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.testkit.tls.TestPki;
import io.clink.testkit.tls.TestPki.Identity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM reading, with key files written by BouncyCastle's encoders (independent of the code under test). */
class PemFilesTest {

    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    private static Identity ca;
    private static Identity rsaLeaf;
    private static Identity ecLeaf;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() {
        ca = TestPki.ca("test CA");
        rsaLeaf = TestPki.leaf(ca, "rsa", TestPki.rsaKeys(1024), List.of(), List.of());
        ecLeaf = TestPki.leaf(ca, "ec", TestPki.ecKeys(), List.of(), List.of());
    }

    @Test
    void readCertificates_chainFile_allCertificatesInOrder() throws Exception {
        Path file = TestPki.writeCertificates(dir.resolve("chain.pem"), rsaLeaf.certificate(), ca.certificate());

        List<X509Certificate> certs = PemFiles.readCertificates("ssl.certfile", file);

        assertThat(certs).containsExactly(rsaLeaf.certificate(), ca.certificate());
    }

    @Test
    void readCertificates_textAroundBlocks_ignored() throws Exception {
        Path pem = TestPki.writeCertificates(dir.resolve("c.pem"), ca.certificate());
        Path file = Files.writeString(
                dir.resolve("bundle.pem"),
                "# my CA bundle\nsubject=CN=test CA\n" + Files.readString(pem) + "\ntrailing words\n");

        assertThat(PemFiles.readCertificates("ssl.cacertfile", file)).containsExactly(ca.certificate());
    }

    @Test
    void readCertificates_keyInsteadOfCertificate_namesOptionFileAndWhatWasFound() throws Exception {
        Path file = TestPki.writePkcs8(dir.resolve("key.pem"), ecLeaf.privateKey());

        assertThatThrownBy(() -> PemFiles.readCertificates("ssl.cacertfile", file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssl.cacertfile")
                .hasMessageContaining(file.toString())
                .hasMessageContaining("no certificate found")
                .hasMessageContaining("'PRIVATE KEY'");
    }

    @Test
    void readCertificates_corruptCertificate_namesFile() throws Exception {
        Path file = Files.writeString(
                dir.resolve("bad.pem"), "-----BEGIN CERTIFICATE-----\nAAECAwQFBgcICQ==\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> PemFiles.readCertificates("ssl.certfile", file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a valid X.509 certificate");
    }

    @Test
    void readCertificates_derFile_suggestsConversion() throws Exception {
        Path file = Files.write(dir.resolve("ca.der"), ca.certificate().getEncoded());

        assertThatThrownBy(() -> PemFiles.readCertificates("ssl.cacertfile", file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a PEM file")
                .hasMessageContaining("openssl x509 -inform der -in " + file);
    }

    @Test
    void readCertificates_missingFile_namesFile() {
        Path file = dir.resolve("absent.pem");

        assertThatThrownBy(() -> PemFiles.readCertificates("ssl.cacertfile", file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssl.cacertfile " + file)
                .hasMessageContaining("cannot read");
    }

    @Test
    void readPrivateKey_pkcs8Rsa_sameKey() throws Exception {
        Path file = TestPki.writePkcs8(dir.resolve("k.pem"), rsaLeaf.privateKey());

        assertThat(PemFiles.readPrivateKey("ssl.keyfile", file).getEncoded())
                .isEqualTo(rsaLeaf.privateKey().getEncoded());
    }

    @Test
    void readPrivateKey_pkcs8Ec_sameKey() throws Exception {
        Path file = TestPki.writePkcs8(dir.resolve("k.pem"), ecLeaf.privateKey());

        PrivateKey key = PemFiles.readPrivateKey("ssl.keyfile", file);

        assertThat(((ECPrivateKey) key).getS()).isEqualTo(((ECPrivateKey) ecLeaf.privateKey()).getS());
    }

    @Test
    void readPrivateKey_pkcs1Rsa_wrappedToTheSameKey() throws Exception {
        Path file = TestPki.writePkcs1(dir.resolve("k.pem"), (RSAPrivateCrtKey) rsaLeaf.privateKey());
        assertThat(Files.readString(file)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        RSAPrivateCrtKey key = (RSAPrivateCrtKey) PemFiles.readPrivateKey("ssl.keyfile", file);

        RSAPrivateCrtKey expected = (RSAPrivateCrtKey) rsaLeaf.privateKey();
        assertThat(key.getModulus()).isEqualTo(expected.getModulus());
        assertThat(key.getPrivateExponent()).isEqualTo(expected.getPrivateExponent());
        assertThat(key.getCrtCoefficient()).isEqualTo(expected.getCrtCoefficient());
    }

    @Test
    void readPrivateKey_sec1EcWithNamedCurve_wrappedToTheSameKey() throws Exception {
        Path file = TestPki.writeSec1(dir.resolve("k.pem"), (ECPrivateKey) ecLeaf.privateKey(), true);
        assertThat(Files.readString(file)).startsWith("-----BEGIN EC PRIVATE KEY-----");

        ECPrivateKey key = (ECPrivateKey) PemFiles.readPrivateKey("ssl.keyfile", file);

        assertThat(key.getS()).isEqualTo(((ECPrivateKey) ecLeaf.privateKey()).getS());
        PemFiles.checkKeyMatchesCertificate(key, file, ecLeaf.certificate(), dir.resolve("cert.pem"));
    }

    @Test
    void readPrivateKey_ecParametersBlockBeforeKey_skipsIt() throws Exception {
        Path key = TestPki.writeSec1(dir.resolve("k.pem"), (ECPrivateKey) ecLeaf.privateKey(), true);
        // As "openssl ecparam -genkey" writes it: the curve OID block first (06 08 = OID prime256v1).
        String params = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
        Path file = Files.writeString(dir.resolve("openssl-style.pem"), params + Files.readString(key));

        assertThat(((ECPrivateKey) PemFiles.readPrivateKey("ssl.keyfile", file)).getS())
                .isEqualTo(((ECPrivateKey) ecLeaf.privateKey()).getS());
    }

    @Test
    void readPrivateKey_sec1WithoutCurve_rejectedWithConversionCommand() throws Exception {
        Path file = TestPki.writeSec1(dir.resolve("k.pem"), (ECPrivateKey) ecLeaf.privateKey(), false);

        assertThatThrownBy(() -> PemFiles.readPrivateKey("ssl.keyfile", file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("does not name its curve")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + file);
    }

    @Test
    void readPrivateKey_encryptedPkcs8_rejectedWithDecryptCommand() throws Exception {
        Path file = dir.resolve("enc.pem");
        try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(file, StandardCharsets.US_ASCII))) {
            w.writeObject(new JcaPKCS8Generator(
                    ecLeaf.privateKey(),
                    new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                            .setProvider(BC)
                            .setPassword("pw".toCharArray())
                            .build()));
        }

        assertThatThrownBy(() -> PemFiles.readPrivateKey("ssl.keyfile", file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("encrypted")
                .hasMessageContaining("openssl pkey -in " + file);
    }

    @Test
    void readPrivateKey_encryptedLegacyRsa_rejectedWithDecryptCommand() throws Exception {
        Path file = dir.resolve("enc-rsa.pem");
        try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(file, StandardCharsets.US_ASCII))) {
            w.writeObject(
                    rsaLeaf.privateKey(),
                    new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(BC).build("pw".toCharArray()));
        }
        assertThat(Files.readString(file)).contains("Proc-Type: 4,ENCRYPTED");

        assertThatThrownBy(() -> PemFiles.readPrivateKey("ssl.keyfile", file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encrypted")
                .hasMessageContaining("openssl pkey -in " + file);
    }

    @Test
    void readPrivateKey_certificateOnly_noKeyFound() throws Exception {
        Path file = TestPki.writeCertificates(dir.resolve("c.pem"), ca.certificate());

        assertThatThrownBy(() -> PemFiles.readPrivateKey("ssl.keyfile", file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssl.keyfile " + file)
                .hasMessageContaining("no private key found")
                .hasMessageContaining("'CERTIFICATE'");
    }

    @Test
    void readPrivateKey_corruptPkcs8_rejected() throws Exception {
        Path file = TestPki.writePem(dir.resolve("k.pem"), "PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00});

        assertThatThrownBy(() -> PemFiles.readPrivateKey("ssl.keyfile", file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("corrupt or of an unsupported algorithm");
    }

    @Test
    void checkKeyMatchesCertificate_rsaKeyOfAnotherCertificate_namesBothFiles() {
        KeyPair other = TestPki.rsaKeys(1024);
        Path keyFile = dir.resolve("key.pem");
        Path certFile = dir.resolve("cert.pem");

        assertThatThrownBy(() -> PemFiles.checkKeyMatchesCertificate(
                        other.getPrivate(), keyFile, rsaLeaf.certificate(), certFile))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssl.keyfile " + keyFile)
                .hasMessageContaining("ssl.certfile " + certFile)
                .hasMessageContaining("different RSA public keys");
    }

    @Test
    void checkKeyMatchesCertificate_ecKeyOfAnotherCertificate_rejected() {
        assertThatThrownBy(() -> PemFiles.checkKeyMatchesCertificate(
                        TestPki.ecKeys().getPrivate(), dir.resolve("k"), ecLeaf.certificate(), dir.resolve("c")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different public keys");
    }

    @Test
    void checkKeyMatchesCertificate_ecKeyForRsaCertificate_saysAlgorithms() {
        assertThatThrownBy(() -> PemFiles.checkKeyMatchesCertificate(
                        ecLeaf.privateKey(), dir.resolve("k"), rsaLeaf.certificate(), dir.resolve("c")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the key is EC, the certificate's key is RSA");
    }

    @Test
    void checkKeyMatchesCertificate_matchingPairs_accepted() {
        PemFiles.checkKeyMatchesCertificate(
                rsaLeaf.privateKey(), dir.resolve("k"), rsaLeaf.certificate(), dir.resolve("c"));
        PemFiles.checkKeyMatchesCertificate(
                ecLeaf.privateKey(), dir.resolve("k"), ecLeaf.certificate(), dir.resolve("c"));
    }

    @Test
    void wrapPkcs1_longKey_usesLongFormDerLengths() {
        byte[] content = new byte[300];
        byte[] tlv = PemFiles.tlv(0x04, content);

        assertThat(tlv).startsWith(0x04, 0x82, 0x01, 0x2C);
        assertThat(tlv).hasSize(304);
    }
}
