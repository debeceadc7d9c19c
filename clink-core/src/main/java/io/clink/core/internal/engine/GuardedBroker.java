package io.clink.core.internal.engine;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls into broker code with a guard: an exception thrown by the {@link LocalBroker} implementation is logged with
 * the link name, counted in that link's {@link LinkCounters#brokerErrors}, and turned into a {@code false} result.
 * It never propagates into clink's state machines, so a faulty adapter cannot corrupt them.
 */
public final class GuardedBroker {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedBroker.class);

    private final LocalBroker broker;

    public GuardedBroker(LocalBroker broker) {
        this.broker = Objects.requireNonNull(broker, "broker");
    }

    /** The unguarded broker, for the few calls that must see its exceptions (snapshot reads). */
    public LocalBroker unguarded() {
        return broker;
    }

    /** Delivers a message that arrived over {@code link}; {@code false} if the broker threw. */
    public boolean deliver(String link, LinkCounters counters, MqttMessage message) {
        try {
            broker.deliver(message);
            return true;
        } catch (RuntimeException e) {
            failed(link, counters, "deliver", e);
            return false;
        }
    }

    /** Sends a handshake reply on an inbound connection; {@code false} if the broker threw. */
    public boolean reply(String link, LinkCounters counters, LinkConnection connection, MqttMessage reply) {
        try {
            broker.reply(connection, reply);
            return true;
        } catch (RuntimeException e) {
            failed(link, counters, "reply", e);
            return false;
        }
    }

    /**
     * Disconnects an inbound connection; {@code false} if the broker threw.
     *
     * @param counters the link's counters, or null when the connection speaks for no configured link
     */
    public boolean disconnect(
            String link, @Nullable LinkCounters counters, LinkConnection connection, int reasonCode, String reason) {
        try {
            broker.disconnect(connection, reasonCode, reason);
            return true;
        } catch (RuntimeException e) {
            failed(link, counters, "disconnect", e);
            return false;
        }
    }

    /**
     * Reads the broker's subscriptions. Unlike the other calls this one lets the exception through (wrapped with
     * context), because a partial snapshot must never be mistaken for the truth: the caller aborts the resync or
     * bootstrap and retries later.
     */
    public void forEachSubscription(Consumer<? super LocalSubscription> action) {
        try {
            broker.forEachSubscription(action);
        } catch (RuntimeException e) {
            throw new IllegalStateException("LocalBroker.forEachSubscription failed: " + e, e);
        }
    }

    private static void failed(String link, @Nullable LinkCounters counters, String call, RuntimeException e) {
        if (counters != null) {
            counters.brokerErrors.increment();
        }
        LOG.warn("[{}] LocalBroker.{} threw; ignored", link, call, e);
    }
}
