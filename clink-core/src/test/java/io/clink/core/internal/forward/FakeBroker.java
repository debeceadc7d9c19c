package io.clink.core.internal.forward;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Records what clink asks of the broker; can be told to throw on delivery. */
final class FakeBroker implements LocalBroker {
    final List<MqttMessage> delivered = new ArrayList<>();
    final List<String> disconnects = new ArrayList<>();
    @Nullable RuntimeException deliverFailure;

    @Override
    public void forEachSubscription(Consumer<? super LocalSubscription> action) {
        // No local subscriptions in these tests.
    }

    @Override
    public void deliver(MqttMessage message) {
        RuntimeException f = deliverFailure;
        if (f != null) {
            throw f;
        }
        delivered.add(message);
    }

    @Override
    public void disconnect(LinkConnection connection, int reasonCode, String reasonString) {
        disconnects.add(connection.connectionId() + " 0x" + Integer.toHexString(reasonCode));
    }
}
