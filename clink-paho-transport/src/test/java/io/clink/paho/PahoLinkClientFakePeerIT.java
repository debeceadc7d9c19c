package io.clink.paho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.transport.ConnectResult;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.DisconnectReason.Cause;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransportException;
import io.clink.api.transport.LinkTransportException.Kind;
import io.clink.api.transport.OutgoingPublish;
import io.clink.api.transport.PublishResult;
import io.clink.api.transport.TlsSettings;
import io.clink.paho.testsupport.FakeMqttPeer;
import io.clink.testkit.Await;
import io.clink.testkit.tls.TestPki;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Cases a real broker does not produce on demand, against a hand-driven TCP peer. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PahoLinkClientFakePeerIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MQTT_CONNECT = 1;
    private static final int MQTT_PUBLISH = 3;

    private final PahoLinkTransport transport = new PahoLinkTransport();
    private final FakeMqttPeer peer = new FakeMqttPeer();

    @TempDir
    Path dir;

    PahoLinkClientFakePeerIT() throws Exception {}

    @AfterEach
    void tearDown() throws Exception {
        peer.close();
        transport.close();
    }

    private LinkClient client(String clientId, Duration connectTimeout, TlsSettings tls) {
        return transport.createClient(LinkClientOptions.builder()
                .host("127.0.0.1")
                .port(peer.port())
                .clientId(clientId)
                .connectTimeout(connectTimeout)
                .tls(tls)
                .build());
    }

    private static LinkTransportException failure(CompletableFuture<?> f, Duration within) throws Exception {
        try {
            f.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(LinkTransportException.class);
            return (LinkTransportException) e.getCause();
        }
        throw new AssertionError("expected the future to fail");
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    /** Whether the peer's end of the connection sees the client close it (EOF or reset) within the wait. */
    private static boolean peerSeesClose(Socket accepted) throws Exception {
        accepted.setSoTimeout((int) WAIT.toMillis());
        try {
            return accepted.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // connection reset
        }
    }

    private TlsSettings anyTls() throws Exception {
        Path ca = TestPki.writeCertificates(
                dir.resolve("ca.pem"), TestPki.ca("Stall CA").certificate());
        return TlsSettings.builder().caFile(ca).build();
    }

    @Test
    void connect_peerAcceptsAndNeverAnswers_connectTimeout() throws Exception {
        LinkClient c = client("silent", Duration.ofMillis(500), null);
        long start = System.nanoTime();

        LinkTransportException e = failure(c.connect(r -> {}), WAIT);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(400L, 5_000L);
        assertThat(e.kind()).isEqualTo(Kind.CONNECT_FAILED);
        assertThat(e.reason().cause()).isEqualTo(Cause.CONNECT_TIMEOUT);
        assertThat(e.reason().message()).contains("500 ms");
        assertThat(c.isConnected()).isFalse();
        c.close();
    }

    @Test
    void close_whileConnectStalled_returnsWithinOneSecond() throws Exception {
        LinkClient c = client("stalled", Duration.ofSeconds(30), null);
        CompletableFuture<ConnectResult> connecting = c.connect(r -> {});
        Socket accepted = peer.awaitConnection(WAIT);
        // The CONNECT arrived: the client now waits for a CONNACK that never comes.
        assertThat(FakeMqttPeer.readPacket(accepted.getInputStream())).isEqualTo(MQTT_CONNECT);

        long start = System.nanoTime();
        c.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(closeMillis).isLessThan(1_000);
        assertThat(failure(connecting, Duration.ofSeconds(1)).kind()).isEqualTo(Kind.CLOSED);
        assertThat(peerSeesClose(accepted)).as("client closed its socket").isTrue();
        Await.until(
                "Paho's threads of the stalled client end",
                WAIT,
                () -> !threadAlive("MQTT Rec: stalled") && !threadAlive("MQTT Con: stalled"),
                () -> "Paho threads still running");
    }

    @Test
    void close_whileTlsHandshakeStalled_returnsWithinOneSecond() throws Exception {
        LinkClient c = client("stalled-tls", Duration.ofSeconds(30), anyTls());
        CompletableFuture<ConnectResult> connecting = c.connect(r -> {});
        Socket accepted = peer.awaitConnection(WAIT);
        // Wait for the ClientHello, then never answer it.
        assertThat(accepted.getInputStream().read()).isEqualTo(0x16);

        long start = System.nanoTime();
        c.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(closeMillis).isLessThan(1_000);
        assertThat(failure(connecting, Duration.ofSeconds(1)).kind()).isEqualTo(Kind.CLOSED);
        Await.until(
                "Paho's connect thread of the stalled TLS client ends",
                WAIT,
                () -> !threadAlive("MQTT Con: stalled-tls"),
                () -> "Paho connect thread still running");
    }

    @Test
    void connect_tlsHandshakeNeverAnswered_connectTimeout() throws Exception {
        LinkClient c = client("silent-tls", Duration.ofMillis(500), anyTls());

        LinkTransportException e = failure(c.connect(r -> {}), WAIT);

        assertThat(e.reason().cause()).isEqualTo(Cause.CONNECT_TIMEOUT);
        c.close();
    }

    @Test
    void peerSendsDisconnect_reportedAsBrokerDisconnectWithReasonCodeAndString() throws Exception {
        LinkClient c = client("kicked", WAIT, null);
        BlockingQueue<DisconnectReason> lost = new LinkedBlockingQueue<>();
        CompletableFuture<ConnectResult> connecting = c.connect(lost::add);
        Socket s = peer.awaitConnection(WAIT);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        assertThat(FakeMqttPeer.readPacket(in)).isEqualTo(MQTT_CONNECT);
        out.write(FakeMqttPeer.CONNACK_OK);
        connecting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        // DISCONNECT, reason 0x98 (administrative action), Reason-String "bye".
        out.write(new byte[] {(byte) 0xE0, 0x08, (byte) 0x98, 0x06, 0x1F, 0x00, 0x03, 'b', 'y', 'e'});
        out.flush();
        DisconnectReason reason = lost.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(reason).isEqualTo(new DisconnectReason(Cause.BROKER_DISCONNECT, 0x98, "administrative action: bye"));
        assertThat(c.isConnected()).isFalse();
        assertThat(lost.poll(200, TimeUnit.MILLISECONDS))
                .as("listener called once")
                .isNull();
        c.close();
    }

    @Test
    void peerStopsAnsweringPings_reportedLostByKeepalive() throws Exception {
        LinkClient c = transport.createClient(LinkClientOptions.builder()
                .host("127.0.0.1")
                .port(peer.port())
                .clientId("deaf")
                .keepAlive(Duration.ofSeconds(1))
                .build());
        BlockingQueue<DisconnectReason> lost = new LinkedBlockingQueue<>();
        CompletableFuture<ConnectResult> connecting = c.connect(lost::add);
        Socket s = peer.awaitConnection(WAIT);
        assertThat(FakeMqttPeer.readPacket(s.getInputStream())).isEqualTo(MQTT_CONNECT);
        s.getOutputStream().write(FakeMqttPeer.CONNACK_OK);
        connecting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(FakeMqttPeer.readPacket(s.getInputStream())).as("PINGREQ").isEqualTo(12);
        DisconnectReason reason = lost.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(reason).isNotNull();
        assertThat(reason.cause()).isEqualTo(Cause.SOCKET_ERROR);
        assertThat(reason.message()).contains("keepalive");
        c.close();
    }

    @Test
    void peerSendsGarbage_reportedAsMalformedPacket() throws Exception {
        LinkClient c = client("garbled", WAIT, null);
        BlockingQueue<DisconnectReason> lost = new LinkedBlockingQueue<>();
        CompletableFuture<ConnectResult> connecting = c.connect(lost::add);
        Socket s = peer.awaitConnection(WAIT);
        assertThat(FakeMqttPeer.readPacket(s.getInputStream())).isEqualTo(MQTT_CONNECT);
        s.getOutputStream().write(FakeMqttPeer.CONNACK_OK);
        connecting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        s.getOutputStream().write(new byte[] {0x00, 0x00}); // packet type 0 is reserved
        DisconnectReason reason = lost.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(reason).isNotNull();
        assertThat(reason.cause()).isEqualTo(Cause.MALFORMED_PACKET);
        c.close();
    }

    /** Connects a client with the given window to the fake peer and returns the peer's socket. */
    private Socket connectWithWindow(LinkClient c) throws Exception {
        CompletableFuture<ConnectResult> connecting = c.connect(r -> {});
        Socket s = peer.awaitConnection(WAIT);
        assertThat(FakeMqttPeer.readPacket(s.getInputStream())).isEqualTo(MQTT_CONNECT);
        s.getOutputStream().write(FakeMqttPeer.CONNACK_OK);
        connecting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    /** The packet identifier of a QoS 1 PUBLISH to the one-character topic "t". */
    private static int packetId(byte[] publishBody) {
        return ((publishBody[3] & 0xFF) << 8) | (publishBody[4] & 0xFF);
    }

    @Test
    void publish_windowOfTwo_thirdWaitsForAPuback() throws Exception {
        LinkClient c = transport.createClient(LinkClientOptions.builder()
                .host("127.0.0.1")
                .port(peer.port())
                .clientId("window")
                .maxInflight(2)
                .build());
        Socket s = connectWithWindow(c);
        InputStream in = s.getInputStream();

        List<CompletableFuture<PublishResult>> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(c.publish(OutgoingPublish.of("t", new byte[] {(byte) i}, 1)));
        }
        byte[] first = FakeMqttPeer.readPacketBody(in, MQTT_PUBLISH);
        FakeMqttPeer.readPacketBody(in, MQTT_PUBLISH);
        s.setSoTimeout(300);
        assertThatThrownBy(() -> FakeMqttPeer.readPacket(in))
                .as("no third PUBLISH while two are unacknowledged")
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(results.get(2)).isNotDone();

        // PUBACK for the first, reason code 0x87 (not authorized): a result, not an exception.
        int id = packetId(first);
        s.getOutputStream().write(new byte[] {0x40, 0x03, (byte) (id >> 8), (byte) id, (byte) 0x87});
        s.setSoTimeout((int) WAIT.toMillis());
        byte[] third = FakeMqttPeer.readPacketBody(in, MQTT_PUBLISH);

        PublishResult firstResult = results.get(0).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(firstResult.reasonCode()).isEqualTo(0x87);
        assertThat(firstResult.isSuccess()).isFalse();
        assertThat(third[third.length - 1]).as("third payload").isEqualTo((byte) 2);
        assertThat(results.get(1)).isNotDone();
        c.close();
        assertThat(failure(results.get(1), WAIT).kind()).isEqualTo(Kind.CLOSED);
    }

    @Test
    void publish_atAndAboveConnackMaximumPacketSize_exactBoundary() throws Exception {
        LinkClient c = client("boundary", WAIT, null);
        CompletableFuture<ConnectResult> connecting = c.connect(r -> {});
        Socket s = peer.awaitConnection(WAIT);
        assertThat(FakeMqttPeer.readPacket(s.getInputStream())).isEqualTo(MQTT_CONNECT);
        // CONNACK with Maximum-Packet-Size (0x27) = 64.
        s.getOutputStream().write(new byte[] {0x20, 0x08, 0x00, 0x00, 0x05, 0x27, 0x00, 0x00, 0x00, 0x40});
        assertThat(connecting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).maximumPacketSize())
                .isEqualTo(64);

        // QoS 0 PUBLISH to "t": 1 type + 1 length + 2+1 topic + 1 property length + payload = 6 + payload bytes.
        LinkTransportException tooLarge = failure(c.publish(OutgoingPublish.of("t", new byte[59], 0)), WAIT);
        c.publish(OutgoingPublish.of("t", new byte[58], 0)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(tooLarge.kind()).isEqualTo(Kind.PACKET_TOO_LARGE);
        assertThat(tooLarge.getMessage()).contains("65 bytes").contains("64 bytes");
        assertThat(FakeMqttPeer.readPacket(s.getInputStream())).isEqualTo(MQTT_PUBLISH);
        assertThat(c.isConnected()).isTrue();
        c.close();
    }
}
