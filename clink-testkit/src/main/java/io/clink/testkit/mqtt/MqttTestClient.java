package io.clink.testkit.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;

/**
 * A plain MQTT 5 client for integration tests against a real broker (Eclipse Paho underneath, in-memory
 * persistence, no automatic reconnect). It connects on construction, keeps every message it receives in a queue
 * ({@link #received()}) unless a handler is set ({@link #onMessage}), returns the broker's reason codes (CONNACK in
 * the exception, SUBACK, PUBACK, server DISCONNECT), and waits boundedly for everything.
 *
 * <pre>{@code
 * try (MqttTestClient sub = MqttTestClient.connect("127.0.0.1", port, "sub");
 *         MqttTestClient pub = MqttTestClient.connect("127.0.0.1", port, "pub")) {
 *     sub.subscribe("sensors/#", 1);
 *     assertThat(pub.publish("sensors/1", "21.5", 1)).isEqualTo(0);   // PUBACK: success
 *     assertThat(sub.awaitMessages(1).get(0).payload()).isEqualTo("21.5");
 * }
 * }</pre>
 *
 * <p>Every blocking call waits at most the client's {@link #timeout()} (30 s unless given at connect). QoS 1 and 2
 * publishes are held to the server's Receive Maximum (at most 10 in flight), because Paho refuses a publish beyond it
 * instead of waiting; a publish Paho refuses for a moment after a PUBACK (it lowers its in-flight count late) is
 * retried within the timeout.
 *
 * <p>Threads: any thread may call any method; messages, disconnects and errors arrive on Paho's callback thread.
 * Null policy: arguments are non-null unless marked {@code @Nullable}.
 *
 * @since 0.1.0
 */
public final class MqttTestClient implements AutoCloseable {

    /** How long a blocking call waits unless a timeout is given at connect. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** {@link #awaitServerDisconnect} found no DISCONNECT from the server within its wait. */
    public static final int NO_DISCONNECT = -1;

    private final MqttAsyncClient client;
    private final Duration timeout;
    private final Inbox inbox;
    private final PublishWindow window;
    private volatile int topicAliasMaximum;

    private MqttTestClient(String serverUri, String clientId, Duration timeout) throws MqttException {
        this.timeout = timeout;
        client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
        inbox = new Inbox(clientId);
        window = new PublishWindow(client, timeout);
        client.setCallback(inbox);
    }

    /**
     * Connects to {@code tcp://host:port} with {@link #defaultOptions()}. Thread: any; blocks until the CONNACK or
     * the timeout.
     *
     * @param host the broker's host, for example {@code "127.0.0.1"}
     * @param port the broker's MQTT port
     * @param clientId the client identifier, not empty
     * @return the connected client
     * @throws MqttException if the broker refused (its CONNACK reason code is {@link MqttException#getReasonCode()})
     *     or did not answer in time
     * @since 0.1.0
     */
    public static MqttTestClient connect(String host, int port, String clientId) throws MqttException {
        return connect("tcp://" + host + ":" + port, clientId, defaultOptions(), DEFAULT_TIMEOUT);
    }

    /**
     * Connects to a server URI ({@code tcp://...}, {@code ssl://...}) with the given options, as they are.
     *
     * @param serverUri the broker's URI
     * @param clientId the client identifier, not empty
     * @param options Paho's connection options (credentials, TLS socket factory, session expiry...), start from
     *     {@link #defaultOptions()}
     * @return the connected client
     * @throws MqttException if the broker refused (CONNACK reason code in the exception) or did not answer in time
     * @since 0.1.0
     */
    public static MqttTestClient connect(String serverUri, String clientId, MqttConnectionOptions options)
            throws MqttException {
        return connect(serverUri, clientId, options, DEFAULT_TIMEOUT);
    }

