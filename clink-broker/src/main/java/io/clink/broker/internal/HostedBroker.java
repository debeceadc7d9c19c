package io.clink.broker.internal;

import io.clink.core.ClusterLink;

/**
 * One embedded MQTT broker, started, with clink's link engine running on it: what {@code EmbeddedClusterBroker} needs
 * of HiveMQ ({@link HiveMqHost}) or Artemis ({@link ArtemisHost}). Everything both brokers share (the start checks, the
 * management API, the ready line) stays outside, so a third broker adds one implementation and no branch elsewhere.
 *
 * <p>Implementations are thread-safe: {@link #close()} may run on a shutdown hook while another thread reads {@link
 * #link()}.
 */
public interface HostedBroker extends AutoCloseable {

    /**
     * The running link engine. Any thread; non-blocking.
     *
     * @return the engine, never null (a host that could not start its engine does not exist)
     */
    ClusterLink link();

    /**
     * Stops the engine, then the broker, and deletes the broker's private working files (never {@code node.data_dir}).
     * Any thread; blocks until the broker has stopped or its stop timed out; idempotent. Never throws: a broker that
     * does not stop cleanly is logged, since the caller is usually a shutdown hook with nothing better to do.
     */
    @Override
    void close();
}
