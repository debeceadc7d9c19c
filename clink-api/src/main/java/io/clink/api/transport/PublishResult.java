package io.clink.api.transport;

/**
 * The outcome of a publish the peer received.
 *
 * @param reasonCode the PUBACK reason code for QoS 1 (0x00 success, 0x10 no matching subscribers, 0x80 and up
 *     failures); 0 for QoS 0
 * @since 0.1.0
 */
public record PublishResult(int reasonCode) {

    /** A QoS 0 publish written to the connection, or a PUBACK with reason code 0x00. */
    public static final PublishResult SUCCESS = new PublishResult(0);

    /**
     * Validates the reason code.
     *
     * @throws IllegalArgumentException if the reason code is not in 0..255
     */
    public PublishResult {
        if (reasonCode < 0 || reasonCode > 0xFF) {
            throw new IllegalArgumentException("reasonCode must be in 0..255: " + reasonCode);
        }
    }

    /**
     * Whether the peer accepted the message: a reason code below 0x80, as MQTT 5 and EMQX count it.
     *
     * @return {@code true} for reason codes below 0x80
     */
    public boolean isSuccess() {
        return reasonCode < 0x80;
    }
}
