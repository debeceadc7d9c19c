package io.clink.testkit;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.MqttMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A simulated client of a {@link FakeLocalBroker}, bound to one connection: once that connection is closed (by
 * {@link #disconnect()}, {@link FakeLocalBroker#disconnect} or a takeover) its methods throw {@link
 * IllegalStateException}, except the read-only ones.
 *
 * @since 0.1.0
 */
public final class FakeBrokerClient {
    private final FakeLocalBroker broker;
    private final FakeSession session;
    private final LinkConnection connection;

    FakeBrokerClient(FakeLocalBroker broker, FakeSession session, LinkConnection connection) {
        this.broker = broker;
        this.session = session;
        this.connection = connection;
    }

    /**
     * The client id.
     *
     * @return the client id
     * @since 0.1.0
     */
    public String clientId() {
        return session.clientId;
    }

    /**
     * The connection, as the broker passes it to the hooks.
     *
     * @return the connection handle
     * @since 0.1.0
     */
    public LinkConnection connection() {
        return connection;
    }

    /**
     * Whether this connection is still open.
     *
     * @return {@code true} while connected
     * @since 0.1.0
     */
    public boolean isConnected() {
        return broker.sessions.isOpen(session, connection);
    }

    /**
     * Subscribes at QoS 1.
     *
     * @param subscription a filter, {@code $share/<group>/<filter>} or {@code $queue/<filter>}
     * @return the SUBACK reason code: the granted QoS, or 0x8F for an invalid subscription
     * @since 0.1.0
     */
    public int subscribe(String subscription) {
        return subscribe(subscription, 1);
    }

    /**
     * Subscribes; reports {@code onSubscribe} after granting (also when re-subscribing to the same subscription,
     * as brokers do), then sends matching retained messages to a plain subscription.
     *
     * @param subscription a filter, {@code $share/<group>/<filter>} or {@code $queue/<filter>}
     * @param qos the maximum QoS, 0..2
     * @return the SUBACK reason code: the granted QoS, or 0x8F (topic filter invalid) without any report
     * @throws IllegalArgumentException if {@code qos} is not 0..2
     * @throws IllegalStateException if this connection is closed
     * @since 0.1.0
     */
    public int subscribe(String subscription, int qos) {
        Objects.requireNonNull(subscription, "subscription");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2: " + qos);
        }
        return broker.sessions.subscribe(session, connection, subscription, qos);
    }

    /**
     * Unsubscribes; reports {@code onUnsubscribe} unless the broker is set to lose those events.
     *
     * @param subscription the subscription exactly as subscribed
     * @return {@code true} if it existed (only then is anything reported)
     * @throws IllegalStateException if this connection is closed
     * @since 0.1.0
     */
    public boolean unsubscribe(String subscription) {
        Objects.requireNonNull(subscription, "subscription");
        return broker.sessions.unsubscribe(session, connection, subscription);
    }

    /**
     * Publishes a UTF-8 text payload at QoS 1, without retain.
     *
     * @param topic a topic name
     * @param payload the text
     * @return the PUBACK reason code
     * @since 0.1.0
     */
    public int publish(String topic, String payload) {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    /**
     * Publishes without properties.
     *
     * @param topic a topic name
     * @param payload the payload (copied)
     * @param qos 0..2
     * @param retain the retain flag
     * @return the PUBACK reason code
     * @since 0.1.0
     */
    public int publish(String topic, byte[] payload, int qos, boolean retain) {
        return publish(MqttMessage.builder()
                .topic(topic)
                .payload(payload)
                .qos(qos)
                .retain(retain)
                .timestampMillis(broker.ticker.wallClockMillis())
                .build());
    }

    /**
     * Publishes a message. A {@code $LINK/...} topic goes to {@code onLinkPublish} only and is answered with
     * its result (0x80 if the hooks threw, 0x00 when no hooks are attached). Any other topic is reported to
     * {@code onPublish} (with this client's id as publisher) and then delivered to matching subscriptions.
     *
     * @param message the message; publisher client id, user name and peer host are replaced by this
     *     connection's
     * @return the PUBACK reason code: for a normal topic 0x00, or 0x10 when no subscription matched
     * @throws IllegalStateException if this connection is closed
     * @since 0.1.0
     */
    public int publish(MqttMessage message) {
        Objects.requireNonNull(message, "message");
        MqttMessage m = message.toBuilder()
                .publisherClientId(session.clientId)
                .username(connection.username())
                .peerHost(connection.peerHost())
                .build();
        return broker.sessions.publish(session, connection, m);
    }

    /**
     * Publishes with an MQTT 5 topic alias, as a client whose broker allows topic aliases does: with {@code topic}
     * the publish sets {@code alias} for this connection; with a null topic it names its topic by the alias alone
     * (an empty topic name on the wire), and the broker resolves it. Otherwise as {@link #publish(MqttMessage)}.
     *
     * @param alias the topic alias, 1..65535
     * @param topic the topic name, or null to send the alias alone
     * @param payload the payload (copied)
     * @param qos 0..2
     * @return the PUBACK reason code
     * @throws IllegalArgumentException if the alias is out of range, or used alone before it was set
     * @throws IllegalStateException if this connection is closed or speaks MQTT 3.1.1
     * @since 0.1.0
     */
    public int publishWithTopicAlias(int alias, @Nullable String topic, byte[] payload, int qos) {
        String resolved = broker.sessions.resolveTopicAlias(session, connection, alias, topic);
        MqttMessage m = MqttMessage.builder()
                .topic(resolved)
                .payload(payload)
                .qos(qos)
                .publisherClientId(session.clientId)
                .username(connection.username())
                .peerHost(connection.peerHost())
                .timestampMillis(broker.ticker.wallClockMillis())
                .build();
        return broker.sessions.publish(session, connection, m, topic == null);
    }

    /**
     * Disconnects normally. A clean-start session ends ({@code onSessionEnd}); a connection that made a link
     * publish reports {@code onConnectionClosed}. Idempotent.
     *
     * @since 0.1.0
     */
    public void disconnect() {
        broker.sessions.disconnectClient(session, connection);
    }

    /**
     * The deliveries to this client's session, oldest first (a resumed session keeps its earlier ones).
     *
     * @return a snapshot copy
     * @since 0.1.0
     */
    public List<FakeLocalBroker.Delivery> deliveries() {
        return broker.sessions.deliveries(session);
    }

    /**
     * Forgets the recorded deliveries.
     *
     * @since 0.1.0
     */
    public void clearDeliveries() {
        broker.sessions.clearDeliveries(session);
    }

    @Override
    public String toString() {
        return "FakeBrokerClient{" + session.clientId + ", " + connection.connectionId() + '}';
    }
}