    /**
     * Connects as {@link #connect(String, String, MqttConnectionOptions)} does, with the timeout that every blocking
     * call of the client then uses.
     *
     * @param serverUri the broker's URI
     * @param clientId the client identifier, not empty
     * @param options Paho's connection options
     * @param timeout how long each blocking call may wait, positive
     * @return the connected client
     * @throws MqttException if the broker refused (CONNACK reason code in the exception) or did not answer in time
     * @throws IllegalArgumentException if {@code timeout} is not positive or {@code clientId} is empty
     * @since 0.1.0
     */
    public static MqttTestClient connect(
            String serverUri, String clientId, MqttConnectionOptions options, Duration timeout) throws MqttException {
        Objects.requireNonNull(serverUri, "serverUri");
        Objects.requireNonNull(options, "options");
        if (Objects.requireNonNull(clientId, "clientId").isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty (connecting to " + serverUri + ")");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        MqttTestClient c = new MqttTestClient(serverUri, clientId, timeout);
        try {
            IMqttToken t = c.client.connect(options);
            t.waitForCompletion(timeout.toMillis());
            MqttProperties granted = t.getResponseProperties();
            c.window.granted(granted == null ? null : granted.getReceiveMaximum());
            Integer aliases = granted == null ? null : granted.getTopicAliasMaximum();
            c.topicAliasMaximum = aliases == null ? 0 : aliases;
        } catch (MqttException e) {
            c.closeQuietly();
            throw e;
        }
        return c;
    }

    /**
     * The options {@link #connect(String, int, String)} uses: clean start, no automatic reconnect, Paho's defaults
     * otherwise (keepalive 60 s, no Receive Maximum sent), and TCP_NODELAY sockets (without it a 16 KiB publish waits
     * on the peer's delayed ACK, about 40 ms on Linux). Adjust and pass to
     * {@link #connect(String, String, MqttConnectionOptions)}; replacing the socket factory (for TLS) drops
     * TCP_NODELAY.
     *
     * @return new options
     * @since 0.1.0
     */
    public static MqttConnectionOptions defaultOptions() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        o.setSocketFactory(NoDelaySocketFactory.INSTANCE);
        return o;
    }

    /**
     * The timeout of every blocking call.
     *
     * @return the timeout given at connect, or {@link #DEFAULT_TIMEOUT}
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * The Topic Alias Maximum of the broker's CONNACK: how many topic aliases this client may use. Paho then aliases
     * by itself: the first publish on a topic sends the name and a new alias (while aliases remain), every later
     * publish on it the alias alone.
     *
     * @return the granted maximum, 0 when the broker allows none
     * @since 0.1.0
     */
    public int topicAliasMaximum() {
        return topicAliasMaximum;
    }

    /**
     * The client identifier.
     *
     * @return the identifier given at connect
     */
    public String clientId() {
        return client.getClientId();
    }

    /**
     * Paho's client, for what this class does not offer (topic aliases, AUTH...). Using it to publish bypasses the
     * Receive Maximum limiter.
     *
     * @return the underlying client
     */
    public MqttAsyncClient paho() {
        return client;
    }

    /**
     * Whether the connection is up.
     *
     * @return Paho's view of the connection
     */
    public boolean isConnected() {
        return client.isConnected();
    }

    /**
     * The messages received so far and not yet taken, oldest first; empty while a handler is set (see
     * {@link #onMessage}). Tests may poll, drain and clear it.
     *
     * @return the live queue
     */
    public BlockingQueue<Received> received() {
        return inbox.queue();
    }

    /**
     * Sends every message received from now on to {@code handler}, on Paho's callback thread, instead of
     * {@link #received()} (for counting floods that would fill the heap). {@code null} goes back to the queue. A
     * handler that throws makes Paho drop the connection, so keep it simple.
     *
     * @param handler called once a message, or null for the queue
     */
    public void onMessage(@Nullable Consumer<Received> handler) {
        inbox.handler(handler);
    }

    /**
     * Disconnects and errors Paho reported for this client, oldest first, for failure messages.
     *
     * @return a snapshot
     */
    public List<String> problems() {
        return inbox.problems();
    }

