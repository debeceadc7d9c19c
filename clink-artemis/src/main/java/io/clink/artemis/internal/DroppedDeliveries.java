package io.clink.artemis.internal;

import java.util.concurrent.atomic.LongAdder;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.impl.AckReason;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;

/*
 * Artemis does not drop a message because a subscriber is slow: with the address-full policy clink-broker uses (PAGE)
 * a queue grows into paging instead. What takes a message out of a subscription queue undelivered is expiry (the
 * MQTT message expiry interval ran out while it waited) and killing (too many delivery attempts). Expiry is counted
 * where Artemis reports it to broker plugins, messageExpired, whether the message is then removed or moved to an
 * expiry address; a kill where Artemis acknowledges the message with the KILLED reason. The two never report one
 * message twice (an expired message's acknowledgement says EXPIRED, not counted there). A killed message moved to a
 * dead-letter address may be missed: the figure errs low, never high. Every overload of the plugin interface funnels
 * into the two-argument forms by default. Counted only on MQTT subscription queues, not on Artemis's own $sys
 * addresses (the retained store) nor on the link protocol's $LINK addresses.
 *
 * A broker that sets the DROP or FAIL address-full policy loses messages before they reach any queue; Artemis counts
 * those nowhere an extension can read, so they are not in this figure (docs/ADAPTERS.md says so).
 *
 * Thread-safety: Artemis calls the plugin from its queue threads, several at once; the count is a LongAdder.
 */
/** Counts the messages Artemis removed from MQTT subscription queues undelivered (expired or killed). */
public final class DroppedDeliveries implements ActiveMQServerMessagePlugin {

    private final LongAdder dropped = new LongAdder();

    @Override
    public void messageExpired(MessageReference ref, SimpleString messageExpiryAddress) {
        count(ref);
    }

    @Override
    public void messageAcknowledged(MessageReference ref, AckReason reason) {
        if (reason == AckReason.KILLED) {
            count(ref);
        }
    }

    private void count(MessageReference ref) {
        Queue queue = ref.getQueue();
        if (queue != null && isSubscriptionQueue(queue.getAddress())) {
            dropped.increment();
        }
    }

    private static boolean isSubscriptionQueue(SimpleString address) {
        if (address == null) {
            return false;
        }
        String a = address.toString();
        return !a.startsWith("$sys.") && !a.startsWith("$LINK");
    }

    /** The messages dropped so far. */
    public long count() {
        return dropped.sum();
    }
}
