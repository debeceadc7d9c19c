package io.clink.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.transport.ConnectionListener;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.OutgoingPublish;
import io.clink.testkit.LocalBrokerHarness.TestClient;
import io.clink.testkit.RecordingHooks.Event;
import io.clink.testkit.RecordingHooks.Published;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/*
 * Why this exists: every duty of the LocalBroker contract needs the same per-test broker, recording hooks, link
 * clients and bounded waits; they live here once, and the duty classes above it hold only their tests. The chain
 * (fixture, subscriptions, delivery, link connections, LocalBrokerContract) is an implementation detail: broker
 * authors extend LocalBrokerContract only.
 */
abstract class ContractFixture {

    static final String LINK_ROUTE = "$LINK/cluster/route/contract-remote";
    static final String LINK_MSG = "$LINK/cluster/msg/contract-remote";
    static final String LINK_RESP = "$LINK/cluster/resp/contract-remote/contract-actor";
    private static final int MAX_POLLS = 10_000;

    /** The harness of the running test. */
    protected LocalBrokerHarness harness;
    /** The hooks the adapter reports to. */
    protected RecordingHooks hooks;
    /** The adapter under test. */
    protected LocalBroker broker;

    private final List<LinkClient> linkClients = new ArrayList<>();

    /**
     * Creates the harness and starts the broker with {@link #hooks} attached. Runs before each test.
     *
     * @throws Exception if the broker cannot start
     * @since 0.1.0
     */
    @BeforeEach
    protected void setUpBroker() throws Exception {
        hooks = new RecordingHooks();
        harness = createHarness();
        broker = harness.start(hooks);
    }

    /**
     * Closes the link clients the test opened and the harness. Runs after each test.
     *
     * @throws Exception if the harness cannot close
     * @since 0.1.0
     */
    @AfterEach
    protected void tearDownBroker() throws Exception {
        for (LinkClient c : linkClients) {
            c.close();
        }
        linkClients.clear();
        if (harness != null) {
            harness.close();
        }
    }

    /**
     * Creates a fresh harness for one test.
     *
     * @return the harness; the suite starts it and closes it
     * @throws Exception if it cannot be created
     * @since 0.1.0
     */
    protected abstract LocalBrokerHarness createHarness() throws Exception;

    /**
     * Connects a link client through the harness, waiting for the CONNACK; it is closed after the test.
     *
     * @param clientId the client id
     * @return the connected client
     * @throws Exception if it cannot connect
     * @since 0.1.0
     */
    protected LinkClient connectLink(String clientId) throws Exception {
        return connectLink(clientId, reason -> {});
    }

    /**
     * Connects a link client through the harness with a listener for its loss, waiting for the CONNACK.
     *
     * @param clientId the client id
     * @param listener receives the connection's loss
     * @return the connected client
     * @throws Exception if it cannot connect
     * @since 0.1.0
     */
    protected LinkClient connectLink(String clientId, ConnectionListener listener) throws Exception {
        return connected(harness.newLinkClient(clientId), listener);
    }

    /**
     * Connects a link client with the given keepalive through the harness, waiting for the CONNACK.
     *
     * @param clientId the client id
     * @param keepAlive the MQTT keepalive it asks for
     * @param listener receives the connection's loss
     * @return the connected client
     * @throws Exception if it cannot connect
     * @since 0.1.0
     */
    protected LinkClient connectLink(String clientId, Duration keepAlive, ConnectionListener listener)
            throws Exception {
        return connected(harness.newLinkClient(clientId, keepAlive), listener);
    }

    private LinkClient connected(LinkClient c, ConnectionListener listener) throws Exception {
        linkClients.add(c);
        await(c.connect(listener));
        return c;
    }

    /**
     * Publishes on a link client and waits for the result.
     *
     * @param link the client
     * @param publish the message
     * @return the PUBACK reason code
     * @throws Exception if the publish failed or timed out
     * @since 0.1.0
     */
    protected int publishLink(LinkClient link, OutgoingPublish publish) throws Exception {
        return await(link.publish(publish)).reasonCode();
    }

