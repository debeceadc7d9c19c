package io.clink.testkit.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {

    @Test
    void leaf_signedByCa_verifiesAndNamesLoopback() throws Exception {
        TestPki.Identity ca = TestPki.ca("test CA");
        TestPki.Identity leaf = TestPki.leaf(ca, "broker", TestPki.ecKeys());
        X509Certificate cert = leaf.certificate();
        cert.verify(ca.certificate().getPublicKey());
        cert.checkValidity();
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=broker");
        assertThat(List.copyOf(cert.getSubjectAlternativeNames()))
                .extracting(n -> (Object) n.get(1))
                .containsExactlyInAnyOrder("127.0.0.1", "localhost");
    }

    @Test
    void leaf_noNames_hasNoSubjectAlternativeNames() throws Exception {
        TestPki.Identity ca = TestPki.ca("test CA");
        TestPki.Identity leaf = TestPki.leaf(ca, "bare", TestPki.ecKeys(), List.of(), List.of());
        assertThat(leaf.certificate().getSubjectAlternativeNames()).isNull();
    }

    @Test
    void write_identity_writesCertificateAndPkcs8Key(@TempDir Path dir) throws Exception {
        TestPki.Identity ca = TestPki.ca("test CA");
        TestPki.Pem pem = TestPki.write(dir, "server", TestPki.leaf(ca, "server", TestPki.rsaKeys(1024)));
        assertThat(pem.cert()).isEqualTo(dir.resolve("server.pem"));
        assertThat(Files.readString(pem.cert())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(pem.key())).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void clientContext_withoutClientIdentity_builds() throws Exception {
        assertThat(TestPki.clientContext(TestPki.ca("test CA"), null).getProtocol())
                .isEqualTo("TLS");
    }
}