    /**
     * Subscribes and waits for the SUBACK.
     *
     * @param filter the topic filter
     * @param qos the maximum QoS, 0 to 2
     * @return the SUBACK reason code (the granted QoS when accepted)
     * @throws MqttException if the subscribe failed or timed out
     */
    public int subscribe(String filter, int qos) throws MqttException {
        return subscribe(new String[] {filter}, qos)[0];
    }

    /**
     * Subscribes to several filters in one SUBSCRIBE and waits for the SUBACK.
     *
     * @param filters the topic filters, at least one
     * @param qos the maximum QoS for each, 0 to 2
     * @return one SUBACK reason code a filter, in order
     * @throws MqttException if the subscribe failed or timed out
     */
    public int[] subscribe(String[] filters, int qos) throws MqttException {
        IMqttToken t = client.subscribe(subscriptions(filters, qos));
        t.waitForCompletion(timeout.toMillis());
        int[] codes = t.getReasonCodes();
        return codes == null || codes.length == 0 ? new int[filters.length] : codes;
    }

    /**
     * Sends a SUBSCRIBE without waiting for the SUBACK.
     *
     * @param filter the topic filter
     * @param qos the maximum QoS, 0 to 2
     * @throws MqttException if Paho refused to send it
     */
    public void subscribeAsync(String filter, int qos) throws MqttException {
        client.subscribe(new MqttSubscription(filter, qos));
    }

