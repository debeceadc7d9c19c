package io.clink.paho.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.DisconnectReason.Cause;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

class ReasonClassifierTest {

    @Test
    void connectFailure_connackNotAuthorized_connectRefusedWithCode() {
        DisconnectReason r = ReasonClassifier.connectFailure(new MqttException(0x87));

        assertThat(r).isEqualTo(new DisconnectReason(Cause.CONNECT_REFUSED, 0x87, "not authorized"));
    }

    @Test
    void connectFailure_connackBadUserNameOrPassword_saysNotAuthorized() {
        DisconnectReason r = ReasonClassifier.connectFailure(new MqttException(0x86));

        assertThat(r.cause()).isEqualTo(Cause.CONNECT_REFUSED);
        assertThat(r.reasonCode()).isEqualTo(0x86);
        assertThat(r.message()).contains("not authorized").contains("bad user name or password");
    }

    @Test
    void connectFailure_connackServerBusy_connectRefusedNamed() {
        assertThat(ReasonClassifier.connectFailure(new MqttException(0x89)).message())
                .isEqualTo("server busy");
    }

    @Test
    void connectFailure_certificateRejectedInHandshake_tlsErrorWithDetail() {
        SSLHandshakeException tls = new SSLHandshakeException("PKIX path building failed");
        tls.initCause(new CertificateException("unable to find valid certification path to requested target"));

        DisconnectReason r = ReasonClassifier.connectFailure(new MqttException(tls));

        assertThat(r.cause()).isEqualTo(Cause.TLS_ERROR);
        assertThat(r.hasReasonCode()).isFalse();
        assertThat(r.message()).contains("unable to find valid certification path");
    }

    @Test
    void connectFailure_tcpRefused_socketErrorConnectionRefused() {
        DisconnectReason r = ReasonClassifier.connectFailure(new MqttException(
                MqttClientException.REASON_CODE_SERVER_CONNECT_ERROR, new ConnectException("Connection refused")));

        assertThat(r.cause()).isEqualTo(Cause.SOCKET_ERROR);
        assertThat(r.message()).startsWith("connection refused");
    }

    @Test
    void connectFailure_unknownHost_socketErrorNamingIt() {
        DisconnectReason r =
                ReasonClassifier.connectFailure(new MqttException(new UnknownHostException("nope.invalid")));

        assertThat(r.cause()).isEqualTo(Cause.SOCKET_ERROR);
        assertThat(r.message()).contains("unknown host").contains("nope.invalid");
    }

    @Test
    void connectFailure_socketTimeout_connectTimeout() {
        DisconnectReason r =
                ReasonClassifier.connectFailure(new MqttException(new SocketTimeoutException("timed out")));

        assertThat(r.cause()).isEqualTo(Cause.CONNECT_TIMEOUT);
    }

    @Test
    void connectFailure_pahoClientTimeout_connectTimeout() {
        DisconnectReason r =
                ReasonClassifier.connectFailure(new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT));

        assertThat(r.cause()).isEqualTo(Cause.CONNECT_TIMEOUT);
    }

    @Test
    void connectionLost_eof_socketErrorWithoutDisconnect() {
        DisconnectReason r = ReasonClassifier.connectionLost(
                new MqttException(MqttClientException.REASON_CODE_CONNECTION_LOST, new EOFException()));

        assertThat(r)
                .isEqualTo(new DisconnectReason(
                        Cause.SOCKET_ERROR,
                        DisconnectReason.NO_REASON_CODE,
                        "connection closed by the peer without DISCONNECT"));
    }

    @Test
    void connectionLost_reset_socketErrorWithJdkMessage() {
        DisconnectReason r = ReasonClassifier.connectionLost(new MqttException(
                MqttClientException.REASON_CODE_CONNECTION_LOST, new SocketException("Connection reset")));

        assertThat(r.cause()).isEqualTo(Cause.SOCKET_ERROR);
        assertThat(r.message()).isEqualTo("Connection reset");
    }

    @Test
    void connectionLost_keepaliveTimeout_socketErrorSaysKeepalive() {
        DisconnectReason r =
                ReasonClassifier.connectionLost(new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT));

        assertThat(r.cause()).isEqualTo(Cause.SOCKET_ERROR);
        assertThat(r.message()).contains("keepalive");
    }

    @Test
    void connectionLost_socketTimeoutAfterConnect_notAConnectTimeout() {
        DisconnectReason r =
                ReasonClassifier.connectionLost(new MqttException(new SocketTimeoutException("Read timed out")));

        assertThat(r.cause()).isEqualTo(Cause.SOCKET_ERROR);
    }

    @Test
    void connectionLost_malformedPacket_malformed() {
        DisconnectReason r =
                ReasonClassifier.connectionLost(new MqttException(MqttException.REASON_CODE_MALFORMED_PACKET));

        assertThat(r.cause()).isEqualTo(Cause.MALFORMED_PACKET);
        assertThat(r.message()).isEqualTo("the peer sent a packet that is not valid MQTT 5");
    }

    @Test
    void connectionLost_tlsAlertMidSession_tlsError() {
        DisconnectReason r = ReasonClassifier.connectionLost(new MqttException(
                MqttClientException.REASON_CODE_CONNECTION_LOST, new javax.net.ssl.SSLException("bad_record_mac")));

        assertThat(r.cause()).isEqualTo(Cause.TLS_ERROR);
    }

    @Test
    void brokerDisconnect_withReasonString_codeNameAndString() {
        assertThat(ReasonClassifier.brokerDisconnect(0x98, "maintenance"))
                .isEqualTo(new DisconnectReason(Cause.BROKER_DISCONNECT, 0x98, "administrative action: maintenance"));
        assertThat(ReasonClassifier.brokerDisconnect(0x8E, null).message()).isEqualTo("session taken over");
    }

    @Test
    void reasonName_undefinedCode_hexFallback() {
        assertThat(ReasonClassifier.reasonName(0xFE)).isEqualTo("reason code 0xFE");
        assertThat(ReasonClassifier.reasonName(0x10)).isEqualTo("no matching subscribers");
    }
}
