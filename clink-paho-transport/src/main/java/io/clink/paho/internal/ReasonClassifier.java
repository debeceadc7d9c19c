package io.clink.paho.internal;

import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.DisconnectReason.Cause;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.jspecify.annotations.Nullable;

/**
 * Turns what Paho reports (exceptions, DISCONNECT packets, CONNACK codes) into the section 4.6 classes of {@link
 * DisconnectReason}. Pure functions; thread-safe.
 *
 * <p>Paho wraps the interesting exception (socket, TLS) as the cause of an {@link MqttException} whose own reason
 * code is a Paho-internal number (32000 and up) or an MQTT reason code (0x80 to 0xFF, for a refusing CONNACK). The
 * cause chain is searched first for TLS, then timeouts, then other I/O errors, because a TLS failure often
 * surfaces wrapped in a socket error and vice versa never happens.
 */
public final class ReasonClassifier {

    private ReasonClassifier() {}

    /**
     * The MQTT 5 name of a reason code, lowercase, as EMQX reports them (for example {@code "not authorized"}).
     *
     * @param code 0..255
     * @return the name, or {@code "reason code 0x.."} for codes MQTT 5 does not define
     */
    public static String reasonName(int code) {
        switch (code) {
            case 0x00:
                return "normal disconnection";
            case 0x04:
                return "disconnect with will message";
            case 0x10:
                return "no matching subscribers";
            case 0x80:
                return "unspecified error";
            case 0x81:
                return "malformed packet";
            case 0x82:
                return "protocol error";
            case 0x83:
                return "implementation specific error";
            case 0x84:
                return "unsupported protocol version";
            case 0x85:
                return "client identifier not valid";
            // 0x86 is an authentication failure; brokers use it where EMQX says "not authorized", so say both.
            case 0x86:
                return "not authorized: bad user name or password";
            case 0x87:
                return "not authorized";
            case 0x88:
                return "server unavailable";
            case 0x89:
                return "server busy";
            case 0x8A:
                return "banned";
            case 0x8B:
                return "server shutting down";
            case 0x8C:
                return "bad authentication method";
            case 0x8D:
                return "keep alive timeout";
            case 0x8E:
                return "session taken over";
            case 0x8F:
                return "topic filter invalid";
            case 0x90:
                return "topic name invalid";
            case 0x91:
                return "packet identifier in use";
            case 0x92:
                return "packet identifier not found";
            case 0x93:
                return "receive maximum exceeded";
            case 0x94:
                return "topic alias invalid";
            case 0x95:
                return "packet too large";
            case 0x96:
                return "message rate too high";
            case 0x97:
                return "quota exceeded";
            case 0x98:
                return "administrative action";
            case 0x99:
                return "payload format invalid";
            case 0x9A:
                return "retain not supported";
            case 0x9B:
                return "qos not supported";
            case 0x9C:
                return "use another server";
            case 0x9D:
                return "server moved";
            case 0x9E:
                return "shared subscriptions not supported";
            case 0x9F:
                return "connection rate exceeded";
            case 0xA0:
                return "maximum connect time";
            case 0xA1:
                return "subscription identifiers not supported";
            case 0xA2:
                return "wildcard subscriptions not supported";
            default:
                return String.format(Locale.ROOT, "reason code 0x%02X", code);
        }
    }

    /**
     * Classifies a DISCONNECT packet received from the peer.
     *
     * @param reasonCode the DISCONNECT reason code
     * @param reasonString the Reason-String property, or null
     * @return a {@link Cause#BROKER_DISCONNECT} reason
     */
    public static DisconnectReason brokerDisconnect(int reasonCode, @Nullable String reasonString) {
        String message = reasonName(reasonCode);
        if (reasonString != null && !reasonString.isEmpty()) {
            message = message + ": " + reasonString;
        }
        return new DisconnectReason(Cause.BROKER_DISCONNECT, reasonCode, message);
    }

