package io.clink.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.core.config.ConfigLoadException;
import io.clink.hivemq.LinkAuthenticator.LinkUser;
import io.clink.testkit.tls.TestPki;
import io.clink.testkit.tls.TestPki.Identity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code listeners.ssl.clink}: parsing, EMQX's field meanings, and every file error naming file, field and value. */
class LinkTlsListenerTest {

    @TempDir
    static Path dir;

    private static Identity ca;
    private static Identity server;

    @BeforeAll
    static void certificates() throws IOException {
        ca = TestPki.ca("test CA");
        server = TestPki.leaf(ca, "broker", TestPki.ecKeys());
        Identity other = TestPki.leaf(ca, "other", TestPki.ecKeys());
        TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());
        TestPki.write(dir, "server", server);
        TestPki.write(dir, "other", other);
        Files.writeString(dir.resolve("garbage.pem"), "not a pem file\n");
        Identity rsa = TestPki.leaf(ca, "rsa", TestPki.rsaKeys());
        TestPki.writeCertificates(dir.resolve("rsa.pem"), rsa.certificate());
        TestPki.writePkcs1(dir.resolve("rsa-key-pkcs1.pem"), (RSAPrivateCrtKey) rsa.privateKey());
    }

    private static BrokerConfig parse(String listeners) {
        String doc = "cluster { name = a }\nlisteners {\n" + listeners + "\n}\n";
        return BrokerConfig.from(ClusterLinkConfigLoader.parseString(doc, "t.conf"), "t.conf", dir);
    }

    @Test
    void from_sslClinkMutualTls_givesRequiredClientCertificatesAndNoTcpLinkListener() {
        BrokerConfig c = parse("""
                ssl.clink {
                  bind = "127.0.0.1:11884"
                  ssl_options {
                    certfile = server.pem, keyfile = server-key.pem, cacertfile = ca.pem
                    verify = verify_peer, fail_if_no_peer_cert = true
                  }
                }
                """);

        LinkTlsListener tls = c.linkTls();
        assertThat(c.link()).isNull();
        assertThat(tls).isNotNull();
        assertThat(tls.bind()).isEqualTo(new BrokerConfig.Bind("127.0.0.1", 11884));
        assertThat(tls.certfile()).isEqualTo(dir.resolve("server.pem"));
        assertThat(tls.keyfile()).isEqualTo(dir.resolve("server-key.pem"));
        assertThat(tls.cacertfile()).isEqualTo(dir.resolve("ca.pem"));
        assertThat(tls.clientAuthentication()).isEqualTo(LinkTlsListener.ClientAuthentication.REQUIRED);
        assertThat(tls.versions()).isEmpty();
        assertThat(tls.users()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            verify = verify_none                                   | NONE
            ''                                                     | NONE
            'verify = verify_peer, cacertfile = ca.pem'            | OPTIONAL
            'verify = verify_peer, cacertfile = ca.pem, fail_if_no_peer_cert = false' | OPTIONAL
            'verify = verify_peer, cacertfile = ca.pem, fail_if_no_peer_cert = true'  | REQUIRED
            """)
    void clientAuthentication_verifyAndFailIfNoPeerCert_asEmqx(String options, String expected) {
        BrokerConfig c =
                parse("ssl.clink { bind = 11884, ssl_options { certfile = server.pem, keyfile = server-key.pem, "
                        + options + " } }");

        assertThat(c.linkTls().clientAuthentication())
                .isEqualTo(LinkTlsListener.ClientAuthentication.valueOf(expected));
    }

    @Test
    void from_tcpAndSslClink_bothListenersEachWithItsOwnUsers() {
        BrokerConfig c = parse("""
                tcp.clink { bind = 11883, authentication = [ { username = plain, password = p, cluster = b } ] }
                ssl.clink {
                  bind = 11884
                  ssl_options { certfile = server.pem, keyfile = server-key.pem, versions = [tlsv1.3] }
                  authentication = [ { username = secure, password = s, cluster = c } ]
                }
                """);

        assertThat(c.link()).isEqualTo(new BrokerConfig.Bind("0.0.0.0", 11883));
        assertThat(c.linkUsers()).containsExactly(new LinkUser("plain", "p", "b"));
        assertThat(c.linkTls().users()).containsExactly(new LinkUser("secure", "s", "c"));
        assertThat(c.linkTls().versions()).containsExactly("TLSv1.3");
    }

    @Test
    void load_pkcs1RsaKey_readsMatchingMaterial() {
        BrokerConfig c =
                parse("ssl.clink { bind = 11884, ssl_options { certfile = rsa.pem, keyfile = rsa-key-pkcs1.pem,"
                        + " cacertfile = ca.pem, verify = verify_peer } }");

        LinkTlsListener.Material m = c.linkTls().load();

        assertThat(m.key().getAlgorithm()).isEqualTo("RSA");
        assertThat(m.chain()).hasSize(1);
        assertThat(m.trusted()).containsExactly(ca.certificate());
        assertThat(m.toString()).doesNotContain(m.key().toString());
    }

    @Test
    void load_pkcs8EcKey_readsKeyOfTheCertificate() {
        BrokerConfig c = parse(
                "ssl.clink { bind = 11884, ssl_options { certfile = server.pem, keyfile = server-key.pem" + " } }");

        LinkTlsListener.Material m = c.linkTls().load();

        assertThat(m.key().getEncoded()).isEqualTo(server.privateKey().getEncoded());
        assertThat(m.chain()).containsExactly(server.certificate());
        assertThat(m.trusted()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ssl_options { certfile = server.pem, keyfile = server-key.pem, verify = verify_all }               | ssl_options.verify = "verify_all"            | must be verify_peer or verify_none
            ssl_options { certfile = server.pem, keyfile = server-key.pem, verify = verify_peer }              | ssl_options.verify = "verify_peer"           | needs cacertfile
            ssl_options { certfile = server.pem, keyfile = server-key.pem, fail_if_no_peer_cert = true }       | ssl_options.fail_if_no_peer_cert = true      | needs verify = verify_peer
            ssl_options { certfile = missing.pem, keyfile = server-key.pem }                                   | ssl_options.certfile = "missing.pem"         | cannot read the certificate file
            ssl_options { certfile = server.pem, keyfile = missing-key.pem }                                   | ssl_options.keyfile = "missing-key.pem"      | cannot read the private key file
            ssl_options { certfile = server.pem, keyfile = garbage.pem }                                       | ssl_options.keyfile = "garbage.pem"          | not a PEM file
            ssl_options { certfile = server.pem, keyfile = ca.pem }                                            | ssl_options.keyfile = "ca.pem"               | no private key found
            ssl_options { certfile = server-key.pem, keyfile = server-key.pem }                                | ssl_options.certfile = "server-key.pem"      | no certificate found
            ssl_options { certfile = server.pem, keyfile = other-key.pem }                                     | ssl_options.keyfile = "other-key.pem"        | does not match the certificate in listeners.ssl.clink.ssl_options.certfile
            ssl_options { certfile = server.pem, keyfile = server-key.pem, verify = verify_peer, cacertfile = garbage.pem } | ssl_options.cacertfile = "garbage.pem" | not a PEM file
            ssl_options { keyfile = server-key.pem }                                                           | ssl_options.certfile: is required            |
            ssl_options { certfile = server.pem }                                                              | ssl_options.keyfile: is required             |
            ssl_options { certfile = server.pem, keyfile = server-key.pem, versions = [tlsv1.1] }              | ssl_options.versions                         | unsupported TLS version 'tlsv1.1'
            ssl_options { certfile = server.pem, keyfile = server-key.pem, ciphers = "ECDHE" }                 | ssl_options.ciphers                          | not supported by clink
            ssl_options { certfile = server.pem, keyfile = server-key.pem, certfle = x }                       | ssl_options.certfle                          | did you mean 'certfile'?
            'enable = true'                                                                                    | listeners.ssl.clink.ssl_options: is required |
            'ssl_options { certfile = server.pem, keyfile = server-key.pem }, enable = false'                  | listeners.ssl.clink.enable                   | cannot be disabled
            """)
    void from_invalidSslClink_namesOriginFieldAndValue(String body, String shown, String rule) {
        String listener = "ssl.clink { bind = 11884, " + body + " }";

        assertThatThrownBy(() -> parse(listener))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith("t.conf")
                .hasMessageContaining(shown)
                .hasMessageContaining(rule == null ? "" : rule);
    }

    @Test
    void from_missingFile_messageNamesTheResolvedFile() {
        assertThatThrownBy(() -> parse("ssl.clink { bind = 11884, ssl_options { certfile = nope.pem,"
                        + " keyfile = server-key.pem } }"))
                .hasMessageContaining("listeners.ssl.clink.ssl_options.certfile = \"nope.pem\"")
                .hasMessageContaining(dir.resolve("nope.pem").toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            tcp.clink { bind = 11883 }                                 | ssl.clink { bind = 11883, ssl_options { certfile = server.pem, keyfile = server-key.pem } } | listeners.ssl.clink.bind = 11883 | same address as listeners.tcp.clink
            tcp.default { bind = "127.0.0.1:1883" }                    | ssl.clink { bind = 1883, ssl_options { certfile = server.pem, keyfile = server-key.pem } }  | listeners.ssl.clink.bind = 1883  | same address as listeners.tcp.default
            """)
    void from_sslClinkOverlapsAnotherListener_refused(String first, String second, String shown, String rule) {
        assertThatThrownBy(() -> parse(first + "\n" + second))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageContaining(shown)
                .hasMessageContaining(rule);
    }

    @Test
    void load_tlsExampleFiles_mutualTlsBothWaysEachServerTheOthersTlsListener(@TempDir Path base) throws IOException {
        Path certs = Files.createDirectories(base.resolve("certs"));
        TestPki.writeCertificates(certs.resolve("ca.pem"), ca.certificate());
        TestPki.write(certs, "cluster-us-east", TestPki.leaf(ca, "us", TestPki.ecKeys()));
        TestPki.write(certs, "cluster-eu-west", TestPki.leaf(ca, "eu", TestPki.ecKeys()));
        Path examples = Path.of("..", "examples");

        BrokerConfig us = exampleIn(base, examples.resolve("cluster-us-east-tls.conf"));
        BrokerConfig eu = exampleIn(base, examples.resolve("cluster-eu-west-tls.conf"));

        for (BrokerConfig c : List.of(us, eu)) {
            assertThat(c.link()).isNull();
            assertThat(c.linkTls().clientAuthentication()).isEqualTo(LinkTlsListener.ClientAuthentication.REQUIRED);
            assertThat(c.linkTls().cacertfile()).isEqualTo(certs.resolve("ca.pem"));
            var ssl = c.cluster().links().get(0).ssl().orElseThrow();
            assertThat(ssl.verifyPeer()).isTrue();
            assertThat(ssl.caFile()).contains(certs.resolve("ca.pem"));
            assertThat(ssl.certFile()).contains(c.linkTls().certfile());
        }
        assertThat(us.mqtt()).isEqualTo(new BrokerConfig.Bind("127.0.0.1", 1883));
        assertThat(eu.mqtt()).isEqualTo(new BrokerConfig.Bind("127.0.0.1", 1884));
        assertThat(us.cluster().links().get(0).server().port())
                .isEqualTo(eu.linkTls().bind().port());
        assertThat(eu.cluster().links().get(0).server().port())
                .isEqualTo(us.linkTls().bind().port());
    }

    /** An example file read as if it lay in {@code base}, where the test made its certificates. */
    private static BrokerConfig exampleIn(Path base, Path example) throws IOException {
        String text = Files.readString(example);
        return BrokerConfig.from(
                ClusterLinkConfigLoader.parseString(text, example.toString()), example.toString(), base);
    }

    @Test
    void constructor_verifyPeerWithoutCa_refused() {
        BrokerConfig.Bind b = new BrokerConfig.Bind("0.0.0.0", 1);
        Path f = dir.resolve("server.pem");

        assertThatThrownBy(() -> new LinkTlsListener(b, f, f, null, true, false, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cacertfile is required");
        assertThatThrownBy(() -> new LinkTlsListener(b, f, f, null, false, true, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs verify = verify_peer");
        assertThatThrownBy(() -> new LinkTlsListener(b, f, f, null, false, false, List.of("TLSv1"), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'TLSv1'");
    }

    @Test
    void brokerConfig_withoutAnyLinkListener_refused() {
        assertThatThrownBy(() -> new BrokerConfig(
                        "f",
                        parse("tcp.clink { bind = 1 }").cluster(),
                        BrokerConfig.DEFAULT_MQTT,
                        null,
                        List.of(),
                        null,
                        BrokerConfig.Management.DEFAULT,
                        java.nio.file.Path.of("/tmp").toAbsolutePath()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one link listener");
    }
}
