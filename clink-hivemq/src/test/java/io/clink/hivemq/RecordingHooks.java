package io.clink.hivemq;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Records every hook call as a line of text (and keeps messages and connections), answering link publishes with a set code. */
final class RecordingHooks implements ClusterLinkHooks {

    record LinkPublish(LinkConnection connection, String topic, byte[] payload, PublishProperties properties) {}

    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final BlockingQueue<MqttMessage> published = new LinkedBlockingQueue<>();
    final BlockingQueue<LinkPublish> linkPublishes = new LinkedBlockingQueue<>();
    final BlockingQueue<LinkConnection> closed = new LinkedBlockingQueue<>();
    volatile int linkPublishCode;

    @Override
    public void onSubscribe(String clientId, String subscription) {
        events.add("SUB " + clientId + " " + subscription);
    }

    @Override
    public void onUnsubscribe(String clientId, String subscription) {
        events.add("UNSUB " + clientId + " " + subscription);
    }

    @Override
    public void onSessionEnd(String clientId) {
        events.add("END " + clientId);
    }

    @Override
    public void onPublish(MqttMessage message) {
        published.add(message);
        events.add("PUB " + message.publisherClientId().orElse("?") + " " + message.topic() + " "
                + StandardCharsets.UTF_8.decode(message.payload()));
    }

    @Override
    public int onLinkPublish(LinkConnection connection, String topic, byte[] payload, PublishProperties properties) {
        linkPublishes.add(new LinkPublish(connection, topic, payload.clone(), properties));
        events.add("LINK " + connection.clientId() + " " + topic);
        return linkPublishCode;
    }

    @Override
    public void onConnectionClosed(LinkConnection connection) {
        closed.add(connection);
        events.add("CLOSED " + connection.clientId());
    }

    /** Stands in for the engine: attaches these hooks to the broker when the extension starts, detaches them at stop. */
    EmbeddedExtensionMain.EngineStarter starter() {
        return (broker, context) -> {
            broker.attach(this);
            return broker::detach;
        };
    }

    /** Forgets everything recorded and answers link publishes with success again: a fresh recorder for the next test. */
    void clear() {
        events.clear();
        published.clear();
        linkPublishes.clear();
        closed.clear();
        linkPublishCode = 0;
    }

    /**
     * Waits for an event matching {@code wanted}, returning the events seen before it (including it). Fails after
     * {@code timeout}.
     */
    List<String> awaitEvent(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no matching event within " + timeout + "; saw " + seen);
            }
            seen.add(e);
            if (wanted.test(e)) {
                return seen;
            }
        }
    }

    List<String> awaitEvent(String exact) throws InterruptedException {
        return awaitEvent(exact::equals, Duration.ofSeconds(10));
    }
}
