package io.clink.api.transport;

/**
 * What the peer's CONNACK said.
 *
 * @param maximumPacketSize the peer's Maximum-Packet-Size in bytes; {@link #UNLIMITED} when the CONNACK carries
 *     none. Route batches and forwarded messages are sized to fit under it.
 * @param sessionPresent the CONNACK's session-present flag
 * @since 0.1.0
 */
public record ConnectResult(long maximumPacketSize, boolean sessionPresent) {

    /** The MQTT 5 protocol maximum (268,435,455 bytes of remaining length plus the fixed header). */
    public static final long UNLIMITED = 268_435_460L;

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException if {@code maximumPacketSize} is not positive
     */
    public ConnectResult {
        if (maximumPacketSize <= 0) {
            throw new IllegalArgumentException("maximumPacketSize must be positive: " + maximumPacketSize);
        }
    }
}
