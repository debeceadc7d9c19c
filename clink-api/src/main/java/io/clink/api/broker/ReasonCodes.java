package io.clink.api.broker;

/**
 * The MQTT 5 reason codes that cross the broker SPI: PUBACK codes returned by {@link
 * ClusterLinkHooks#onLinkPublish}, and DISCONNECT codes passed to {@link LocalBroker#disconnect}.
 *
 * @since 0.1.0
 */
public final class ReasonCodes {

    /** PUBACK: accepted. */
    public static final int SUCCESS = 0x00;

    /**
     * PUBACK: accepted, but no subscriber matched. EMQX answers every consumed {@code $LINK/cluster/route/...} publish
     * with it, and senders count it as success.
     */
    public static final int NO_MATCHING_SUBSCRIBERS = 0x10;

    /** PUBACK: refused for an unspecified reason. */
    public static final int UNSPECIFIED_ERROR = 0x80;

    /**
     * DISCONNECT: "Implementation specific error", which EMQX sends when a link peer violates the link protocol
     * (malformed payload, route operation before the handshake, outdated incarnation). PUBACK: clink's answer to a
     * forwarded-message payload that is not a {@code #message{}} record (without a disconnect, which would make EMQX
     * send it again).
     */
    public static final int IMPLEMENTATION_SPECIFIC_ERROR = 0x83;

    /** DISCONNECT or PUBACK: the client may not use link topics, or may not speak for that cluster. */
    public static final int NOT_AUTHORIZED = 0x87;

    /**
     * PUBACK: "Topic Name invalid": a forwarded message whose topic EMQX accepted (it does not check UTF-8 by
     * default) but an MQTT broker cannot carry.
     */
    public static final int TOPIC_NAME_INVALID = 0x90;

    /** DISCONNECT: a quota is exceeded (a remote cluster already has the most route actors a receiver keeps). */
    public static final int QUOTA_EXCEEDED = 0x97;

    /** DISCONNECT: "Administrative action": the link to that cluster was disabled or deleted here. */
    public static final int ADMINISTRATIVE_ACTION = 0x98;

    private ReasonCodes() {}

    /**
     * Whether a PUBACK reason code means the message was accepted, as MQTT 5 and EMQX count it.
     *
     * @param reasonCode a reason code, 0..255
     * @return {@code true} below 0x80
     * @since 0.1.0
     */
    public static boolean isSuccess(int reasonCode) {
        return reasonCode >= 0 && reasonCode < 0x80;
    }
}
