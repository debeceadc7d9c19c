package io.clink.paho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransportException;
import io.clink.api.transport.LinkTransportException.Kind;
import io.clink.api.transport.OutgoingPublish;
import io.clink.api.transport.TlsSettings;
import io.clink.testkit.tls.TestPki;
import io.clink.testkit.tls.TestPki.Identity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration-time checks and the unconnected client; no network I/O. */
class PahoLinkTransportTest {

    private final PahoLinkTransport transport = new PahoLinkTransport();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        transport.close();
    }

    private static LinkClientOptions.Builder options() {
        return LinkClientOptions.builder().host("127.0.0.1").port(1883).clientId("c");
    }

    private static Kind kindOf(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        return f.handle((v, e) -> ((LinkTransportException) e).kind()).join();
    }

    @Test
    void validate_unparseableCaFile_rejectedNamingOptionAndFile() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        LinkClientOptions o =
                options().tls(TlsSettings.builder().caFile(ca).build()).build();

        assertThatThrownBy(() -> transport.validate(o))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssl.cacertfile " + ca);
        assertThatThrownBy(() -> transport.createClient(o)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createClient_keyNotMatchingCertificate_rejected() throws Exception {
        Identity ca = TestPki.ca("ca");
        Identity leaf = TestPki.leaf(ca, "leaf", TestPki.ecKeys(), List.of(), List.of());
        Path cert = TestPki.writeCertificates(dir.resolve("cert.pem"), leaf.certificate());
        Path key = TestPki.writePkcs8(dir.resolve("key.pem"), TestPki.ecKeys().getPrivate());
        LinkClientOptions o = options()
                .tls(TlsSettings.builder().certFile(cert).keyFile(key).build())
                .build();

        assertThatThrownBy(() -> transport.createClient(o))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssl.keyfile " + key)
                .hasMessageContaining("does not match the certificate in ssl.certfile " + cert);
    }

    @Test
    void validate_plainTcp_accepted() {
        transport.validate(options().build());
    }

    @Test
    void publishAndSubscribe_neverConnected_failNotConnected() {
        LinkClient c = transport.createClient(options().build());

        assertThat(kindOf(c.publish(OutgoingPublish.of("t", new byte[0], 1)))).isEqualTo(Kind.NOT_CONNECTED);
        assertThat(kindOf(c.subscribe("t", 1, p -> {}))).isEqualTo(Kind.NOT_CONNECTED);
        assertThat(c.isConnected()).isFalse();
    }

    @Test
    void close_unconnectedClient_idempotentAndLaterCallsFailClosed() {
        LinkClient c = transport.createClient(options().build());

        c.close();
        c.close();

        assertThat(kindOf(c.connect(r -> {}))).isEqualTo(Kind.CLOSED);
        assertThat(kindOf(c.publish(OutgoingPublish.of("t", new byte[0], 0)))).isEqualTo(Kind.CLOSED);
    }

    @Test
    void createClient_afterTransportClosed_illegalState() {
        transport.close();

        assertThatThrownBy(() -> transport.createClient(options().build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
