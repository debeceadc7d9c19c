package io.clink.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.testkit.mqtt.MqttTestClient;
import io.clink.testkit.mqtt.Received;
import io.clink.testkit.tls.TestPki;
import io.clink.testkit.tls.TestPki.Identity;
import io.clink.testkit.tls.TestPki.Pem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clusters linked over TLS only ({@code listeners.ssl.clink}, no {@code tcp.clink}), each requiring client
 * certificates from one test CA (mutual TLS) and each link client checking the other's server certificate. us-east
 * also lists link users on its TLS listener, so eu-west's link logs in there with a password. Certificates are made
 * for this run; the clients on the TLS port are plain Paho and JDK sockets, not clink code.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LinkTlsIT {

    private static final long WAIT_MS = 30_000;
    private static final String US_PASSWORD = "eu-may-link-here";

    @TempDir
    static Path pki;

    private static final OpenBrokers OPEN = new OpenBrokers();
    private static Demo.Ports ports;
    private static Identity ca;
    private static Identity usId;
    private static Identity stranger;
    private static EmbeddedClusterBroker us;
    private static EmbeddedClusterBroker eu;

    @BeforeAll
    static void startLinkedClusters() throws Exception {
        ca = TestPki.ca("clink test CA");
        Identity otherCa = TestPki.ca("some other CA");
        usId = TestPki.leaf(ca, "cluster-us-east", TestPki.ecKeys());
        Identity euId = TestPki.leaf(ca, "cluster-eu-west", TestPki.rsaKeys());
        stranger = TestPki.leaf(otherCa, "cluster-eu-west", TestPki.ecKeys());
        TestPki.writeCertificates(pki.resolve("ca.pem"), ca.certificate());
        Pem usPem = TestPki.write(pki, "us-east", usId);
        Pem euPem = TestPki.write(pki, "eu-west", euId);
        ports = TestPorts.demo();
        us = start("us.conf", """
                management { enable = false }
                cluster {
                  name = "cluster-us-east"
                  links = [ { name = "cluster-eu-west", server = "127.0.0.1:%4$d", clientid = "clink-us-east",
                              topics = ["#"],
                              ssl { enable = true, cacertfile = "%5$s", certfile = "%6$s", keyfile = "%7$s",
                                    verify = verify_peer } } ]
                }
                listeners {
                  tcp.default { bind = "127.0.0.1:%1$d" }
                  ssl.clink {
                    bind = "127.0.0.1:%2$d"
                    ssl_options { cacertfile = "%5$s", certfile = "%6$s", keyfile = "%7$s",
                                  verify = verify_peer, fail_if_no_peer_cert = true }
                    authentication = [ { username = "clink-eu", password = "%10$s", cluster = "cluster-eu-west" } ]
                  }
                }
                """, pki.resolve("ca.pem"), usPem.cert(), usPem.key(), euPem.cert(), euPem.key());
        eu = start("eu.conf", """
                management { enable = false }
                cluster {
                  name = "cluster-eu-west"
                  links = [ { name = "cluster-us-east", server = "127.0.0.1:%2$d", clientid = "clink-eu-west",
                              topics = ["#"], username = "clink-eu", password = "%10$s",
                              ssl { enable = true, cacertfile = "%5$s", certfile = "%8$s", keyfile = "%9$s",
                                    verify = verify_peer, server_name_indication = "localhost" } } ]
                }
                listeners {
                  tcp.default { bind = "127.0.0.1:%3$d" }
                  ssl.clink {
                    bind = "127.0.0.1:%4$d"
                    ssl_options { cacertfile = "%5$s", certfile = "%8$s", keyfile = "%9$s",
                                  verify = verify_peer, fail_if_no_peer_cert = true }
                  }
                }
                """, pki.resolve("ca.pem"), usPem.cert(), usPem.key(), euPem.cert(), euPem.key());
    }

    private static EmbeddedClusterBroker start(
            String name, String template, Path ca, Path usCert, Path usKey, Path euCert, Path euKey) {
        String hocon = template.formatted(
                ports.usMqtt(),
                ports.usLink(),
                ports.euMqtt(),
                ports.euLink(),
                ca,
                usCert,
                usKey,
                euCert,
                euKey,
                US_PASSWORD);
        return OPEN.start(Demo.config(name, hocon));
    }

    @AfterAll
    static void closeAll() throws Exception {
        // Explicitly, not by @AutoClose: the brokers must stop before the @TempDir with their certificates goes.
        OPEN.close();
    }

    @Test
    void mutualTls_linkBothWays_deliversAcrossClusters() throws Exception {
        assertThat(us.readyLine())
                .isEqualTo("clink-broker cluster-us-east ready: mqtt=127.0.0.1:" + ports.usMqtt()
                        + " clink-ssl=127.0.0.1:" + ports.usLink());
        MqttTestClient usSub = client(ports.usMqtt(), "us-sub");
        MqttTestClient euPub = client(ports.euMqtt(), "eu-pub");
        usSub.subscribe("linked/#", 1);

        Received r = publishUntilReceived(euPub, "linked/42", "Hello from the other side!", usSub);
        assertThat(r.payload()).isEqualTo("Hello from the other side!");

        MqttTestClient euSub = client(ports.euMqtt(), "eu-sub");
        MqttTestClient usPub = client(ports.usMqtt(), "us-pub");
        euSub.subscribe("linked/#", 1);

        Received back = publishUntilReceived(usPub, "linked/1", "Hello from US!", euSub);
        assertThat(back.payload()).isEqualTo("Hello from US!");
    }

    @Test
    void tlsPort_certificateOfAnotherCa_refused() throws Exception {
        // Control: the same client with a certificate of the trusted CA gets in (eu-west has no user list).
        try (MqttTestClient good = tlsClient(ports.euLink(), "ca-client", TestPki.clientContext(ca, usId), null)) {
            assertThat(good.paho().isConnected()).isTrue();
        }

        SSLContext foreign = TestPki.clientContext(ca, stranger);
        assertThatThrownBy(() ->
                        tlsClient(ports.euLink(), "stranger", foreign, null).close())
                .isInstanceOf(MqttException.class);
        SSLContext noCertificate = TestPki.clientContext(ca, null);
        assertThatThrownBy(() -> tlsClient(ports.euLink(), "no-cert", noCertificate, null)
                        .close())
                .isInstanceOf(MqttException.class);
    }

    @Test
    void tlsPort_plainTcpClient_getsNothing() throws Exception {
        // MQTT 5 CONNECT, clean start, keep alive 60, client id "x".
        byte[] connect = {0x10, 0x0E, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3C, 0x00, 0x00, 0x01, 'x'};
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        boolean closed = false;
        try (Socket s = new Socket("127.0.0.1", ports.usLink())) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(connect);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256];
            for (int i = 0; i < 100; i++) {
                int n = in.read(buf);
                if (n < 0) {
                    closed = true;
                    break;
                }
                answer.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // Nothing more came; what came is checked below.
        } catch (IOException e) {
            closed = true; // reset by the broker
        }

        byte[] got = answer.toByteArray();
        assertThat(got.length == 0 || got[0] != 0x20)
                .as("no CONNACK on the TLS port")
                .isTrue();
        assertThat(new String(got, StandardCharsets.ISO_8859_1)).doesNotContain("MQTT");
        assertThat(closed).as("the broker drops the plain connection").isTrue();
        assertThatThrownBy(() -> MqttTestClient.connect("127.0.0.1", ports.usLink(), "plain")
                        .close())
                .isInstanceOf(MqttException.class);
    }

    @Test
    void tlsPortWithUsers_wrongOrMissingPassword_refusedWithBadUserNameOrPassword() throws Exception {
        SSLContext trusted = TestPki.clientContext(ca, usId);

        assertThatThrownBy(() ->
                        tlsClient(ports.usLink(), "wrong", trusted, "not-it").close())
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
        assertThatThrownBy(() ->
                        tlsClient(ports.usLink(), "anonymous", trusted, null).close())
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
        try (MqttTestClient right = tlsClient(ports.usLink(), "right", trusted, US_PASSWORD)) {
            assertThat(right.paho().isConnected()).isTrue();
        }
    }

    private static MqttTestClient client(int port, String id) throws MqttException {
        return OPEN.closeLater(MqttTestClient.connect("127.0.0.1", port, id));
    }

    private static MqttTestClient tlsClient(int port, String id, SSLContext context, String password)
            throws MqttException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSocketFactory(context.getSocketFactory());
        o.setConnectionTimeout(15);
        if (password != null) {
            o.setUserName("clink-eu");
            o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        return MqttTestClient.connect("ssl://127.0.0.1:" + port, id, o);
    }

    /** Publishes every 500 ms until the subscriber gets the message (the link comes up asynchronously). */
    private static Received publishUntilReceived(MqttTestClient pub, String topic, String payload, MqttTestClient sub)
            throws Exception {
        return pub.publishUntilReceived(topic, payload, sub, Duration.ofMillis(500))
                .message();
    }
}
