package io.clink.testkit;

import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.DisconnectReason.Cause;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransportException;
import io.clink.api.transport.LinkTransportException.Kind;

/*
 * Why this exists: an in-memory link client must fail its futures with the same kinds, causes and reason codes a
 * real transport reports (the transport SPI's contract), each naming the client and its target; the wording lives
 * here so InMemoryLinkClient reads as its state machine.
 */
final class LinkClientErrors {

    private final String clientId;
    private final String target;

    LinkClientErrors(LinkClientOptions options) {
        this.clientId = options.clientId();
        this.target = options.host() + ':' + options.port();
    }

    String target() {
        return target;
    }

    LinkTransportException closed() {
        return new LinkTransportException(
                Kind.CLOSED, "link client " + clientId + " to " + target + " is closed", null, null);
    }

    LinkTransportException notConnected(String what) {
        return new LinkTransportException(
                Kind.NOT_CONNECTED,
                "cannot " + what + ": link client " + clientId + " is not connected to " + target,
                null,
                null);
    }

    LinkTransportException connectWhile(String state) {
        return new LinkTransportException(
                Kind.ILLEGAL_STATE, "connect called while " + state + ": " + target, null, null);
    }

    LinkTransportException connectFailed(DisconnectReason reason) {
        return new LinkTransportException(
                Kind.CONNECT_FAILED, "connect to " + target + " failed: " + reason, reason, null);
    }

    LinkTransportException packetTooLarge(String topic, long size, long peerMaximum) {
        return new LinkTransportException(
                Kind.PACKET_TOO_LARGE,
                "PUBLISH to " + topic + " is " + size + " bytes, over the peer's Maximum-Packet-Size of " + peerMaximum,
                null,
                null);
    }

    LinkTransportException subscriptionRefused(String filter, int code) {
        return new LinkTransportException(
                Kind.REFUSED,
                String.format("SUBACK refused %s with reason code 0x%02X", filter, code),
                new DisconnectReason(Cause.CONNECT_REFUSED, code, "subscription refused"),
                null);
    }

    LinkTransportException lostBeforePuback(String topic, DisconnectReason reason) {
        return new LinkTransportException(
                Kind.NOT_CONNECTED,
                "connection to " + target + " lost before PUBACK for " + topic + ": " + reason,
                reason,
                null);
    }

    /** The CONNACK refusal for a failure code, with the text a real client shows. */
    static DisconnectReason refused(int code) {
        String text = switch (code) {
            case 0x86 -> "bad user name or password";
            case 0x87 -> "not authorized";
            case 0x88 -> "server unavailable";
            case 0x89 -> "server busy";
            default -> "refused";
        };
        return new DisconnectReason(Cause.CONNECT_REFUSED, code, text);
    }
}
