package io.clink.api.transport;

import java.util.concurrent.CompletableFuture;

/**
 * One MQTT v5 client connection to a remote cluster's link listener.
 *
 * <p>Lifecycle: created unconnected; {@link #connect} once; after a connection loss (reported to the
 * {@link ConnectionListener}) the client stays disconnected, and the engine decides when to call {@link #connect}
 * again (the transport never reconnects on its own, so backoff stays in the engine). {@link #close()} ends the
 * client for good.
 *
 * <p>Thread-safety: all methods may be called from any thread, concurrently. None of them blocks; results arrive
 * through the returned futures, which the transport completes on its own threads.
 *
 * @since 0.1.0
 */
public interface LinkClient extends AutoCloseable {

    /**
     * Connects (TCP, optional TLS, MQTT CONNECT/CONNACK).
     *
     * <p>Thread: any. Blocking: no. The future completes with the CONNACK facts, or exceptionally with a
     * {@link LinkTransportException} whose {@link LinkTransportException#reason() reason} classifies the failure
     * (refused with a reason code, timeout, socket or TLS error). Calling it while connected or connecting completes
     * exceptionally with {@link LinkTransportException.Kind#ILLEGAL_STATE}.
     *
     * @param listener receives the loss of this connection, once per successful connect; not null; called on a
     *     transport thread, must not block, exceptions it throws are logged and ignored
     * @return the connection result
     * @since 0.1.0
     */
    CompletableFuture<ConnectResult> connect(ConnectionListener listener);

    /**
     * Publishes one message.
     *
     * <p>Thread: any. Blocking: no; when the in-flight window ({@link LinkClientOptions#maxInflight()}) is full the
     * publish waits inside the transport, not in the caller. QoS 0 completes once written to the connection with
     * reason code 0; QoS 1 completes with the PUBACK reason code (success or not: a reason code of 0x80 or more is a
     * result, not an exception). Completes exceptionally with {@link LinkTransportException} when the message was
     * not delivered to the peer: not connected, connection lost before the acknowledgement, or a packet larger than
     * the peer's Maximum-Packet-Size (rejected before sending, kind {@link
     * LinkTransportException.Kind#PACKET_TOO_LARGE}).
     *
     * @param publish the message; its arrays are not copied and must not be modified until the future completes
     * @return the result
     * @since 0.1.0
     */
    CompletableFuture<PublishResult> publish(OutgoingPublish publish);

    /**
     * Subscribes to one topic filter on this connection. Inbound publishes matching it go to {@code handler}.
     *
     * <p>Thread: any. Blocking: no. The future completes with the granted SUBACK reason code (0, 1 or 2), or
     * exceptionally with a {@link LinkTransportException} if not connected, or of kind {@link
     * LinkTransportException.Kind#REFUSED} when the SUBACK carries a failure code (0x80 or more, kept in the
     * exception's reason).
     *
     * @param filter topic filter, not null
     * @param qos maximum QoS, 0 to 2
     * @param handler called on a transport thread for each matching inbound publish; must not block; exceptions it
     *     throws are logged and the message is still acknowledged
     * @return the granted QoS
     * @since 0.1.0
     */
    CompletableFuture<Integer> subscribe(String filter, int qos, InboundPublishHandler handler);

    /**
     * Whether the connection is established now. A snapshot; it may change right after it returns.
     *
     * @return {@code true} while connected
     * @since 0.1.0
     */
    boolean isConnected();

    /**
     * Disconnects (with a DISCONNECT packet when connected) and releases the client. Idempotent. Returns within one
     * second even while a connect is stalled; pending futures complete exceptionally with kind {@link
     * LinkTransportException.Kind#CLOSED}.
     *
     * @since 0.1.0
     */
    @Override
    void close();
}
