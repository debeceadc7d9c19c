package io.clink.api.transport;

/**
 * Receives publishes that arrive on a subscription of a {@link LinkClient}.
 *
 * <p>Thread: a transport thread; messages of one subscription arrive in order. Blocking: must not block.
 * Exceptions: logged by the transport; the message is still acknowledged.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface InboundPublishHandler {

    /**
     * Handles one inbound message.
     *
     * @param publish the message, not null
     * @since 0.1.0
     */
    void onPublish(InboundPublish publish);
}
