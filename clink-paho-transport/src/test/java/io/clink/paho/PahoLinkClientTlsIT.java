package io.clink.paho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.transport.DisconnectReason.Cause;
import io.clink.api.transport.InboundPublish;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransportException;
import io.clink.api.transport.OutgoingPublish;
import io.clink.api.transport.TlsSettings;
import io.clink.paho.testsupport.MosquittoBroker;
import io.clink.testkit.tls.TestPki;
import io.clink.testkit.tls.TestPki.Identity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS against mosquitto with a CA, server and client certificates generated for this run. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PahoLinkClientTlsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path pki;

    private static MosquittoBroker broker;
    private static Path caFile;
    private static Path otherCaFile;
    private static Path clientCert;
    private static Path clientKeyPkcs1;
    private static Path clientEcCert;
    private static Path clientKeySec1;

    private final PahoLinkTransport transport = new PahoLinkTransport();
    private final List<LinkClient> clients = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        MosquittoBroker.assumeAvailable();
        Identity ca = TestPki.ca("clink test CA");
        Identity otherCa = TestPki.ca("some other CA");
        Identity server = TestPki.leaf(ca, "broker", TestPki.ecKeys(), List.of("localhost"), List.of("127.0.0.1"));
        Identity client = TestPki.leaf(ca, "clink-link", TestPki.rsaKeys(), List.of(), List.of());
        Identity clientEc = TestPki.leaf(ca, "clink-link-ec", TestPki.ecKeys(), List.of(), List.of());
        caFile = TestPki.writeCertificates(pki.resolve("ca.pem"), ca.certificate());
        otherCaFile = TestPki.writeCertificates(pki.resolve("other-ca.pem"), otherCa.certificate());
        Path serverCert = TestPki.writeCertificates(pki.resolve("server.pem"), server.certificate());
        Path serverKey = TestPki.writePkcs8(pki.resolve("server-key.pem"), server.privateKey());
        clientCert = TestPki.writeCertificates(pki.resolve("client.pem"), client.certificate(), ca.certificate());
        clientKeyPkcs1 = TestPki.writePkcs1(pki.resolve("client-key.pem"), (RSAPrivateCrtKey) client.privateKey());
        clientEcCert = TestPki.writeCertificates(pki.resolve("client-ec.pem"), clientEc.certificate());
        clientKeySec1 = TestPki.writeSec1(
                pki.resolve("client-ec-key.pem"), (java.security.interfaces.ECPrivateKey) clientEc.privateKey(), true);
        broker = MosquittoBroker.builder()
                .tls(caFile, serverCert, serverKey, true)
                .start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void tearDown() {
        clients.forEach(LinkClient::close);
        transport.close();
    }

    private LinkClient client(String clientId, TlsSettings tls) {
        LinkClient c = transport.createClient(LinkClientOptions.builder()
                .host("127.0.0.1")
                .port(broker.port())
                .clientId(clientId)
                .tls(tls)
                .build());
        clients.add(c);
        return c;
    }

    private static TlsSettings.Builder mutual() {
        return TlsSettings.builder().caFile(caFile).certFile(clientCert).keyFile(clientKeyPkcs1);
    }

    private static LinkTransportException failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(LinkTransportException.class);
            return (LinkTransportException) e.getCause();
        }
        throw new AssertionError("expected the future to fail");
    }

    @Test
    void tls_trustedCaAndClientCertificate_connectsAndRoundTrips() throws Exception {
        LinkClient c = client("tls-ok", mutual().build());
        c.connect(r -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        BlockingQueue<InboundPublish> received = new LinkedBlockingQueue<>();
        c.subscribe("secure/#", 1, received::add).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        c.publish(OutgoingPublish.of("secure/x", "hello".getBytes(StandardCharsets.UTF_8), 1))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        InboundPublish message = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(message).isNotNull();
        assertThat(message.payload()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void tls_ecClientKeyInSec1Format_connects() throws Exception {
        LinkClient c = client(
                "tls-ec",
                TlsSettings.builder()
                        .caFile(caFile)
                        .certFile(clientEcCert)
                        .keyFile(clientKeySec1)
                        .build());

        c.connect(r -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(c.isConnected()).isTrue();
    }

    @Test
    void tls_serverNameOverride_usedForSniAndVerification() throws Exception {
        LinkClient c = client("tls-sni", mutual().serverName("localhost").build());

        c.connect(r -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(c.isConnected()).isTrue();
    }

    @Test
    void tls_onlyTls12_connects() throws Exception {
        LinkClient c = client("tls-12", mutual().protocols(List.of("TLSv1.2")).build());

        c.connect(r -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(c.isConnected()).isTrue();
    }

    @Test
    void tls_unknownCa_failsWithTlsError() throws Exception {
        LinkClient c = client(
                "tls-unknown-ca",
                TlsSettings.builder()
                        .caFile(otherCaFile)
                        .certFile(clientCert)
                        .keyFile(clientKeyPkcs1)
                        .build());

        LinkTransportException e = failure(c.connect(r -> {}));

        assertThat(e.reason().cause()).isEqualTo(Cause.TLS_ERROR);
        assertThat(e.reason().message()).contains("certification path");
    }

    @Test
    void tls_wrongHostName_failsWithTlsError() throws Exception {
        LinkClient c = client(
                "tls-wrong-host", mutual().serverName("wrong.example.org").build());

        LinkTransportException e = failure(c.connect(r -> {}));

        assertThat(e.reason().cause()).isEqualTo(Cause.TLS_ERROR);
        assertThat(e.reason().message()).contains("wrong.example.org");
    }

    @Test
    void tls_verificationOff_unknownCaAndWrongHostAccepted() throws Exception {
        LinkClient c = client(
                "tls-noverify",
                TlsSettings.builder()
                        .caFile(otherCaFile)
                        .certFile(clientCert)
                        .keyFile(clientKeyPkcs1)
                        .serverName("wrong.example.org")
                        .verifyPeer(false)
                        .build());

        c.connect(r -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(c.isConnected()).isTrue();
    }

    @Test
    void tls_noClientCertificateWhereBrokerRequiresOne_failsWithTlsError() throws Exception {
        LinkClient c =
                client("tls-no-cert", TlsSettings.builder().caFile(caFile).build());

        LinkTransportException e = failure(c.connect(r -> {}));

        assertThat(e.reason().cause()).isEqualTo(Cause.TLS_ERROR);
    }

    @Test
    void createClient_keyOfAnotherCertificate_rejectedNamingBothFiles() {
        TlsSettings mismatched = TlsSettings.builder()
                .caFile(caFile)
                .certFile(clientEcCert)
                .keyFile(clientKeyPkcs1)
                .build();
        LinkClientOptions options = LinkClientOptions.builder()
                .host("127.0.0.1")
                .port(broker.port())
                .clientId("mismatch")
                .tls(mismatched)
                .build();

        assertThatThrownBy(() -> transport.createClient(options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(clientKeyPkcs1.toString())
                .hasMessageContaining(clientEcCert.toString());
    }
}
