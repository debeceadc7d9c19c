package io.clink.api.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The transport SPI's value types: validation, defaults, and that secrets never reach toString. */
class TransportValuesTest {

    private static LinkClientOptions.Builder minimal() {
        return LinkClientOptions.builder().host("peer").port(11883).clientId("A:routesync:0123abcd");
    }

    @Test
    void linkClientOptions_defaults_matchEmqxLinkClients() {
        LinkClientOptions o = minimal().build();
        assertThat(o.cleanStart()).isTrue();
        assertThat(o.sessionExpiryIntervalSeconds()).isZero();
        assertThat(o.keepAlive()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.maxInflight()).isEqualTo(32);
        assertThat(o.tls()).isEmpty();
        assertThat(o.username()).isEmpty();
        assertThat(o.password()).isEmpty();
    }

    @Test
    void linkClientOptions_toString_neverShowsPassword() {
        LinkClientOptions o = minimal()
                .username("u")
                .password("hunter2".getBytes(StandardCharsets.UTF_8))
                .build();
        assertThat(o.toString()).doesNotContain("hunter2").contains("password=******");
    }

    @Test
    void linkClientOptions_password_isCopiedBothWays() {
        byte[] pw = {1, 2};
        LinkClientOptions o = minimal().password(pw).build();
        pw[0] = 9;
        o.password().orElseThrow()[1] = 9;
        assertThat(o.password()).hasValueSatisfying(p -> assertThat(p).containsExactly(1, 2));
    }

    @Test
    void linkClientOptions_missingRequired_failsNamingIt() {
        assertThatThrownBy(
                        () -> LinkClientOptions.builder().port(1).clientId("c").build())
                .hasMessage("host is required");
        assertThatThrownBy(() ->
                        LinkClientOptions.builder().host("h").clientId("c").build())
                .hasMessage("port is required");
        assertThatThrownBy(() -> LinkClientOptions.builder().host("h").port(1).build())
                .hasMessage("clientId is required");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 65536, -1})
    void port_outOfRange_failsWithValue(int port) {
        assertThatThrownBy(() -> LinkClientOptions.builder().port(port))
                .hasMessage("port must be in 1..65535: " + port);
    }

    @Test
    void keepAlive_fractional_fails() {
        assertThatThrownBy(() -> LinkClientOptions.builder().keepAlive(Duration.ofMillis(1500)))
                .hasMessageContaining("keepAlive must be whole seconds in 0..65535");
    }

    @Test
    void disconnectReason_toString_showsCodeInHex() {
        DisconnectReason r =
                new DisconnectReason(DisconnectReason.Cause.BROKER_DISCONNECT, 0x98, "administrative action");
        assertThat(r.toString()).isEqualTo("broker_disconnect (reason code 0x98): administrative action");
        assertThat(r.hasReasonCode()).isTrue();
        DisconnectReason none = new DisconnectReason(DisconnectReason.Cause.SOCKET_ERROR, -1, "");
        assertThat(none.toString()).isEqualTo("socket_error");
        assertThat(none.hasReasonCode()).isFalse();
        assertThatThrownBy(() -> new DisconnectReason(DisconnectReason.Cause.CLOSED, 256, ""))
                .hasMessage("reasonCode must be -1 or in 0..255: 256");
    }

    @Test
    void outgoingPublish_qos2_isRefusedOnLinks() {
        assertThatThrownBy(() -> OutgoingPublish.of("$LINK/cluster/msg/A", new byte[0], 2))
                .hasMessage("qos must be 0 or 1 on a link connection: 2");
        assertThatThrownBy(() -> OutgoingPublish.of("", new byte[0], 0)).hasMessage("topic must not be empty");
    }

    @Test
    void publishResult_success_isBelow0x80() {
        assertThat(new PublishResult(0x10).isSuccess()).isTrue();
        assertThat(new PublishResult(0x80).isSuccess()).isFalse();
        assertThat(PublishResult.SUCCESS.reasonCode()).isZero();
    }

    @Test
    void tlsSettings_defaults_verifyAndModernProtocols() {
        TlsSettings t = TlsSettings.builder().build();
        assertThat(t.verifyPeer()).isTrue();
        assertThat(t.protocols()).isEqualTo(List.of("TLSv1.3", "TLSv1.2"));
        assertThat(t)
                .isEqualTo(TlsSettings.builder().build())
                .hasSameHashCodeAs(TlsSettings.builder().build());
        assertThatThrownBy(() -> TlsSettings.builder().protocols(List.of("TLSv1.1")))
                .hasMessageContaining("unsupported TLS version 'TLSv1.1'");
    }

    @Test
    void tlsSettings_certWithoutKey_failsNamingBoth() {
        assertThatThrownBy(() -> TlsSettings.builder()
                        .certFile(java.nio.file.Path.of("/nonexistent.pem"))
                        .build())
                .hasMessageContaining("ssl.certfile and ssl.keyfile must be given together");
    }
}
