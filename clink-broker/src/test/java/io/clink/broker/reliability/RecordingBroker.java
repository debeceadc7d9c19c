package io.clink.broker.reliability;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The adapter with a tap: every message the engine hands to {@link #deliver} is counted by payload, so a test can
 * tell a loss inside the broker from a loss on the link.
 */
final class RecordingBroker implements LocalBroker {

    private final LocalBroker delegate;
    private final Map<String, Integer> delivered;

    RecordingBroker(LocalBroker delegate, Map<String, Integer> delivered) {
        this.delegate = delegate;
        this.delivered = delivered;
    }

    static Map<String, Integer> newTap() {
        return new ConcurrentHashMap<>();
    }

    @Override
    public void forEachSubscription(Consumer<? super LocalSubscription> action) {
        delegate.forEachSubscription(action);
    }

    @Override
    public void deliver(MqttMessage message) {
        ByteBuffer p = message.payload();
        byte[] b = new byte[p.remaining()];
        p.get(b);
        delivered.merge(new String(b, StandardCharsets.UTF_8), 1, Integer::sum);
        delegate.deliver(message);
    }

    @Override
    public void disconnect(LinkConnection connection, int reasonCode, String reasonString) {
        delegate.disconnect(connection, reasonCode, reasonString);
    }

    @Override
    public void reply(LinkConnection connection, MqttMessage reply) {
        delegate.reply(connection, reply);
    }

    @Override
    public void attach(ClusterLinkHooks hooks) {
        delegate.attach(hooks);
    }

    @Override
    public void detach() {
        delegate.detach();
    }
}
