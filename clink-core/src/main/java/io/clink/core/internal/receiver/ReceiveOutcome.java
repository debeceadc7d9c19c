package io.clink.core.internal.receiver;

import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.ReasonCodes;
import org.jspecify.annotations.Nullable;

/**
 * What {@link RouteReceiver#onRoutePublish} does once a publish is handled: the PUBACK code, and at most one reply
 * and one disconnect to send through the broker. Deciding under the receiver's lock and acting after it keeps broker locks from
 * nesting inside the receiver's.
 */
final class ReceiveOutcome {
    static final ReceiveOutcome HANDLED = new ReceiveOutcome(ReasonCodes.NO_MATCHING_SUBSCRIBERS, null, null);
    /** A publish of a connection already being disconnected: refused, nothing else. */
    static final ReceiveOutcome CLOSING = new ReceiveOutcome(ReasonCodes.IMPLEMENTATION_SPECIFIC_ERROR, null, null);

    final int code;
    final @Nullable MqttMessage reply;
    final @Nullable String disconnectReason;

    private ReceiveOutcome(int code, @Nullable MqttMessage reply, @Nullable String disconnectReason) {
        this.code = code;
        this.reply = reply;
        this.disconnectReason = disconnectReason;
    }

    static ReceiveOutcome reply(MqttMessage ack) {
        return new ReceiveOutcome(ReasonCodes.NO_MATCHING_SUBSCRIBERS, ack, null);
    }

    static ReceiveOutcome disconnect(int code, String reason) {
        return new ReceiveOutcome(code, null, reason);
    }
}
