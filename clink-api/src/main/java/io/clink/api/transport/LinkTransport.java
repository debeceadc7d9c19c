package io.clink.api.transport;

/**
 * Creates MQTT v5 client connections for cluster links. Implemented by a transport module (for example
 * {@code clink-paho-transport}); called by the clink engine.
 *
 * <p>Implementations must be thread-safe and stateless apart from shared resources such as thread pools, which
 * {@link #close()} releases.
 *
 * @since 0.1.0
 */
public interface LinkTransport extends AutoCloseable {

    /**
     * Checks options before any connection is attempted, so that configuration mistakes surface when a link is
     * configured rather than at the first reconnect: unreadable TLS files, a certificate that does not match its
     * private key, an unparseable CA bundle.
     *
     * <p>Thread: any. Blocking: may read files. Exceptions: throws {@link IllegalArgumentException} whose message
     * names the bad value (for example the file path) and what is wrong with it. The default accepts everything.
     *
     * @param options the options a client would be created with, not null
     * @throws IllegalArgumentException if the options cannot work with this transport
     * @since 0.1.0
     */
    default void validate(LinkClientOptions options) {
        // Transports without file-based settings have nothing to check beyond the builder's validation.
    }

    /**
     * Creates a client for one connection. The client is not connected yet; call {@link LinkClient#connect}.
     *
     * <p>Thread: any. Blocking: no (no network I/O happens here). Null policy: {@code options} must not be null.
     * Exceptions: {@link IllegalArgumentException} if the options are rejected (see {@link #validate}).
     *
     * @param options connection options, not null
     * @return a new, unconnected client
     * @since 0.1.0
     */
    LinkClient createClient(LinkClientOptions options);

    /**
     * Releases shared resources. Clients created earlier must already be closed. Idempotent; returns promptly.
     *
     * @since 0.1.0
     */
    @Override
    default void close() {
        // Nothing shared by default.
    }
}