    /**
     * Subscribes and returns how the broker answered, never throwing for a refusal: for tests of what a broker
     * refuses.
     *
     * @param filter the topic filter
     * @param qos the maximum QoS, 0 to 2
     * @return the SUBACK reason code, or the reason code of the failure (for example a server DISCONNECT's)
     */
    public int trySubscribe(String filter, int qos) {
        try {
            return subscribe(filter, qos);
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    /**
     * Unsubscribes and waits for the UNSUBACK.
     *
     * @param filter the topic filter
     * @throws MqttException if the unsubscribe failed or timed out
     */
    public void unsubscribe(String filter) throws MqttException {
        client.unsubscribe(filter).waitForCompletion(timeout.toMillis());
    }

    /**
     * Publishes a UTF-8 payload and waits until it is acknowledged (QoS 1, 2) or sent (QoS 0).
     *
     * @param topic the topic
     * @param payload the payload text
     * @param qos 0 to 2
     * @return the PUBACK or PUBREC reason code (0 for QoS 0)
     * @throws MqttException if the publish failed or timed out
     * @throws InterruptedException if interrupted while waiting for a free in-flight slot
     */
    public int publish(String topic, String payload, int qos) throws MqttException, InterruptedException {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, null);
    }

    /**
     * Publishes and waits until it is acknowledged (QoS 1, 2) or sent (QoS 0).
     *
     * @param topic the topic
     * @param payload the payload
     * @param qos 0 to 2
     * @param properties MQTT 5 properties (user properties, content type...), or null for none
     * @return the PUBACK or PUBREC reason code (0 for QoS 0); 0x10 means "no matching subscribers"
     * @throws MqttException if the publish failed or timed out
     * @throws InterruptedException if interrupted while waiting for a free in-flight slot
     */
    public int publish(String topic, byte[] payload, int qos, @Nullable MqttProperties properties)
            throws MqttException, InterruptedException {
        return publish(topic, payload, qos, false, properties);
    }

    /**
     * Publishes, with the retain flag as given, and waits until it is acknowledged (QoS 1, 2) or sent (QoS 0).
     *
     * @param topic the topic
     * @param payload the payload
     * @param qos 0 to 2
     * @param retain whether the broker should retain it
     * @param properties MQTT 5 properties, or null for none
     * @return the PUBACK or PUBREC reason code (0 for QoS 0)
     * @throws MqttException if the publish failed or timed out
     * @throws InterruptedException if interrupted while waiting for a free in-flight slot
     */
    public int publish(String topic, byte[] payload, int qos, boolean retain, @Nullable MqttProperties properties)
            throws MqttException, InterruptedException {
        MqttMessage m = PublishWindow.message(payload, qos, properties);
        m.setRetained(retain);
        return window.publishAndWait(topic, m);
    }

    /**
     * Publishes and returns how the broker answered, never throwing for a refusal: for tests of what a broker
     * refuses.
     *
     * @param topic the topic
     * @param payload the payload
     * @param qos 0 to 2
     * @param properties MQTT 5 properties, or null for none
     * @return the PUBACK reason code, or the reason code the publish failed with (a DISCONNECT before the PUBACK
     *     fails it with the DISCONNECT's)
     * @throws InterruptedException if interrupted while waiting for a free in-flight slot
     */
    public int tryPublish(String topic, byte[] payload, int qos, @Nullable MqttProperties properties)
            throws InterruptedException {
        return tryPublish(topic, payload, qos, false, properties);
    }

    /**
     * As {@link #tryPublish(String, byte[], int, MqttProperties)}, with the retain flag as given.
     *
     * @param topic the topic
     * @param payload the payload
     * @param qos 0 to 2
     * @param retain whether the broker should retain it
     * @param properties MQTT 5 properties, or null for none
     * @return the PUBACK reason code, or the reason code the publish failed with
     * @throws InterruptedException if interrupted while waiting for a free in-flight slot
     */
    public int tryPublish(String topic, byte[] payload, int qos, boolean retain, @Nullable MqttProperties properties)
            throws InterruptedException {
        try {
            return publish(topic, payload, qos, retain, properties);
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    /**
     * Publishes without waiting for the acknowledgement, first waiting for a free in-flight slot (the server's
     * Receive Maximum, at most 10); for load generators.
     *
     * @param topic the topic
     * @param payload the payload
     * @param qos 0 to 2
     * @throws MqttException if Paho refused the publish
     * @throws InterruptedException if interrupted while waiting for a slot
     * @throws IllegalStateException if no slot freed within the timeout (the broker stopped acknowledging)
     */
    public void publishAsync(String topic, byte[] payload, int qos) throws MqttException, InterruptedException {
        window.publishAsync(topic, PublishWindow.message(payload, qos, null));
    }

    /**
     * Waits for the next received message and takes it from {@link #received()}.
     *
     * @return the message
     * @throws AssertionError if none arrived within the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public Received awaitMessage() throws InterruptedException {
        return awaitMessages(1).get(0);
    }

    /**
     * Waits until {@code n} messages were received and takes them from {@link #received()}, oldest first.
     *
     * @param n how many, at least 1
     * @return the {@code n} messages
     * @throws AssertionError if fewer arrived within the timeout, saying how many did
     * @throws InterruptedException if interrupted while waiting
     */
    public List<Received> awaitMessages(int n) throws InterruptedException {
        return inbox.take(n, timeout);
    }

    /**
     * Waits for {@code n} messages on {@code n} distinct topics, then for {@code quiet} in which nothing more
     * arrives: a check that each of {@code n} publishes was delivered exactly once.
     *
     * @param n how many, at least 1
     * @param quiet how long no further message may arrive
     * @return the topics of the {@code n} messages
     * @throws AssertionError if fewer arrived within the timeout, a topic came twice, or a message came after them
     * @throws InterruptedException if interrupted while waiting
     */
    public Set<String> awaitExactlyOnce(int n, Duration quiet) throws InterruptedException {
        Set<String> topics = new HashSet<>();
        for (Received r : awaitMessages(n)) {
            if (!topics.add(r.topic())) {
                throw new AssertionError("a second copy of a message on " + r.topic());
            }
        }
        Thread.sleep(quiet.toMillis());
        Received extra = inbox.queue().poll();
        if (extra != null) {
            throw new AssertionError("a message after the " + n + " expected: " + extra.topic());
        }
        return topics;
    }

    /**
     * Waits for a message on {@code topic}, taking and dropping the messages on other topics that came first.
     *
     * @param topic the topic awaited
     * @return the message
     * @throws AssertionError if none arrived within the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public Received awaitMessageOn(String topic) throws InterruptedException {
        Optional<Received> r = inbox.takeOn(topic, timeout);
        if (r.isEmpty()) {
            throw new AssertionError(clientId() + " received nothing on " + topic + " within " + timeout.toMillis()
                    + " ms" + inbox.problemsSuffix());
        }
        return r.get();
    }

    /**
     * Publishes {@code payload} to {@code topic} every {@code interval} until {@code subscriber} receives a message on
     * {@code topic}, for a path that drops messages until it is ready (a link still replicating its routes). Messages
     * on other topics that {@code subscriber} takes meanwhile are dropped.
     *
     * @param topic the topic
     * @param payload the payload text, published at QoS 1
     * @param subscriber the client that should receive it, already subscribed
     * @param interval how long to wait for the message after each publish
     * @return the message received and how many publishes it took
     * @throws AssertionError if nothing arrived within this client's timeout
     * @throws MqttException if a publish failed
     * @throws InterruptedException if interrupted while waiting
     */
    public Delivery publishUntilReceived(String topic, String payload, MqttTestClient subscriber, Duration interval)
            throws MqttException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int sent = 0;
        while (System.nanoTime() - deadline < 0) {
            publish(topic, payload, 1);
            sent++;
            Optional<Received> r = subscriber.inbox.takeOn(topic, interval);
            if (r.isPresent()) {
                return new Delivery(r.get(), sent);
            }
        }
        throw new AssertionError(topic + " did not reach " + subscriber.clientId() + " within " + timeout.toMillis()
                + " ms (" + sent + " publishes)"
                + subscriber.inbox.problemsSuffix());
    }

    /**
     * What {@link #publishUntilReceived} got.
     *
     * @param message the message the subscriber received
     * @param publishes how many publishes it took, at least 1
     */
    public record Delivery(Received message, int publishes) {}

    /**
     * The reason code of the server's DISCONNECT, waiting at most the timeout.
     *
     * @return the reason code, or {@link #NO_DISCONNECT} if none came (a lost socket without DISCONNECT reports
     *     Paho's own code)
     * @throws InterruptedException if interrupted while waiting
     */
    public int awaitServerDisconnect() throws InterruptedException {
        return awaitServerDisconnect(timeout);
    }

    /**
     * The reason code of the server's DISCONNECT, waiting at most {@code wait}: for asserting that none comes within
     * a short window without paying the client's whole timeout.
     *
     * @param wait how long to wait, not negative
     * @return the reason code, or {@link #NO_DISCONNECT} if none came
     * @throws InterruptedException if interrupted while waiting
     * @since 0.1.0
     */
    public int awaitServerDisconnect(Duration wait) throws InterruptedException {
        return inbox.awaitServerDisconnect(wait);
    }

    /** Closes, ignoring a failure to disconnect cleanly (the broker may already have closed the socket). */
    public void closeQuietly() {
        try {
            close();
        } catch (MqttException e) {
            inbox.problem("close: " + e);
        }
    }

    /**
     * Sends DISCONNECT if connected and releases the client.
     *
     * @throws MqttException if the DISCONNECT could not be sent
     */
    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                // A short quiesce: a test closing a client is done with what it has in flight.
                client.disconnect(2_000).waitForCompletion(timeout.toMillis());
            }
        } finally {
            client.close(true);
        }
    }

    @Override
    public String toString() {
        return "MqttTestClient{" + client.getClientId() + " -> " + client.getServerURI() + '}';
    }

    private static MqttSubscription[] subscriptions(String[] filters, int qos) {
        if (filters.length == 0) {
            throw new IllegalArgumentException("subscribe: no filters");
        }
        MqttSubscription[] subs = new MqttSubscription[filters.length];
        for (int i = 0; i < filters.length; i++) {
            subs[i] = new MqttSubscription(filters[i], qos);
        }
        return subs;
    }
}
