package io.clink.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.link.LinkMetrics;
import org.junit.jupiter.api.Test;

class LinkCountersTest {

    @Test
    void resetCounters_afterTraffic_zeroesCountersAndKeepsGauges() {
        LinkCounters c = new LinkCounters();
        c.forwarded.add(5);
        c.received.add(3);
        c.dropped.add(2);
        c.failed.increment();
        c.retried.increment();
        c.routesSent.add(7);
        c.rejected.increment();
        c.bufferedMessages.set(4);
        c.bufferedBytes.set(400);

        c.resetCounters();

        LinkMetrics m = c.snapshot(9);
        assertThat(m.forwarded()).isZero();
        assertThat(m.received()).isZero();
        assertThat(m.dropped()).isZero();
        assertThat(m.failed()).isZero();
        assertThat(m.retried()).isZero();
        assertThat(m.routesSent()).isZero();
        assertThat(m.rejected()).isZero();
        assertThat(m.bufferedMessages()).isEqualTo(4);
        assertThat(m.bufferedBytes()).isEqualTo(400);
        assertThat(m.remoteRoutes()).isEqualTo(9);
    }

    @Test
    void resetCounters_thenMoreTraffic_countsFromZero() {
        LinkCounters c = new LinkCounters();
        c.forwarded.add(10);
        c.resetCounters();
        c.forwarded.increment();

        assertThat(c.snapshot(0).forwarded()).isEqualTo(1);
    }
}