    /**
     * Waits for a future, settling the harness between polls.
     *
     * @param <T> the result type
     * @param future the future
     * @return its value
     * @throws Exception if it failed (an {@link AssertionError} carrying the cause) or timed out
     * @since 0.1.0
     */
    protected <T> T await(CompletableFuture<T> future) throws Exception {
        awaitEvent("completion of " + future, future::isDone);
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new AssertionError("operation failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Polls {@code condition} until it holds, settling the harness between polls.
     *
     * @param what what is awaited, for the failure message
     * @param condition the condition
     * @throws InterruptedException if interrupted
     * @since 0.1.0
     */
    protected void awaitEvent(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + harness.timeout().toNanos();
        for (int polls = 0; polls < MAX_POLLS; polls++) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            harness.settle();
        }
        if (!condition.getAsBoolean()) {
            fail("timed out after " + harness.timeout() + " waiting for " + what + "; hook events: " + hooks.events());
        }
    }

    /**
     * Waits until a client has received a message on {@code topic} and returns the first.
     *
     * @param client the client
     * @param topic the topic
     * @return the message
     * @throws InterruptedException if interrupted
     * @since 0.1.0
     */
    protected ReceivedMessage awaitReceived(TestClient client, String topic) throws InterruptedException {
        Supplier<@Nullable ReceivedMessage> find = () -> client.received().stream()
                .filter(m -> m.topic().equals(topic))
                .findFirst()
                .orElse(null);
        awaitEvent(client.clientId() + " receiving a message on " + topic, () -> find.get() != null);
        ReceivedMessage m = find.get();
        if (m == null) {
            throw new AssertionError("message on " + topic + " vanished");
        }
        return m;
    }

    /** The hook calls recorded after {@code event} (compared by identity), oldest first. */
    List<Event> eventsAfter(Event event) {
        List<Event> all = hooks.events();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i) == event) {
                return all.subList(i + 1, all.size());
            }
        }
        throw new IllegalArgumentException("not a recorded hook call: " + event);
    }

    /** Waits for the first recorded call of one kind that satisfies {@code condition} and returns it. */
    <T extends Event> T awaitHook(String what, Class<T> type, java.util.function.Predicate<? super T> condition)
            throws InterruptedException {
        awaitEvent(what, () -> hooks.any(type, condition));
        return hooks.events(type).stream().filter(condition).findFirst().orElseThrow();
    }

    Set<LocalSubscription> snapshot(String clientPrefix) {
        Set<LocalSubscription> out = new HashSet<>();
        List<LocalSubscription> all = new ArrayList<>();
        broker.forEachSubscription(all::add);
        for (LocalSubscription s : all) {
            if (s.clientId().startsWith(clientPrefix)) {
                assertTrue(out.add(s), "forEachSubscription passed " + s + " twice");
            }
        }
        return out;
    }

    List<String> publishedTopics() {
        return hooks.events(Published.class).stream()
                .map(p -> p.message().topic())
                .toList();
    }

    static void assertGranted(int subackCode) {
        assertTrue(subackCode >= 0 && subackCode <= 2, "SUBACK must grant the subscription: " + subackCode);
    }

    static MqttMessage remoteMessage(String topic, String payload, int qos, PublishProperties props) {
        return MqttMessage.builder()
                .topic(topic)
                .payload(utf8(payload))
                .qos(qos)
                .properties(props)
                .publisherClientId("contract-remote-publisher")
                .originCluster("contract-remote")
                .timestampMillis(System.currentTimeMillis())
                .build();
    }

    static MqttMessage remoteRetained(String topic, String payload) {
        return remoteMessage(topic, payload, 1, PublishProperties.EMPTY).toBuilder()
                .retain(true)
                .build();
    }

    static List<String> topicsAndPayloads(TestClient client) {
        return client.received().stream()
                .map(m -> m.topic() + ":" + m.payloadUtf8())
                .toList();
    }

    static MqttMessage replyTo(PublishProperties request) {
        PublishProperties.Builder p = PublishProperties.builder();
        request.correlationData().ifPresent(p::correlationData);
        return MqttMessage.builder()
                .topic(request.responseTopic().orElseThrow())
                .qos(1)
                .payload(utf8("ack"))
                .properties(p.build())
                .timestampMillis(System.currentTimeMillis())
                .build();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
