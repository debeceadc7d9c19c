package io.clink.testkit;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.PublishProperties;
import io.clink.api.transport.LinkClient;
import java.time.Duration;
import java.util.List;

/**
 * What a broker author implements so that the {@link LocalBrokerContract} can drive their adapter: start the broker
 * with the adapter wired to the given hooks, connect plain MQTT 5 and MQTT 3.1.1 clients, and open link
 * connections. {@link io.clink.testkit.mqtt.EmbeddedBrokerHarness} does all of it for a broker embedded on
 * 127.0.0.1.
 *
 * <p>One harness serves one test: the suite creates it before each test and closes it after, so it may start a
 * broker per test or share one across tests (then client ids must not collide: the suite uses ids starting with
 * {@code contract-}).
 *
 * <p>Blocking: every method may block until the broker has answered (SUBACK, PUBACK, UNSUBACK); the suite calls them
 * from the JUnit thread. Events the broker reports later are awaited by the suite with {@link #settle()} between
 * polls, bounded by {@link #timeout()}.
 *
 * @since 0.1.0
 */
// close() may throw anything a broker's shutdown throws; the suite calls it outside try-with-resources.
@SuppressWarnings("try")
public interface LocalBrokerHarness extends AutoCloseable {

    /**
     * Creates and starts the broker with the adapter attached to {@code hooks}: after this returns, the adapter
     * reports every broker event to {@code hooks}, and {@link LocalBroker#attach} has been called if the adapter
     * uses it.
     *
     * @param hooks the hooks to report to (a {@link RecordingHooks})
     * @return the adapter under test, as the engine would get it
     * @throws Exception if the broker cannot start; the test fails
     * @since 0.1.0
     */
    LocalBroker start(ClusterLinkHooks hooks) throws Exception;

    /**
     * Connects a plain MQTT 5 client with clean start and session expiry 0, on an ordinary listener.
     *
     * @param clientId the client id (starts with {@code contract-})
     * @return the connected client
     * @throws Exception if it cannot connect
     * @since 0.1.0
     */
    TestClient connectClient(String clientId) throws Exception;

    /**
     * Connects a plain MQTT 3.1.1 client with clean session, on the same ordinary listener as {@link
     * #connectClient}. Its publishes carry no properties (the suite sends none), its SUBACK codes are 0, 1, 2 or
     * 0x80, and it has no topic aliases ({@link TestClient#topicAliasMaximum()} is 0).
     *
     * @param clientId the client id (starts with {@code contract-})
     * @return the connected client
     * @throws Exception if it cannot connect
     * @since 0.1.0
     */
    TestClient connectMqtt311Client(String clientId) throws Exception;

    /**
     * Connects the suite's spy: a plain MQTT 5 client (clean start, session expiry 0) that subscribes to {@code #} and
     * {@code $LINK/#} to check that no {@code $LINK/...} publish is ever delivered to a subscriber. It must be
     * connected where the broker grants a {@code $LINK/#} subscription: an adapter that refuses it to ordinary
     * clients (as the HiveMQ adapter does on every listener but its link listener) connects the spy on the link
     * listener. The default connects it like {@link #connectClient}.
     *
     * <p>The suite also publishes {@code $LINK/...} through this client, at QoS 2 and with topic aliases (which link
     * clients do not use), and expects them at {@code onLinkPublish} like a link client's: so it must be connected
     * where the broker accepts {@code $LINK} traffic, which is the link listener for an adapter that confines it.
     *
     * @param clientId the client id (starts with {@code contract-})
     * @return the connected client
     * @throws Exception if it cannot connect
     * @since 0.1.0
     */
    default TestClient connectLinkSpy(String clientId) throws Exception {
        return connectClient(clientId);
    }

    /**
     * Creates an unconnected link client for a connection whose {@code $LINK/...} publishes the adapter passes to
     * {@link ClusterLinkHooks#onLinkPublish} (the broker's link listener, with link credentials if it needs them):
     * for example a {@code clink-paho-transport} client with clean start. The suite connects, uses and closes it.
     *
     * @param clientId the client id (starts with {@code contract-})
     * @return the client, not connected yet
     * @throws Exception if it cannot be created
     * @since 0.1.0
     */
    LinkClient newLinkClient(String clientId) throws Exception;

    /**
     * As {@link #newLinkClient(String)}, with the given MQTT keepalive: for the check that a connection carrying only
     * {@code $LINK} traffic is not timed out by the broker.
     *
     * @param clientId the client id (starts with {@code contract-})
     * @param keepAlive the keepalive the client asks for in CONNECT, at least one second
     * @return the client, not connected yet
     * @throws Exception if it cannot be created
     * @since 0.1.0
     */
    LinkClient newLinkClient(String clientId, Duration keepAlive) throws Exception;

