package io.clink.api.transport;

/**
 * Learns that an established connection was lost.
 *
 * <p>Thread: a transport thread. Blocking: must not block. Exceptions: logged by the transport and ignored.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ConnectionListener {

    /**
     * Called once when a connection that {@link LinkClient#connect} established ends for any reason other than
     * {@link LinkClient#close()}.
     *
     * @param reason why, not null
     * @since 0.1.0
     */
    void onConnectionLost(DisconnectReason reason);
}
