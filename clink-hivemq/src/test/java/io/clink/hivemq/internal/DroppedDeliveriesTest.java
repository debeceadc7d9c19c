package io.clink.hivemq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DroppedDeliveriesTest {

    private final MetricRegistry registry = new MetricRegistry();
    private final AtomicLong consumed = new AtomicLong();
    private final DroppedDeliveries dropped = new DroppedDeliveries(registry, consumed::get);

    @Test
    void read_noHiveMqCounter_unknown() {
        assertThat(dropped.read()).isEmpty();
    }

    @Test
    void read_consumedLinkPublishes_notCountedAsDropped() {
        Counter hivemq = registry.counter(DroppedDeliveries.HIVEMQ_DROPPED_COUNTER);
        hivemq.inc(10); // ten $LINK publishes prevented by clink
        consumed.set(10);
        assertThat(dropped.read()).hasValue(0);

        hivemq.inc(3); // three messages dropped from a full queue
        assertThat(dropped.read()).hasValue(3);
    }

    @Test
    void read_clinkCountAheadOfHiveMq_neverDecreases() {
        Counter hivemq = registry.counter(DroppedDeliveries.HIVEMQ_DROPPED_COUNTER);
        hivemq.inc(7);
        consumed.set(2);
        assertThat(dropped.read()).hasValue(5);

        // Two more $LINK publishes counted by clink's interceptor, not yet by HiveMQ: the difference reads low.
        consumed.set(4);
        assertThat(dropped.read()).hasValue(5);

        hivemq.inc(2);
        assertThat(dropped.read()).hasValue(5);
        hivemq.inc();
        assertThat(dropped.read()).hasValue(6);
    }

    @Test
    void read_moreConsumedThanHiveMqCounted_zeroNotNegative() {
        registry.counter(DroppedDeliveries.HIVEMQ_DROPPED_COUNTER).inc(1);
        consumed.set(3);
        assertThat(dropped.read()).hasValue(0);
    }
}