    /**
     * Classifies why a connect attempt failed.
     *
     * @param failure what Paho or the network module threw
     * @return the reason
     */
    public static DisconnectReason connectFailure(Throwable failure) {
        if (failure instanceof MqttException) {
            int code = ((MqttException) failure).getReasonCode();
            if (code >= 0x80 && code <= 0xFF && failure.getCause() == null) {
                return new DisconnectReason(Cause.CONNECT_REFUSED, code, reasonName(code));
            }
            if (code == MqttClientException.REASON_CODE_CLIENT_TIMEOUT && failure.getCause() == null) {
                return new DisconnectReason(
                        Cause.CONNECT_TIMEOUT, DisconnectReason.NO_REASON_CODE, "no CONNACK in time");
            }
        }
        return fromCauseChain(failure, true);
    }

    /**
     * Classifies the loss of an established connection that did not come with a DISCONNECT packet.
     *
     * @param failure what Paho reported
     * @return the reason
     */
    public static DisconnectReason connectionLost(Throwable failure) {
        if (failure instanceof MqttException && failure.getCause() == null) {
            int code = ((MqttException) failure).getReasonCode();
            if (code == MqttClientException.REASON_CODE_CLIENT_TIMEOUT) {
                // Paho's keepalive gave up: the peer did not answer PINGREQ.
                return new DisconnectReason(
                        Cause.SOCKET_ERROR,
                        DisconnectReason.NO_REASON_CODE,
                        "keepalive timeout: the peer stopped answering");
            }
            if (code >= 0x80 && code <= 0xFF) {
                return new DisconnectReason(Cause.BROKER_DISCONNECT, code, reasonName(code));
            }
        }
        return fromCauseChain(failure, false);
    }

    private static DisconnectReason fromCauseChain(Throwable failure, boolean connecting) {
        SSLException tls = find(failure, SSLException.class);
        if (tls != null) {
            return new DisconnectReason(Cause.TLS_ERROR, DisconnectReason.NO_REASON_CODE, "TLS: " + describe(tls));
        }
        SocketTimeoutException timeout = find(failure, SocketTimeoutException.class);
        if (timeout != null && connecting) {
            return new DisconnectReason(Cause.CONNECT_TIMEOUT, DisconnectReason.NO_REASON_CODE, describe(timeout));
        }
        if (isMalformed(failure)) {
            // Paho's own message for these codes is just "MqttException"; say what happened instead.
            return new DisconnectReason(
                    Cause.MALFORMED_PACKET,
                    DisconnectReason.NO_REASON_CODE,
                    "the peer sent a packet that is not valid MQTT 5");
        }
        ConnectException refused = find(failure, ConnectException.class);
        if (refused != null) {
            return socketError("connection refused: " + describe(refused));
        }
        UnknownHostException unknownHost = find(failure, UnknownHostException.class);
        if (unknownHost != null) {
            return socketError("unknown host: " + describe(unknownHost));
        }
        NoRouteToHostException noRoute = find(failure, NoRouteToHostException.class);
        if (noRoute != null) {
            return socketError("no route to host: " + describe(noRoute));
        }
        if (find(failure, EOFException.class) != null) {
            return socketError("connection closed by the peer without DISCONNECT");
        }
        IOException io = find(failure, IOException.class);
        if (io != null) {
            return socketError(describe(io));
        }
        if (failure instanceof MqttException
                && ((MqttException) failure).getReasonCode() == MqttClientException.REASON_CODE_CONNECTION_LOST) {
            return socketError("connection lost");
        }
        return socketError(describe(failure));
    }

    private static boolean isMalformed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MqttException) {
                int code = ((MqttException) t).getReasonCode();
                if (code == MqttException.REASON_CODE_MALFORMED_PACKET
                        || code == MqttException.REASON_CODE_INVALID_IDENTIFIER
                        || code == MqttException.REASON_CODE_INVALID_RETURN_CODE
                        || code == MqttException.REASON_CODE_DUPLICATE_PROPERTY
                        || code == MqttClientException.REASON_CODE_INVALID_MESSAGE) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static DisconnectReason socketError(String message) {
        return new DisconnectReason(Cause.SOCKET_ERROR, DisconnectReason.NO_REASON_CODE, message);
    }

    private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The message of the deepest exception that has one: the JDK puts the precise detail there. */
    private static String describe(Throwable failure) {
        String message = null;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t.getMessage() != null && !t.getMessage().isBlank() && !(t instanceof MqttException)) {
                message = t.getMessage();
            }
        }
        return message != null ? message : failure.getClass().getSimpleName();
    }
}
