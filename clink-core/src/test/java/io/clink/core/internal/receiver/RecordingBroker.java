package io.clink.core.internal.receiver;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A broker that records what clink asks of it. */
final class RecordingBroker implements LocalBroker {

    record Reply(LinkConnection connection, MqttMessage message) {}

    record Disconnect(LinkConnection connection, int reasonCode, String reason) {}

    final List<Reply> replies = new ArrayList<>();
    final List<Disconnect> disconnects = new ArrayList<>();
    final List<MqttMessage> delivered = new ArrayList<>();
    /** Makes {@link #disconnect} throw after recording, as a faulty adapter might. */
    boolean failDisconnect;
    /** Runs inside {@link #disconnect}, as an adapter that closes at once and reports the close synchronously. */
    Consumer<LinkConnection> onDisconnect = c -> { };

    @Override
    public void forEachSubscription(Consumer<? super LocalSubscription> action) {
        // The receiver never reads subscriptions.
    }

    @Override
    public void deliver(MqttMessage message) {
        delivered.add(message);
    }

    @Override
    public void reply(LinkConnection connection, MqttMessage reply) {
        replies.add(new Reply(connection, reply));
    }

    @Override
    public void disconnect(LinkConnection connection, int reasonCode, String reasonString) {
        disconnects.add(new Disconnect(connection, reasonCode, reasonString));
        onDisconnect.accept(connection);
        if (failDisconnect) {
            throw new IllegalStateException("adapter failure");
        }
    }

    void clear() {
        replies.clear();
        disconnects.clear();
        delivered.clear();
    }
}
