package io.clink.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyStoresTest {

    @TempDir
    Path dir;

    private static KeyPair keys;
    private static X509Certificate cert;
    private static X509Certificate ca;

    @BeforeAll
    static void material() throws Exception {
        keys = ecKeys();
        cert = selfSigned(keys, "leaf");
        ca = selfSigned(ecKeys(), "ca");
    }

    @Test
    void write_keyAndCas_hiveMqOpensThemAsJksWithThePassword() throws Exception {
        KeyStores.Written w =
                KeyStores.write(dir.resolve("tls"), "clink-ssl", keys.getPrivate(), List.of(cert), List.of(ca));

        // HiveMQ CE opens both stores with KeyStore.getInstance("JKS"); the JDK's JKS reads PKCS#12 files.
        KeyStore keystore = open("JKS", w.keystore(), w.password());
        assertThat(keystore.getKey("clink-listener", w.password().toCharArray()).getEncoded())
                .isEqualTo(keys.getPrivate().getEncoded());
        assertThat(keystore.getCertificateChain("clink-listener")).containsExactly(cert);
        KeyStore truststore = open("JKS", w.truststore(), w.password());
        assertThat(truststore.getCertificate("ca-0")).isEqualTo(ca);
        assertThat(truststore.size()).isEqualTo(1);
    }

    @Test
    void write_noCas_noTruststore() throws Exception {
        KeyStores.Written w = KeyStores.write(dir, "x", keys.getPrivate(), List.of(cert), List.of());

        assertThat(w.truststore()).isNull();
        assertThat(open("PKCS12", w.keystore(), w.password()).size()).isEqualTo(1);
    }

    @Test
    void write_filesAndDirectory_ownerOnly() throws Exception {
        Assumptions.assumeTrue(
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));

        KeyStores.Written w = KeyStores.write(dir.resolve("tls"), "x", keys.getPrivate(), List.of(cert), List.of(ca));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(w.keystore())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(w.truststore())))
                .isEqualTo("rw-------");
    }

    @Test
    void write_twice_newPasswordEachTimeAndNotShown() throws Exception {
        KeyStores.Written a = KeyStores.write(dir, "x", keys.getPrivate(), List.of(cert), List.of());
        KeyStores.Written b = KeyStores.write(dir, "x", keys.getPrivate(), List.of(cert), List.of());

        assertThat(a.password()).isNotEqualTo(b.password()).matches("[A-Za-z0-9_-]{24}");
        assertThat(b.toString()).doesNotContain(b.password());
        assertThatThrownBy(() -> open("PKCS12", b.keystore(), a.password())).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void write_emptyChain_refused() {
        assertThatThrownBy(() -> KeyStores.write(dir, "x", keys.getPrivate(), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chain is empty");
    }

    private static KeyStore open(String type, Path file, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair kp, String cn) throws Exception {
        X500Name name = new X500Name("CN=" + cn);
        Instant now = Instant.now();
        return new JcaX509CertificateConverter()
                .getCertificate(new JcaX509v3CertificateBuilder(
                                name,
                                BigInteger.ONE,
                                Date.from(now.minusSeconds(3600)),
                                Date.from(now.plusSeconds(86400)),
                                name,
                                kp.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
    }
}