    /**
     * Lets the broker make progress before the suite polls again. The default sleeps 10 ms, for real brokers running
     * on their own threads; a harness over simulated time runs its pending tasks instead.
     *
     * @throws InterruptedException if interrupted while waiting
     * @since 0.1.0
     */
    default void settle() throws InterruptedException {
        Thread.sleep(10);
    }

    /**
     * Lets {@code duration} of the broker's time pass, for checks about timeouts. The default sleeps, for real
     * brokers; a harness over simulated time advances it.
     *
     * @param duration how long, not negative
     * @throws InterruptedException if interrupted while waiting
     * @since 0.1.0
     */
    default void elapse(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    /**
     * How long the suite waits for an expected event before failing. Default 10 seconds.
     *
     * @return the timeout
     * @since 0.1.0
     */
    default Duration timeout() {
        return Duration.ofSeconds(10);
    }

    /**
     * Whether the broker supports EMQX's {@code $queue/<filter>} subscriptions; the tests that need them are skipped
     * otherwise. Default {@code true}.
     *
     * @return {@code true} if {@code $queue/} subscriptions work
     * @since 0.1.0
     */
    default boolean supportsQueueSubscriptions() {
        return true;
    }

    /**
     * Stops the broker and releases everything the harness opened. Called after each test, also after a failure.
     *
     * @throws Exception if something cannot be released; the test fails
     * @since 0.1.0
     */
    @Override
    void close() throws Exception;

    /**
     * A plain MQTT 5 client of the broker under test, connected with clean start.
     *
     * @since 0.1.0
     */
    interface TestClient {

        /**
         * The client id.
         *
         * @return the client id
         * @since 0.1.0
         */
        String clientId();

        /**
         * Subscribes and waits for the SUBACK.
         *
         * @param subscription a filter, {@code $share/<group>/<filter>} or {@code $queue/<filter>}
         * @param qos the maximum QoS
         * @return the SUBACK reason code (the granted QoS, or a failure code of 0x80 or more)
         * @throws Exception if the client fails
         * @since 0.1.0
         */
        int subscribe(String subscription, int qos) throws Exception;

        /**
         * Unsubscribes and waits for the UNSUBACK.
         *
         * @param subscription the subscription exactly as subscribed
         * @throws Exception if the client fails
         * @since 0.1.0
         */
        void unsubscribe(String subscription) throws Exception;

        /**
         * Publishes and, for QoS 1 or 2, waits for the acknowledgement.
         *
         * @param topic the topic name
         * @param payload the payload
         * @param qos 0, 1 or 2
         * @param retain the retain flag
         * @param properties the MQTT 5 properties to send
         * @return the PUBACK reason code for QoS 1 (for QoS 2 the PUBREC code), 0 for QoS 0
         * @throws Exception if the client fails
         * @since 0.1.0
         */
        int publish(String topic, byte[] payload, int qos, boolean retain, PublishProperties properties)
                throws Exception;

        /**
         * The Topic Alias Maximum the broker granted this client in its CONNACK.
         *
         * @return the number of topic aliases the client may use, 0 for none (and for MQTT 3.1.1)
         * @since 0.1.0
         */
        int topicAliasMaximum();

        /**
         * Publishes at QoS 1 naming the topic by an MQTT 5 topic alias: the first call for a topic sends its name
         * and sets an alias, every later call for it sends the alias alone (an empty topic name), which the broker
         * must resolve. Waits for the PUBACK.
         *
         * @param topic the topic name
         * @param payload the payload
         * @return the PUBACK reason code
         * @throws IllegalStateException if the broker granted no topic aliases ({@link #topicAliasMaximum()} is 0)
         * @throws Exception if the client fails
         * @since 0.1.0
         */
        int publishWithTopicAlias(String topic, byte[] payload) throws Exception;

        /**
         * Everything this client has received so far, oldest first.
         *
         * @return a snapshot copy
         * @since 0.1.0
         */
        List<ReceivedMessage> received();

        /**
         * Whether the connection is up: false once the broker closed it (or the client disconnected).
         *
         * @return the client's view of its connection
         * @since 0.1.0
         */
        boolean isConnected();

        /**
         * Disconnects normally (DISCONNECT 0x00); with clean start and expiry 0 the session ends.
         *
         * @throws Exception if the client fails
         * @since 0.1.0
         */
        void disconnect() throws Exception;
    }
}
