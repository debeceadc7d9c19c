package io.clink.api.broker;

import io.clink.api.annotation.DoNotImplement;

/**
 * What the broker calls in clink: subscription changes, session ends, every local publish, every inbound {@code
 * $LINK/...} publish, and connection closes. clink implements this interface; broker adapters only call it (see
 * {@link DoNotImplement}). An adapter gets its instance from the engine, and through {@link LocalBroker#attach}.
 *
 * <p>Contract of every method:
 * <ul>
 *   <li><b>Thread:</b> any broker thread, concurrently. Events about one client must be reported in the order they
 *       happened (the broker's per-client ordering is enough); events of different clients need no order.
 *   <li><b>Blocking:</b> never. Each method does a bounded amount of work (a trie lookup, a queue offer) and hands
 *       everything else to clink's own executors.
 *   <li><b>Null policy:</b> arguments must not be null; a null argument throws {@link NullPointerException} at once,
 *       before any state changes.
 *   <li><b>Exceptions:</b> none other than that. clink catches its own failures, logs and counts them, and keeps
 *       the broker's thread safe; an invalid subscription or topic is logged and ignored.
 *   <li><b>Before attach or after stop:</b> calls are ignored.
 * </ul>
 *
 * @since 0.1.0
 */
@DoNotImplement
public interface ClusterLinkHooks {

    /** The prefix of every topic that belongs to the link protocol. */
    String LINK_TOPIC_PREFIX = "$LINK/";

    /**
     * Whether a topic belongs to the link protocol and must go to {@link #onLinkPublish} instead of to subscribers.
     *
     * @param topic a topic name, not null
     * @return {@code true} if it starts with {@code $LINK/}
     * @since 0.1.0
     */
    static boolean isLinkTopic(String topic) {
        return topic.startsWith(LINK_TOPIC_PREFIX);
    }

    /**
     * A client's subscription was granted (report it after authorization, for a SUBACK success code only).
     *
     * @param clientId the subscriber's client id
     * @param subscription the subscription as sent: a topic filter, {@code $share/<group>/<filter>} or {@code
     *     $queue/<filter>}
     * @since 0.1.0
     */
    void onSubscribe(String clientId, String subscription);

    /**
     * A client removed a subscription.
     *
     * @param clientId the subscriber's client id
     * @param subscription the subscription exactly as it was subscribed
     * @since 0.1.0
     */
    void onUnsubscribe(String clientId, String subscription);

    /**
     * A client's session ended, with all its subscriptions: a clean-start or expiry-0 session disconnected, a session
     * expired, or a session was taken over with clean start. Brokers that do not report this reliably are covered by
     * the periodic resync, only later.
     *
     * @param clientId the client id whose session is gone
     * @since 0.1.0
     */
    void onSessionEnd(String clientId);

    /**
     * A client published a message on this broker. clink decides whether it matches a route of a remote cluster and
     * forwards a copy asynchronously; the broker delivers the message locally as usual either way.
     *
     * <p>Not to be called for messages the broker got from {@link LocalBroker#deliver} or {@link LocalBroker#reply}
     * (those never reach the interception path), nor for {@code $LINK/...} topics (see {@link #onLinkPublish}); clink
     * ignores such messages anyway.
     *
     * @param message the published message
     * @since 0.1.0
     */
    void onPublish(MqttMessage message);

    /**
     * A client published to a {@code $LINK/...} topic. clink consumes the message: it is a handshake, route batch or
     * heartbeat of a remote actor, or a message a remote cluster forwards. The broker must <em>not</em> deliver it to
     * any subscriber, whatever this returns, and must answer the publish (QoS 1) with the returned PUBACK reason
     * code.
     *
     * <p>While handling the call, clink may call {@link LocalBroker#deliver}, {@link LocalBroker#reply} and {@link
     * LocalBroker#disconnect} (for this connection) on the same thread.
     *
     * @param connection the publishing connection
     * @param topic the topic, starting with {@code $LINK/}
     * @param payload the payload; clink does not keep the array after returning, and does not modify it
     * @param properties the publish's MQTT 5 properties (the handshake needs Response-Topic and Correlation-Data)
     * @return the PUBACK reason code: {@link ReasonCodes#SUCCESS} or {@link ReasonCodes#NO_MATCHING_SUBSCRIBERS} when
     *     consumed, {@link ReasonCodes#NOT_AUTHORIZED} when the connection may not use the topic, {@link
     *     ReasonCodes#UNSPECIFIED_ERROR} when a forwarded message could not be delivered
     * @since 0.1.0
     */
    int onLinkPublish(LinkConnection connection, String topic, byte[] payload, PublishProperties properties);

    /**
     * A connection that called {@link #onLinkPublish} at least once has closed, for any reason. clink forgets the
     * remote actor state kept for it; the actor's routes stay until its TTL expires. Reporting a close for any other
     * connection is harmless.
     *
     * @param connection the closed connection
     * @since 0.1.0
     */
    void onConnectionClosed(LinkConnection connection);
}
