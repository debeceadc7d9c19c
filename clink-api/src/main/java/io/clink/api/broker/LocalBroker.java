package io.clink.api.broker;

import io.clink.api.annotation.Evolving;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a broker author implements so that clink can link this broker with other clusters. Three methods are
 * required; the rest have defaults.
 *
 * <p>clink needs the broker for four things:
 * <ol>
 *   <li><b>Read the current subscriptions</b> ({@link #forEachSubscription}), to bootstrap a remote cluster's view
 *       of our routes and to resynchronise it periodically. Subscription events the broker reports through {@link
 *       ClusterLinkHooks} are hints; this snapshot is the truth, because brokers end sessions without unsubscribe
 *       events.
 *   <li><b>Deliver a message from another cluster</b> to local subscribers ({@link #deliver}) along a path that does
 *       <em>not</em> run the broker's publish interception again, so the message is never offered to {@link
 *       ClusterLinkHooks#onPublish} and cannot loop back out.
 *   <li><b>Answer an inbound link handshake</b> ({@link #reply}) on the connection that asked.
 *   <li><b>Disconnect an inbound link connection</b> that broke the link protocol or is not allowed
 *       ({@link #disconnect}).
 * </ol>
 *
 * <p><b>Guarding.</b> clink calls these methods from its own threads and guards every call: an exception thrown by
 * the broker is logged with the link name, counted in the link's metrics, and turned into the outcome each method
 * documents. It never corrupts clink's routes or link state. Methods must not call back into clink synchronously in
 * a way that waits for clink (for example by blocking on a future clink completes on the same thread).
 *
 * <p>A contract test suite in {@code clink-testkit} checks an adapter against this interface.
 *
 * @since 0.1.0
 */
@Evolving
public interface LocalBroker {

    /**
     * Passes every current subscription of every client on this broker (this node, for a multi-node broker) to
     * {@code action}, once each: plain filters and shared subscriptions ({@code $share/<group>/<filter>}, {@code
     * $queue/<filter>}) exactly as the clients sent them. The set need not be an atomic snapshot: clink starts
     * recording subscription events before calling this and reconciles the two, so a subscription that changes during
     * the walk converges on the next event or resync.
     *
     * <p>Thread: a clink worker thread, never a broker thread that clink was called on. Blocking: may block and take
     * long (it walks the whole subscription table); clink never calls it from a broker callback. Null policy: {@code
     * action} is never null; do not pass null to it. Exceptions: if this throws, clink discards the partial result,
     * logs and counts the failure, keeps its previous view of the routes, and retries at the next bootstrap or resync.
     *
     * @param action receives each subscription; it is cheap and never throws for valid input
     * @since 0.1.0
     */
    void forEachSubscription(Consumer<? super LocalSubscription> action);

    /**
     * Delivers a message that arrived from another cluster to the subscribers on this broker, as if a client had
     * published it, with its QoS, retain flag and properties; the broker applies its usual rules (shared-subscription
     * dispatch, no-local, per-subscription QoS downgrade, retain flag per the subscription's retain-as-published
     * option). In a multi-node broker the message must reach subscribers on every node, through the broker's own
     * cluster routing.
     *
     * <p>The retained-message store is left alone, as EMQX's receiver does (protocol section 4.12): a message with the
     * retain flag reaches the subscribers present now and is not kept for later subscribers, and an empty one does not
     * delete this broker's own retained message on the topic.
     *
     * <p>The path must skip the broker's publish interception: the message must not come back to {@link
     * ClusterLinkHooks#onPublish} (HiveMQ: {@code PublishService.publish}; Moquette: {@code internalPublish}). A
     * forwarded message has {@link MqttMessage#originCluster()} set; a handshake answer passed on by the default
     * {@link #reply} has not.
     *
     * <p>Thread: the link's receiving thread, which is the broker thread that called {@link
     * ClusterLinkHooks#onLinkPublish} (clink acknowledges the link publish after this returns). Blocking: must not
     * block; hand the message to the broker's delivery path and return without waiting for subscribers to receive
     * it. Null policy: {@code message} is never null. Exceptions: if this throws, clink counts the message as failed
     * and answers the forwarding publish with PUBACK {@link ReasonCodes#UNSPECIFIED_ERROR}, so the remote counts it
     * failed too.
     *
     * @param message the message, never null
     * @since 0.1.0
     */
    void deliver(MqttMessage message);

    /**
     * Disconnects an inbound link connection with an MQTT 5 DISCONNECT carrying {@code reasonCode}: {@link
     * ReasonCodes#IMPLEMENTATION_SPECIFIC_ERROR} (0x83) when the peer broke the link protocol, as EMQX does, or
     * {@link ReasonCodes#NOT_AUTHORIZED} (0x87) when it may not speak for the cluster it claims. After the call the
     * broker must not pass further publishes of that connection to clink; it still reports the close through {@link
     * ClusterLinkHooks#onConnectionClosed}.
     *
     * <p>Thread: any clink thread, and possibly the broker thread that is inside {@link
     * ClusterLinkHooks#onLinkPublish} for this very connection; an adapter whose broker cannot close a connection
     * from inside its own interceptor defers the close. Blocking: must not block. Idempotent: disconnecting a
     * connection that is already gone does nothing. Null policy: {@code connection} and {@code reasonString} are never
     * null. Exceptions: logged and counted; clink drops its state for the connection either way.
     *
     * @param connection the connection to end
     * @param reasonCode the MQTT 5 DISCONNECT reason code (0x80 or more)
     * @param reasonString a short, human-readable reason, for the Reason-String property and the broker's log
     * @since 0.1.0
     */
    void disconnect(LinkConnection connection, int reasonCode, String reasonString);

    /**
     * Sends the handshake answer to an inbound link connection: publish {@code reply} (its topic is the request's
     * Response-Topic, its properties carry the request's Correlation-Data, QoS 1) so that the connection, which is
     * subscribed to that topic, receives it.
     *
     * <p>The default delivers {@code reply} through {@link #deliver}, which reaches the connection through its
     * subscription just as EMQX's internal publish does. Override it where the broker can publish to one client
     * directly (HiveMQ: {@code PublishService.publishToClient} with {@code connection.clientId()}).
     *
     * <p>Thread: as for {@link #deliver}. Blocking: must not block. Null policy: arguments never null. Exceptions:
     * logged and counted; the remote's handshake then times out and it reconnects.
     *
     * @param connection the connection that sent the handshake request
     * @param reply the answer, topic and Correlation-Data already set, {@code originCluster} empty
     * @since 0.1.0
     */
    default void reply(LinkConnection connection, MqttMessage reply) {
        deliver(reply);
    }

    /**
     * Whether this broker treats a subscription to {@code $queue/<filter>} as EMQX does: a shared subscription of the
     * group {@code $queue} on {@code <filter>}. Most brokers (HiveMQ CE, ActiveMQ Artemis, Mosquitto) do not; to them
     * {@code $queue/t} is an ordinary filter that matches only the topic {@code $queue/t}.
     *
     * <p>clink reads it once, when the engine is built. When it is {@code false}, clink ignores {@code $queue/...}
     * subscriptions that the adapter reports (events and snapshots alike): it does not advertise a route for
     * {@code <filter>} to other clusters, because this broker would not deliver {@code <filter>} to that subscriber
     * and the forwarded traffic would reach nobody. The adapter need not filter them itself.
     *
     * <p>Thread: the thread building the engine. Blocking: never. Exceptions: the engine fails to build and rethrows.
     * The default is {@code false}.
     *
     * @return {@code true} only if {@code $queue/<filter>} subscriptions receive what {@code <filter>} matches
     * @since 0.1.0
     */
    default boolean supportsQueueSubscriptions() {
        return false;
    }

    /**
     * The names of this broker's link listeners, as the adapter reports them in {@link LinkConnection#listener()}.
     * clink refuses a {@code $LINK/...} publish from a connection that reports another listener, whatever the
     * adapter did before calling {@link ClusterLinkHooks#onLinkPublish}. Empty (the default) when the broker does not
     * name its listeners; the adapter then alone keeps {@code $LINK} topics to its link listeners.
     *
     * <p>Thread: the thread building the engine; read once. Blocking: never. Exceptions: the engine fails to build.
     *
     * @return the names, not null
     * @since 0.1.0
     */
    default Set<String> linkListenerNames() {
        return Set.of();
    }

    /**
     * How many messages this broker (this node) has dropped on their way to its own subscribers since it started: a
     * client queue that was full (whatever its overflow policy dropped), a message that expired in a queue, a
     * message too large for its client. EMQX reports the same figure per node as {@code delivery.dropped}. It counts
     * local and forwarded messages alike, because a broker's client queues do not tell them apart, and never the
     * {@code $LINK/...} publishes that clink itself consumes. clink shows it in the management API and the metrics.
     *
     * <p>Thread: any clink thread (a management request or a metrics scrape). Blocking: must not block. Null policy:
     * never returns null. Exceptions: logged; the figure is then reported as unknown. The default answers unknown.
     *
     * @return the count since the broker started, never decreasing between calls; empty if the broker cannot tell
     * @since 0.1.0
     */
    default OptionalLong droppedDeliveries() {
        return OptionalLong.empty();
    }

    /**
     * Called once when a clink engine attaches to this broker, before any other method of this interface and before
     * the engine accepts any hook call. An adapter that registers its interceptors lazily does it here.
     *
     * <p>Thread: the thread starting the engine. Blocking: may block briefly. Exceptions: the engine fails to start
     * and rethrows. The default does nothing.
     *
     * @param hooks the engine's hooks, to call for broker events; never null
     * @since 0.1.0
     */
    default void attach(ClusterLinkHooks hooks) {
        // Adapters that wire the hooks in at construction need nothing here.
    }

    /**
     * Called once when the engine stops, after its last call into this broker. The adapter stops calling the hooks
     * (calls made anyway are ignored). The default does nothing.
     *
     * <p>Thread: the thread stopping the engine. Blocking: may block briefly. Exceptions: logged and ignored.
     *
     * @since 0.1.0
     */
    default void detach() {
        // Nothing to release by default.
    }
}
